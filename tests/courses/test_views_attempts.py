"""Quiz and exam attempts through the test client: start, answer, submit, results, tampering, time."""

from __future__ import annotations

import re
from datetime import timedelta
from decimal import Decimal

import pytest
from wagtail.models import Locale

from courses.models import Assessment, Attempt, AttemptQuestion, LessonPage
from courses.services.attempts import scripted_answers, start_attempt, submit_attempt
from courses.services.enrolment import enrol_learner
from lms import clock
from tests.courses import builders

pytestmark = pytest.mark.django_db


def form_data(answers: dict[int, dict[str, list[str]]]) -> dict[str, list[str]]:
    """Service-style answers as the attempt page's form posts them."""
    return {f"q{position}-{field}": values for position, fields in answers.items() for field, values in fields.items()}


def attempt_url(course, attempt) -> str:
    return f"{course.url}attempts/{attempt.pk}/"


def result_url(course, attempt) -> str:
    return f"{course.url}attempts/{attempt.pk}/result/"


def untouched(attempt: Attempt) -> bool:
    """Still open, and no answer stored or graded."""
    attempt.refresh_from_db()
    items = AttemptQuestion.objects.filter(attempt=attempt)
    return (
        attempt.status == Attempt.Status.IN_PROGRESS
        and attempt.score is None
        and attempt.submitted_at is None
        and not items.filter(response__isnull=False).exists()
        and not items.filter(earned__isnull=False).exists()
    )


@pytest.fixture
def course(db):
    # Seven questions: one of every kind (single, multiple, true/false, numeric, short text, ordering, matching).
    return builders.course(title="Cloud Security Fundamentals", lessons=1, questions=7)


@pytest.fixture
def exam(course) -> Assessment:
    exam = course.assessments.get()
    exam.question_count = 7
    exam.save()
    return exam


@pytest.fixture
def member_client(client, learner, course):
    enrol_learner(user=learner, course=course)
    client.force_login(learner)
    return client


@pytest.fixture
def attempt(learner, exam, member_client) -> Attempt:
    return start_attempt(user=learner, assessment=exam)


def item_of_kind(attempt: Attempt, kind: str) -> AttemptQuestion:
    return attempt.questions.select_related("question").get(question__kind=kind)


# Starting --------------------------------------------------------------------------------


def test_start_redirects_to_the_attempt_page(member_client, course, exam, learner):
    response = member_client.post(f"{course.url}assessments/{exam.pk}/start/")

    attempt = Attempt.objects.get(user=learner)
    assert response.status_code == 302
    assert response["Location"] == attempt_url(course, attempt)
    page = member_client.get(response["Location"])
    assert page.status_code == 200
    assert "Attempt 1 · pass mark 70%" in page.text
    assert page.text.count('<fieldset class="card question"') == 7
    assert "no-store" in page["Cache-Control"] or "no-cache" in page["Cache-Control"]


def test_starting_again_resumes_the_open_attempt(member_client, course, exam, learner):
    first = member_client.post(f"{course.url}assessments/{exam.pk}/start/")
    second = member_client.post(f"{course.url}assessments/{exam.pk}/start/")

    assert first["Location"] == second["Location"]
    assert Attempt.objects.filter(user=learner).count() == 1
    assert "Continue the attempt" in member_client.get(course.url).text


def test_start_refuses_get(member_client, course, exam):
    assert member_client.get(f"{course.url}assessments/{exam.pk}/start/").status_code == 405
    assert not Attempt.objects.exists()


def test_start_needs_an_enrolment(client, course, exam, make_member, organization):
    client.force_login(make_member(organization))

    response = client.post(f"{course.url}assessments/{exam.pk}/start/")

    assert response.status_code == 403
    assert "Enrol in the course first." in response.text
    assert not Attempt.objects.exists()


def test_an_assessment_of_another_course_is_a_404(member_client, course):
    other = builders.course(title="Other Course", lessons=1, questions=3)

    response = member_client.post(f"{course.url}assessments/{other.assessments.get().pk}/start/")

    assert response.status_code == 404
    assert not Attempt.objects.exists()


def test_anonymous_start_goes_to_sign_in(client, course, exam):
    response = client.post(f"{course.url}assessments/{exam.pk}/start/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# The attempt page reveals nothing ------------------------------------------------------------


def test_the_attempt_page_never_contains_the_answers(member_client, course, attempt):
    response = member_client.get(attempt_url(course, attempt))

    assert response.status_code == 200
    text = response.text
    assert re.search("correct", text, flags=re.IGNORECASE) is None  # no flag, class or badge
    assert "is-right" not in text
    assert "public key" not in text and "کلید عمومی" not in text  # accepted short-text answers
    assert not re.search(r">\s*42(\.0+)?\s*<|value=\"42", text)  # the numeric answer
    assert "± " not in text
    assert "Explained." not in text
    assert "right match" not in text and "Right order" not in text
    # Every matching select offers the same right-hand texts, and every ordering select the same items.
    matching = item_of_kind(attempt, "matching")
    selects = re.findall(rf'<select id="q{matching.position}-match-\d+" name="[^"]+">(.*?)</select>', text, re.S)
    assert len(selects) == 3 and len(set(selects)) == 1
    ordering = item_of_kind(attempt, "ordering")
    selects = re.findall(rf'<select name="q{ordering.position}-order">(.*?)</select>', text, re.S)
    assert len(selects) == 3 and len(set(selects)) == 1


def test_matching_right_hand_texts_are_not_in_their_answer_order(member_client, course, learner, exam):
    # Shuffled on every attempt; never shown in the order of the left-hand items.
    for _ in range(3):
        attempt = start_attempt(user=learner, assessment=exam)
        text = member_client.get(attempt_url(course, attempt)).text
        position = item_of_kind(attempt, "matching").position
        select = re.search(rf'name="q{position}-match-\d+">(.*?)</select>', text, re.S).group(1)
        assert re.findall(r">(\w+)</option>", select) != ["transport", "cipher", "hash"]
        submit_attempt(user=learner, attempt=attempt, answers={})


def _matching_leak(text: str, position: int) -> bool:
    """True if the right option of each matching select can be read off the HTML."""
    names = re.findall(rf'name="q{position}-match-(\d+)">(.*?)</select>', text, re.S)
    return all(f'value="{left}"' in options for left, options in names)


def test_the_matching_answer_cannot_be_read_from_option_values(member_client, course, attempt):
    """Matching options used to carry the pk of their left-hand choice, the number in the select's name."""
    text = member_client.get(attempt_url(course, attempt)).text

    assert not _matching_leak(text, item_of_kind(attempt, "matching").position)


def test_the_ordering_answer_cannot_be_read_from_option_values(member_client, course, attempt):
    """Ordering options used to carry choice pks, created in the right order: sorting them gave the answer."""
    text = member_client.get(attempt_url(course, attempt)).text
    position = item_of_kind(attempt, "ordering").position
    select = re.search(rf'<select name="q{position}-order">(.*?)</select>', text, re.S).group(1)
    options = sorted((int(value), label) for value, label in re.findall(r'value="(\d+)">([^<]+)<', select))

    assert [label for _value, label in options] != ["First", "Second", "Third"]


# Submitting -----------------------------------------------------------------------------------

RIGHT_TEXTS = {
    "single": ["A"],
    "true_false": ["True"],
    "multiple": ["A", "B"],
    "ordering": ["First", "Second", "Third"],
}
RIGHT_MATCHES = {"TLS": "transport", "AES": "cipher", "SHA": "hash"}


def answers_from_the_page(text: str) -> dict[str, list[str]]:
    """Fill in the attempt form as a person would, by reading the labels on the page."""
    data: dict[str, list[str]] = {}
    for position, fieldset in re.findall(
        r'<fieldset class="card question" id="question-(\d+)">(.*?)</fieldset>', text, re.S
    ):
        prompt = re.search(r"</span> Question (\d+)</legend>", fieldset).group(1)
        kind = ["single", "multiple", "true_false", "numeric", "short_text", "ordering", "matching"][
            (int(prompt) - 1) % 7
        ]
        if kind in {"single", "true_false", "multiple"}:
            field = "choices" if kind == "multiple" else "choice"
            options = {
                label: value
                for value, label in re.findall(rf'name="q{position}-{field}" value="(\d+)"> ([^<]+)</label>', fieldset)
            }
            data[f"q{position}-{field}"] = [options[label] for label in RIGHT_TEXTS[kind]]
        elif kind == "numeric":
            data[f"q{position}-value"] = ["42"]
        elif kind == "short_text":
            data[f"q{position}-text"] = ["Public Key"]
        elif kind == "ordering":
            select = re.search(rf'<select name="q{position}-order">(.*?)</select>', fieldset, re.S).group(1)
            options = {label: value for value, label in re.findall(r'<option value="(\d+)">([^<]+)</option>', select)}
            data[f"q{position}-order"] = [options[label] for label in RIGHT_TEXTS["ordering"]]
        else:
            for left, name, select in re.findall(
                r'<dt><label for="[^"]+">([^<]+)</label></dt>\s*<dd><select id="[^"]+" name="([^"]+)">(.*?)</select>',
                fieldset,
                re.S,
            ):
                options = {
                    label: value for value, label in re.findall(r'<option value="(\d+)">([^<]+)</option>', select)
                }
                data[name] = [options[RIGHT_MATCHES[left]]]
    return data


def test_answers_chosen_on_the_page_are_graded_right(member_client, course, attempt):
    page = member_client.get(attempt_url(course, attempt)).text
    data = answers_from_the_page(page)
    assert len({key.split("-")[0] for key in data}) == 7

    response = member_client.post(attempt_url(course, attempt), data)

    assert response.status_code == 302
    attempt.refresh_from_db()
    assert list(attempt.questions.order_by("position").values_list("earned", flat=True)) == [Decimal(1)] * 7
    assert attempt.score == 100 and attempt.passed


def test_right_answers_pass_with_100(member_client, course, attempt):
    response = member_client.post(attempt_url(course, attempt), form_data(scripted_answers(attempt, right=True)))

    assert response.status_code == 302
    assert response["Location"] == result_url(course, attempt)
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED
    assert attempt.score == Decimal(100) and attempt.passed is True and attempt.late is False
    result = member_client.get(response["Location"])
    assert result.status_code == 200
    assert '<p class="stat">100%</p>' in result.text
    assert "Passed. The pass mark is 70%." in result.text
    assert "You have completed the course." not in result.text  # the lesson is still to do
    # Once graded, the review shows the answers.
    assert "public key" in result.text
    assert "is-correct" in result.text
    assert "Explained." in result.text


def test_wrong_answers_fail(member_client, course, attempt):
    member_client.post(attempt_url(course, attempt), form_data(scripted_answers(attempt, right=False)))

    attempt.refresh_from_db()
    assert attempt.score == 0 and attempt.passed is False
    result = member_client.get(result_url(course, attempt))
    assert '<p class="stat">0%</p>' in result.text
    assert "Not passed. The pass mark is 70%." in result.text


def test_an_empty_submission_is_graded_zero(member_client, course, attempt):
    response = member_client.post(attempt_url(course, attempt), {})

    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED and attempt.score == 0


def test_passing_the_exam_after_the_lessons_completes_the_course(member_client, course, attempt, learner):
    from courses.services.progress import complete_lesson

    complete_lesson(user=learner, lesson=LessonPage.objects.child_of(course).get())
    member_client.post(attempt_url(course, attempt), form_data(scripted_answers(attempt, right=True)))

    result = member_client.get(result_url(course, attempt))
    assert "You have completed the course." in result.text


def test_submitting_again_only_shows_the_result(member_client, course, attempt):
    member_client.post(attempt_url(course, attempt), form_data(scripted_answers(attempt, right=True)))
    attempt.refresh_from_db()
    graded = (attempt.score, attempt.submitted_at, list(attempt.questions.values_list("response", "earned")))

    response = member_client.post(attempt_url(course, attempt), form_data(scripted_answers(attempt, right=False)))

    assert response.status_code == 302
    assert response["Location"] == result_url(course, attempt)
    attempt.refresh_from_db()
    assert (attempt.score, attempt.submitted_at, list(attempt.questions.values_list("response", "earned"))) == graded
    # And the attempt page of a graded attempt goes to its result.
    page = member_client.get(attempt_url(course, attempt))
    assert page.status_code == 302 and page["Location"] == result_url(course, attempt)


def test_the_result_of_an_open_attempt_goes_back_to_the_attempt(member_client, course, attempt):
    response = member_client.get(result_url(course, attempt))

    assert response.status_code == 302
    assert response["Location"] == attempt_url(course, attempt)
    assert untouched(attempt)


def test_without_show_answers_the_result_hides_them(member_client, course, exam, attempt):
    Assessment.objects.filter(pk=exam.pk).update(show_answers=False)
    member_client.post(attempt_url(course, attempt), form_data(scripted_answers(attempt, right=False)))

    result = member_client.get(result_url(course, attempt))

    assert result.status_code == 200
    assert '<p class="stat">0%</p>' in result.text
    assert "public key" not in result.text
    assert "is-correct" not in result.text
    assert "Explained." not in result.text
    assert "Review your answers" not in result.text


# Tampering --------------------------------------------------------------------------------------


def _tampered(attempt: Attempt) -> dict[str, dict]:
    right = form_data(scripted_answers(attempt, right=True))
    single = item_of_kind(attempt, "single")
    multiple = item_of_kind(attempt, "multiple")
    matching = item_of_kind(attempt, "matching")
    ordering = item_of_kind(attempt, "ordering")
    numeric = item_of_kind(attempt, "numeric")
    foreign_choice = str(multiple.question.choices.first().pk)
    match_ids = [str(pk) for pk in matching.question.choices.values_list("pk", flat=True)]
    return {
        "unknown field name": {**right, "evil": ["1"]},
        "unknown field kind": {**right, f"q{single.position}-script": ["1"]},
        "question not in the attempt": {**right, "q99-choice": ["1"]},
        "choice of another question": {**right, f"q{single.position}-choice": [foreign_choice]},
        "choice of another attempt's question": {**right, f"q{single.position}-choice": ["999999"]},
        "two choices for a single choice": {
            **right,
            f"q{single.position}-choice": [str(pk) for pk in single.question.choices.values_list("pk", flat=True)],
        },
        "not a number": {**right, f"q{single.position}-choice": ["1 OR 1=1"]},
        "ordering with more positions than items": {**right, f"q{ordering.position}-order": ["0", "1", "2", "0"]},
        "ordering option out of range": {**right, f"q{ordering.position}-order": ["0", "1", "3"]},
        "matching option out of range": {**right, f"q{matching.position}-match-{match_ids[0]}": [match_ids[0]]},
        "matching an unknown left-hand choice": {**right, f"q{matching.position}-match-{foreign_choice}": ["1"]},
        "text too long": {**right, f"q{numeric.position}-value": ["9" * 5000]},
        "too many fields": {**right, **{f"q1-match-{n}": ["1"] for n in range(2001)}},
    }


TAMPERINGS = [
    "unknown field name",
    "unknown field kind",
    "question not in the attempt",
    "choice of another question",
    "choice of another attempt's question",
    "two choices for a single choice",
    "not a number",
    "ordering with more positions than items",
    "ordering option out of range",
    "matching option out of range",
    "matching an unknown left-hand choice",
    "text too long",
    "too many fields",
]


@pytest.mark.parametrize("case", TAMPERINGS)
def test_tampered_submissions_are_refused_and_the_attempt_stays_open(member_client, course, attempt, case):
    response = member_client.post(attempt_url(course, attempt), _tampered(attempt)[case])

    assert response.status_code == 400, case
    assert any(
        message in response.text
        for message in (
            "The answers do not match the questions of this attempt.",
            "has an answer that is not one of its choices.",
            "Too many answers were sent.",
        )
    ), case
    assert f'href="{attempt_url(course, attempt)}"' in response.text  # back to the attempt
    assert untouched(attempt)
    # The learner can still submit honestly afterwards.
    honest = member_client.post(attempt_url(course, attempt), form_data(scripted_answers(attempt, right=True)))
    assert honest.status_code == 302
    attempt.refresh_from_db()
    assert attempt.score == 100


@pytest.mark.parametrize("page", ["attempt", "submit", "result"])
def test_someone_elses_attempt_is_a_404(client, course, exam, organization, make_member, attempt, page):
    colleague = make_member(organization)
    enrol_learner(user=colleague, course=course)
    client.force_login(colleague)

    url = result_url(course, attempt) if page == "result" else attempt_url(course, attempt)
    data = form_data(scripted_answers(attempt, right=True))
    response = client.post(url, data) if page == "submit" else client.get(url)

    assert response.status_code == 404
    assert untouched(attempt)


def test_an_attempt_under_another_courses_address_is_a_404(member_client, attempt, learner):
    other = builders.course(title="Other Course", lessons=1, questions=3)
    enrol_learner(user=learner, course=other)

    assert member_client.get(attempt_url(other, attempt)).status_code == 404
    response = member_client.post(attempt_url(other, attempt), form_data(scripted_answers(attempt, right=True)))
    assert response.status_code == 404
    assert untouched(attempt)


@pytest.mark.parametrize("page", ["attempt", "submit", "result"])
def test_an_attempt_on_a_course_now_restricted_to_another_organization_is_a_404(
    member_client, course, attempt, other_organization, page
):
    course.audience_organizations.set([other_organization])
    course.save_revision().publish()

    url = result_url(course, attempt) if page == "result" else attempt_url(course, attempt)
    data = form_data(scripted_answers(attempt, right=True))
    response = member_client.post(url, data) if page == "submit" else member_client.get(url)

    assert response.status_code == 404
    assert "Cloud Security Fundamentals" not in response.text
    assert untouched(attempt)


def test_another_organizations_attempt_is_a_404(member_client, other_organization, make_member):
    private = builders.course(
        title="Northwind Private", lessons=1, questions=3, audience_organizations=[other_organization]
    )
    outsider = make_member(other_organization)
    enrol_learner(user=outsider, course=private)
    theirs = start_attempt(user=outsider, assessment=private.assessments.get())

    assert member_client.get(attempt_url(private, theirs)).status_code == 404
    response = member_client.post(attempt_url(private, theirs), form_data(scripted_answers(theirs, right=True)))
    assert response.status_code == 404
    assert member_client.get(result_url(private, theirs)).status_code == 404
    assert untouched(theirs)


# Time limits and cooldowns -------------------------------------------------------------------------


@pytest.fixture
def timed_exam(exam):
    exam.time_limit_minutes = 10
    exam.grace_seconds = 30
    exam.save()
    return exam


def move_clock(monkeypatch, to):
    monkeypatch.setattr(clock, "now", lambda: to)


def test_the_attempt_page_shows_the_deadline(member_client, course, timed_exam, learner):
    attempt = start_attempt(user=learner, assessment=timed_exam)

    text = member_client.get(attempt_url(course, attempt)).text

    assert f'data-deadline="{attempt.deadline.isoformat()}"' in text
    assert "Submit by" in text


def test_a_late_submission_is_refused_and_graded_zero(member_client, course, timed_exam, learner, monkeypatch):
    attempt = start_attempt(user=learner, assessment=timed_exam)
    move_clock(monkeypatch, attempt.deadline + timedelta(seconds=31))

    response = member_client.post(attempt_url(course, attempt), form_data(scripted_answers(attempt, right=True)))

    assert response.status_code == 409
    assert "Time ran out before your answers arrived, so they were not accepted." in response.text
    assert f'href="{result_url(course, attempt)}"' in response.text
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED
    assert attempt.late is True and attempt.score == 0 and attempt.passed is False
    assert attempt.submitted_at == attempt.deadline
    result = member_client.get(result_url(course, attempt))
    assert "The time ran out, so this attempt was graded as of its deadline." in result.text
    assert '<p class="stat">0%</p>' in result.text


def test_a_submission_within_the_grace_period_counts(member_client, course, timed_exam, learner, monkeypatch):
    attempt = start_attempt(user=learner, assessment=timed_exam)
    move_clock(monkeypatch, attempt.deadline + timedelta(seconds=29))

    response = member_client.post(attempt_url(course, attempt), form_data(scripted_answers(attempt, right=True)))

    assert response.status_code == 302
    attempt.refresh_from_db()
    assert attempt.score == 100 and attempt.late is False


def test_an_abandoned_attempt_is_closed_when_opened_after_its_time(
    member_client, course, timed_exam, learner, monkeypatch
):
    attempt = start_attempt(user=learner, assessment=timed_exam)
    move_clock(monkeypatch, attempt.deadline + timedelta(hours=1))

    response = member_client.get(attempt_url(course, attempt))

    assert response.status_code == 302
    assert response["Location"] == result_url(course, attempt)
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED and attempt.late and attempt.score == 0


def test_a_failed_attempt_shows_the_cooldown(member_client, course, exam, learner, monkeypatch):
    Assessment.objects.filter(pk=exam.pk).update(cooldown_minutes=30)
    exam.refresh_from_db()
    attempt = start_attempt(user=learner, assessment=exam)
    member_client.post(attempt_url(course, attempt), form_data(scripted_answers(attempt, right=False)))

    message = "You can try again after the cooldown, in 30 minutes."
    assert message in member_client.get(result_url(course, attempt)).text
    assert message in member_client.get(course.url).text
    refused = member_client.post(f"{course.url}assessments/{exam.pk}/start/")
    assert refused.status_code == 409
    assert message in refused.text
    assert Attempt.objects.filter(user=learner).count() == 1

    move_clock(monkeypatch, clock.now() + timedelta(minutes=31))
    again = member_client.post(f"{course.url}assessments/{exam.pk}/start/")
    assert again.status_code == 302
    assert Attempt.objects.filter(user=learner).count() == 2


def test_used_up_attempts_are_explained(member_client, course, exam, learner):
    Assessment.objects.filter(pk=exam.pk).update(max_attempts=1)
    exam.refresh_from_db()
    attempt = start_attempt(user=learner, assessment=exam)
    member_client.post(attempt_url(course, attempt), form_data(scripted_answers(attempt, right=False)))

    assert "You have used all 1 attempts." in member_client.get(result_url(course, attempt)).text
    refused = member_client.post(f"{course.url}assessments/{exam.pk}/start/")
    assert refused.status_code == 409
    assert "You have used all 1 attempts." in refused.text


# Persian -------------------------------------------------------------------------------------------


def test_persian_attempt_and_result_pages(member_client, course, exam, learner):
    builders.catalog("fa")
    persian = course.copy_for_translation(Locale.objects.get(language_code="fa"))
    persian.title = "مبانی امنیت ابری"
    persian.save_revision().publish()

    started = member_client.post(f"{persian.url}assessments/{exam.pk}/start/")
    attempt = Attempt.objects.get(user=learner)
    assert started.status_code == 302
    assert started["Location"] == f"/fa/courses/{persian.slug}/attempts/{attempt.pk}/"

    page = member_client.get(started["Location"])
    assert page.status_code == 200
    assert '<html lang="fa" dir="rtl">' in page.text
    assert '<span class="question-number">۱.</span>' in page.text  # Persian digits
    assert "public key" not in page.text and "کلید عمومی" not in page.text

    submitted = member_client.post(started["Location"], form_data(scripted_answers(attempt, right=True)))
    assert submitted.status_code == 302
    assert submitted["Location"] == f"/fa/courses/{persian.slug}/attempts/{attempt.pk}/result/"
    result = member_client.get(submitted["Location"])
    assert result.status_code == 200
    assert 'dir="rtl"' in result.text
    assert '<p class="stat">۱۰۰%</p>' in result.text


def test_persian_refusal_pages_render(member_client, course, attempt):
    builders.catalog("fa")
    persian = course.copy_for_translation(Locale.objects.get(language_code="fa"))
    persian.save_revision().publish()

    response = member_client.post(f"/fa/courses/{persian.slug}/attempts/{attempt.pk}/", {"evil": "1"})

    assert response.status_code == 400
    assert 'dir="rtl"' in response.text
    assert untouched(attempt)


def test_an_expired_attempt_is_closed_when_the_course_is_opened(
    member_client, course, timed_exam, learner, monkeypatch
):
    """docs/courses.md promises it; the course page used to keep offering "Continue the attempt"."""
    attempt = start_attempt(user=learner, assessment=timed_exam)
    move_clock(monkeypatch, attempt.deadline + timedelta(hours=1))

    page = member_client.get(course.url)

    assert page.status_code == 200
    attempt.refresh_from_db()
    assert "Continue the attempt" not in page.text
    assert attempt.status == Attempt.Status.GRADED and attempt.late


def test_an_attempt_in_its_grace_period_is_still_offered_on_the_course_page(
    member_client, course, timed_exam, learner, monkeypatch
):
    attempt = start_attempt(user=learner, assessment=timed_exam)
    move_clock(monkeypatch, attempt.deadline + timedelta(seconds=20))

    page = member_client.get(course.url)

    attempt.refresh_from_db()
    assert "Continue the attempt" in page.text
    assert attempt.status == Attempt.Status.IN_PROGRESS
