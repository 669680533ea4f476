"""Course pages and lesson pages through the test client: states, enrolment, lessons, knowledge checks."""

from __future__ import annotations

import re

import pytest
from wagtail.models import Locale

from courses.blocks import knowledge_check_ids
from courses.models import (
    Attempt,
    Enrolment,
    KnowledgeCheckAnswer,
    LearningPathCourse,
    LearningPathPage,
    LessonCompletion,
    LessonPage,
)
from courses.services.attempts import start_attempt
from courses.services.enrolment import enrol_learner
from courses.services.progress import complete_lesson
from lms import clock
from lms.partners.models import Membership, Tier
from lms.partners.roles import StaffRole
from tests.courses import builders

pytestmark = pytest.mark.django_db


def lessons_of(course) -> list[LessonPage]:
    return list(LessonPage.objects.child_of(course).live().order_by("path"))


def message_in(response, text: str) -> bool:
    return text in response.content.decode()


@pytest.fixture
def member_client(client, learner):
    client.force_login(learner)
    return client


@pytest.fixture
def course(db):
    return builders.course(title="Cloud Security Fundamentals", lessons=3, questions=7)


# The course page --------------------------------------------------------------------------


def test_anonymous_readers_see_a_sign_in_link(client, course):
    response = client.get(course.url)

    assert response.status_code == 200
    assert f'href="/accounts/login/?next={course.url}"' in response.text
    assert "Sign in to enrol" in response.text
    assert "/enrol/" not in response.text
    # The outline names the lessons without linking them.
    assert "<span>Lesson 1</span>" in response.text
    assert 'href="/courses/cloud-security-fundamentals/lesson-1/"' not in response.text


def test_members_see_an_enrol_button(member_client, course):
    response = member_client.get(course.url)

    assert response.status_code == 200
    assert f'action="{course.url}enrol/"' in response.text
    assert ">Enrol</button>" in response.text
    assert "Sign in to enrol" not in response.text
    assert "Quizzes and exams" not in response.text  # only once enrolled


def test_enrolled_learners_see_progress_and_the_next_lesson(member_client, course, learner):
    enrol_learner(user=learner, course=course)
    first, second, _third = lessons_of(course)

    response = member_client.get(course.url)
    assert response.status_code == 200
    assert "0% complete (0 of 4 steps)" in response.text
    assert f'<a class="button" href="{first.url}">Start the first lesson</a>' in response.text
    assert f'action="{course.url}withdraw/"' in response.text
    assert ">Enrol</button>" not in response.text
    assert "Quizzes and exams" in response.text

    complete_lesson(user=learner, lesson=first)
    response = member_client.get(course.url)
    assert "25% complete (1 of 4 steps)" in response.text
    assert f'<a class="button" href="{second.url}">Resume</a>' in response.text
    assert 'class="outline-lesson is-done"' in response.text


def test_completed_courses_say_so(member_client, learner):
    course = builders.course(title="Short Course", lessons=1, exam=False)
    enrol_learner(user=learner, course=course)
    complete_lesson(user=learner, lesson=lessons_of(course)[0])
    assert Enrolment.objects.get(user=learner).completed_at is not None

    response = member_client.get(course.url)

    assert response.status_code == 200
    assert "100% complete" in response.text
    assert "Completed on" in response.text
    assert "/withdraw/" not in response.text  # a completed course stays on the record
    assert "Resume" not in response.text


def test_a_tier_locked_course_page_is_a_403_with_the_tier(member_client):
    course = builders.course(title="Gold Course", lessons=1, exam=False, minimum_tier=Tier.GOLD)

    response = member_client.get(course.url)

    assert response.status_code == 403
    assert "This course is available from the Gold tier." in response.text


def test_another_organizations_course_page_is_a_404(member_client, other_organization):
    course = builders.course(
        title="Northwind Private Training", lessons=1, exam=False, audience_organizations=[other_organization]
    )

    response = member_client.get(course.url)

    assert response.status_code == 404
    assert "Northwind Private Training" not in response.text


def test_own_organizations_restricted_course_is_open(member_client, organization):
    course = builders.course(title="Parsian Training", lessons=1, exam=False, audience_organizations=[organization])

    assert member_client.get(course.url).status_code == 200


# Enrol and withdraw ------------------------------------------------------------------------


def test_enrol_by_post(member_client, course, learner):
    response = member_client.post(f"{course.url}enrol/")

    assert response.status_code == 302
    assert response["Location"] == course.url
    enrolment = Enrolment.objects.get(user=learner)
    assert enrolment.course_id == course.pk
    assert enrolment.source == Enrolment.Source.SELF
    assert message_in(member_client.get(course.url), "You are enrolled.")


def test_enrolling_twice_keeps_one_enrolment(member_client, course, learner):
    member_client.post(f"{course.url}enrol/")
    response = member_client.post(f"{course.url}enrol/")

    assert response.status_code == 302
    assert Enrolment.objects.filter(user=learner).count() == 1


@pytest.mark.parametrize("action", ["enrol", "withdraw"])
def test_enrol_and_withdraw_refuse_get(member_client, course, learner, action):
    enrol_learner(user=learner, course=course) if action == "withdraw" else None

    response = member_client.get(f"{course.url}{action}/")

    assert response.status_code == 405
    assert Enrolment.objects.filter(user=learner).count() == (1 if action == "withdraw" else 0)


def test_anonymous_enrol_goes_to_sign_in(client, course):
    response = client.post(f"{course.url}enrol/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=")
    assert not Enrolment.objects.exists()


def test_enrolling_in_a_tier_locked_course_is_refused(member_client, learner):
    course = builders.course(title="Gold Course", lessons=1, exam=False, minimum_tier=Tier.GOLD)

    response = member_client.post(f"{course.url}enrol/")

    assert response.status_code == 403
    assert "This course is available from the Gold tier." in response.text
    assert not Enrolment.objects.exists()


def test_enrolling_in_another_organizations_course_is_a_404(member_client, other_organization):
    course = builders.course(title="Private", lessons=1, exam=False, audience_organizations=[other_organization])

    assert member_client.post(f"{course.url}enrol/").status_code == 404
    assert not Enrolment.objects.exists()


def test_enrolling_without_the_prerequisites_is_refused(member_client, learner):
    basics = builders.course(title="Basics", lessons=1, exam=False)
    advanced = builders.course(title="Advanced Topics", lessons=1, exam=False, prerequisites=[basics])

    page = member_client.get(advanced.url)
    assert "Complete these courses first:" in page.text
    assert f'<a href="{basics.url}">Basics</a>' in page.text
    assert ">Enrol</button>" not in page.text

    response = member_client.post(f"{advanced.url}enrol/")
    assert response.status_code == 409
    assert "Complete Basics first." in response.text
    assert not Enrolment.objects.exists()


def test_withdraw_by_post(member_client, course, learner):
    enrol_learner(user=learner, course=course)

    response = member_client.post(f"{course.url}withdraw/")

    assert response.status_code == 302
    assert response["Location"] == course.url
    assert not Enrolment.objects.exists()
    assert message_in(member_client.get(course.url), "You have left the course.")


def test_withdrawing_when_not_enrolled_is_refused(member_client, course):
    response = member_client.post(f"{course.url}withdraw/")

    assert response.status_code == 409
    assert "You are not enrolled in this course." in response.text


def test_an_assigned_course_cannot_be_left(member_client, course, learner, partner_admin):
    Enrolment.objects.create(
        user=learner,
        course=course,
        source=Enrolment.Source.ASSIGNED,
        assigned_by=partner_admin,
        enrolled_at=clock.now(),
    )

    response = member_client.post(f"{course.url}withdraw/")

    assert response.status_code == 409
    assert "only your partner admin can remove it" in response.text
    assert Enrolment.objects.filter(user=learner).exists()


# Lessons -----------------------------------------------------------------------------------


@pytest.fixture
def checked_course(db):
    return builders.course(title="Checked Course", lessons=2, checks=1, exam=False)


def test_anonymous_readers_are_sent_to_sign_in_from_a_lesson(client, checked_course):
    lesson = lessons_of(checked_course)[0]

    response = client.get(lesson.url)

    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={lesson.url}"


def test_members_not_enrolled_are_sent_to_the_course(member_client, checked_course, learner):
    lesson = lessons_of(checked_course)[0]

    response = member_client.get(lesson.url)

    assert response.status_code == 302
    assert response["Location"] == checked_course.url
    assert message_in(member_client.get(checked_course.url), "Enrol in the course to open its lessons.")
    assert not Enrolment.objects.filter(user=learner).exists()


def test_enrolled_learners_read_the_lesson_and_the_check_hides_its_answer(member_client, checked_course, learner):
    enrol_learner(user=learner, course=checked_course)
    lesson = lessons_of(checked_course)[0]
    (block_id,) = knowledge_check_ids(lesson.body)

    response = member_client.get(lesson.url)

    assert response.status_code == 200
    text = response.text
    assert "Lesson text." in text
    assert f'action="{lesson.url}check/{block_id}/"' in text
    assert 'name="choice" value="0"' in text and 'name="choice" value="1"' in text
    # Nothing tells the right choice apart before the learner answers.
    assert "is-correct" not in text
    assert "Correct answer" not in text
    assert "Because." not in text  # the explanation
    assert re.search(r"correct", text.replace("Correct", ""), flags=re.IGNORECASE) is None
    assert "Answer the 1 knowledge check above to complete this lesson." in text
    assert re.search(r'<button class="button" type="submit" disabled>Mark as complete</button>', text)
    assert Enrolment.objects.get(user=learner).last_lesson_id == lesson.pk


@pytest.mark.parametrize(("choice", "verdict"), [("0", "Correct"), ("1", "Not quite")])
def test_answering_a_check_shows_the_result(member_client, checked_course, learner, choice, verdict):
    enrol_learner(user=learner, course=checked_course)
    lesson = lessons_of(checked_course)[0]
    (block_id,) = knowledge_check_ids(lesson.body)

    response = member_client.post(f"{lesson.url}check/{block_id}/", {"choice": choice})

    assert response.status_code == 302
    assert response["Location"] == f"{lesson.url}#check-{block_id}"
    answer = KnowledgeCheckAnswer.objects.get(user=learner)
    assert answer.block_id == block_id and answer.chosen == [int(choice)] and answer.correct == (choice == "0")
    page = member_client.get(lesson.url).text
    assert f'<p class="knowledge-check-status {"is-success" if choice == "0" else "is-miss"}">{verdict}</p>' in page
    assert "is-correct" in page  # now the right answer is shown
    assert "Because." in page
    assert f'action="{lesson.url}check/{block_id}/"' not in page
    assert ">Mark as complete</button>" in page and "disabled>Mark as complete" not in page


def test_a_second_answer_does_not_replace_the_first(member_client, checked_course, learner):
    enrol_learner(user=learner, course=checked_course)
    lesson = lessons_of(checked_course)[0]
    (block_id,) = knowledge_check_ids(lesson.body)

    member_client.post(f"{lesson.url}check/{block_id}/", {"choice": "1"})
    response = member_client.post(f"{lesson.url}check/{block_id}/", {"choice": "0"})

    assert response.status_code == 302
    answer = KnowledgeCheckAnswer.objects.get(user=learner)
    assert answer.chosen == [1] and answer.correct is False


@pytest.mark.parametrize(
    ("data", "status", "message"),
    [
        ({"choice": "2"}, 400, "Choose one of the answers offered."),
        ({"choice": "99999999999999999999"}, 400, "Choose one of the answers offered."),
        ({"choice": "-1"}, 400, "Choose one of the answers offered."),
        ({"choice": "one"}, 400, "Choose one of the answers offered."),
        ({"choice": "١"}, 400, "Choose one of the answers offered."),  # an Arabic-Indic digit
        ({"choice": ["0", "1"]}, 400, "Choose one of the answers offered."),  # two answers to a single choice
        ({"choice": ["0", "0"]}, 400, "Choose one of the answers offered."),
    ],
)
def test_tampered_check_answers_are_refused_and_nothing_is_recorded(
    member_client, checked_course, learner, data, status, message
):
    enrol_learner(user=learner, course=checked_course)
    lesson = lessons_of(checked_course)[0]
    (block_id,) = knowledge_check_ids(lesson.body)

    response = member_client.post(f"{lesson.url}check/{block_id}/", data)

    assert response.status_code == status
    assert message in response.text
    assert not KnowledgeCheckAnswer.objects.exists()


def test_checking_without_choosing_goes_back_to_the_question(member_client, checked_course, learner):
    enrol_learner(user=learner, course=checked_course)
    lesson = lessons_of(checked_course)[0]
    (block_id,) = knowledge_check_ids(lesson.body)

    response = member_client.post(f"{lesson.url}check/{block_id}/", {}, follow=True)

    assert response.redirect_chain == [(f"{lesson.url}#check-{block_id}", 302)]
    assert "Choose an answer before checking it." in response.text
    assert not KnowledgeCheckAnswer.objects.exists()


@pytest.mark.parametrize("block_id", ["no-such-block", "00000000-0000-0000-0000-000000000000", "%2e%2e"])
def test_an_unknown_check_is_a_404_and_nothing_is_recorded(member_client, checked_course, learner, block_id):
    enrol_learner(user=learner, course=checked_course)
    lesson = lessons_of(checked_course)[0]

    response = member_client.post(f"{lesson.url}check/{block_id}/", {"choice": "0"})

    assert response.status_code == 404
    assert not KnowledgeCheckAnswer.objects.exists()


def test_a_check_from_another_lesson_is_a_404(member_client, checked_course, learner):
    enrol_learner(user=learner, course=checked_course)
    first, second = lessons_of(checked_course)
    (other_block,) = knowledge_check_ids(second.body)

    response = member_client.post(f"{first.url}check/{other_block}/", {"choice": "0"})

    assert response.status_code == 404
    assert "This question is not part of the lesson." in response.text
    assert not KnowledgeCheckAnswer.objects.exists()


def test_a_check_refuses_get(member_client, checked_course, learner):
    enrol_learner(user=learner, course=checked_course)
    lesson = lessons_of(checked_course)[0]
    (block_id,) = knowledge_check_ids(lesson.body)

    assert member_client.get(f"{lesson.url}check/{block_id}/").status_code == 405
    assert member_client.get(f"{lesson.url}complete/").status_code == 405


def test_mark_as_complete_is_refused_while_checks_are_unanswered(member_client, checked_course, learner):
    enrol_learner(user=learner, course=checked_course)
    lesson = lessons_of(checked_course)[0]

    response = member_client.post(f"{lesson.url}complete/")

    assert response.status_code == 409
    assert "Answer the knowledge check questions in this lesson first." in response.text
    assert not LessonCompletion.objects.exists()


def test_completing_a_lesson_moves_to_the_next_one(member_client, checked_course, learner):
    enrol_learner(user=learner, course=checked_course)
    first, second = lessons_of(checked_course)
    (block_id,) = knowledge_check_ids(first.body)
    member_client.post(f"{first.url}check/{block_id}/", {"choice": "1"})  # a wrong answer still counts as answered

    page = member_client.get(first.url).text
    assert f'<input type="hidden" name="next_lesson" value="{second.pk}">' in page
    response = member_client.post(f"{first.url}complete/", {"next_lesson": str(second.pk)})

    assert response.status_code == 302
    assert response["Location"] == second.url
    assert LessonCompletion.objects.filter(user=learner, lesson=first).exists()
    follow = member_client.get(second.url)
    assert "Lesson completed." in follow.text
    assert "50% complete" in follow.text


def test_completing_the_last_lesson_returns_to_the_course_and_completes_it(member_client, learner):
    course = builders.course(title="Short Course", lessons=1, exam=False)
    enrol_learner(user=learner, course=course)
    (lesson,) = lessons_of(course)

    response = member_client.post(f"{lesson.url}complete/")

    assert response.status_code == 302
    assert response["Location"] == course.url
    assert Enrolment.objects.get(user=learner).completed_at is not None
    assert "You have completed this lesson." in member_client.get(lesson.url).text


def test_next_lesson_outside_the_course_is_ignored(member_client, learner):
    course = builders.course(title="Short Course", lessons=1, exam=False)
    elsewhere = builders.course(title="Elsewhere", lessons=1, exam=False)
    enrol_learner(user=learner, course=course)
    (lesson,) = lessons_of(course)

    response = member_client.post(f"{lesson.url}complete/", {"next_lesson": str(lessons_of(elsewhere)[0].pk)})

    assert response["Location"] == course.url


def test_vendor_staff_preview_lessons_without_enrolling(client, checked_course, make_staff):
    author = make_staff(StaffRole.COURSE_AUTHOR)
    client.force_login(author)
    lesson = lessons_of(checked_course)[0]

    course_page = client.get(checked_course.url)
    assert "As vendor staff you can preview every lesson." in course_page.text
    assert f'href="{lesson.url}"' in course_page.text

    response = client.get(lesson.url)
    assert response.status_code == 200
    assert "You are previewing this lesson." in response.text
    assert ">Mark as complete</button>" not in response.text
    assert "is-correct" not in response.text
    assert not Enrolment.objects.exists()


def test_vendor_staff_preview_courses_of_every_organization_and_tier(client, other_organization, make_staff):
    client.force_login(make_staff(StaffRole.COURSE_AUTHOR))
    for title, fields in (
        ("Private", {"audience_organizations": [other_organization]}),
        ("Gold Course", {"minimum_tier": Tier.GOLD}),
    ):
        course = builders.course(title=title, lessons=1, exam=False, **fields)
        assert client.get(course.url).status_code == 200
        assert client.get(lessons_of(course)[0].url).status_code == 200


def test_a_lesson_of_a_tier_locked_course_is_a_403_even_when_enrolled(member_client, learner, organization):
    course = builders.course(title="Gold Course", lessons=1, exam=False, minimum_tier=Tier.GOLD)
    Enrolment.objects.create(user=learner, course=course, source=Enrolment.Source.SELF, enrolled_at=clock.now())

    response = member_client.get(lessons_of(course)[0].url)

    assert response.status_code == 403
    assert "This course is available from the Gold tier." in response.text


# Persian -----------------------------------------------------------------------------------


def translate(page, title: str):
    translated = page.copy_for_translation(Locale.objects.get(language_code="fa"))
    translated.title = title
    translated.save_revision().publish()
    return translated


def test_persian_course_and_lesson_pages_render_right_to_left(member_client, learner):
    course = builders.course(title="Cloud Security Fundamentals", lessons=2, checks=1, exam=False)
    builders.catalog("fa")
    persian = translate(course, "مبانی امنیت ابری")
    persian_lesson = translate(lessons_of(course)[0], "درس ۱")

    page = member_client.get(persian.url)
    assert page.status_code == 200
    assert '<html lang="fa" dir="rtl">' in page.text
    assert "مبانی امنیت ابری" in page.text

    member_client.post(f"{persian.url}enrol/")
    enrolment = Enrolment.objects.get(user=learner)
    assert enrolment.course_id == course.pk  # progress is kept on the original page

    lesson_page = member_client.get(persian_lesson.url)
    assert lesson_page.status_code == 200
    assert 'dir="rtl"' in lesson_page.text
    (block_id,) = knowledge_check_ids(persian_lesson.body)
    answered = member_client.post(f"{persian_lesson.url}check/{block_id}/", {"choice": "0"})
    assert answered.status_code == 302
    assert KnowledgeCheckAnswer.objects.get(user=learner).lesson_id == lessons_of(course)[0].pk


# Course content across organizations -------------------------------------------------------
#
# The course, lesson and attempt URLs are routes of Wagtail pages, all under the one
# `wagtail_serve` URL pattern, so the access matrix cannot key them by URL name. This
# is their matrix: a course restricted to Beta, probed by every kind of person.


@pytest.fixture
def beta_world(db, other_organization, make_member):
    course = builders.course(
        title="Beta Confidential Course",
        lessons=1,
        checks=1,
        questions=3,
        audience_organizations=[other_organization],
    )
    beta_learner = make_member(other_organization, email="learner@northwind.example")
    enrol_learner(user=beta_learner, course=course)
    attempt = start_attempt(user=beta_learner, assessment=course.assessments.get())
    (lesson,) = lessons_of(course)
    return {"course": course, "lesson": lesson, "attempt": attempt, "beta_learner": beta_learner}


def _course_routes(world) -> list[tuple[str, str, dict]]:
    course, lesson, attempt = world["course"], world["lesson"], world["attempt"]
    (block_id,) = knowledge_check_ids(lesson.body)
    exam = course.assessments.get()
    return [
        ("GET", course.url, {}),
        ("POST", f"{course.url}enrol/", {}),
        ("POST", f"{course.url}withdraw/", {}),
        ("GET", lesson.url, {}),
        ("POST", f"{lesson.url}complete/", {}),
        ("POST", f"{lesson.url}check/{block_id}/", {"choice": "0"}),
        ("POST", f"{course.url}assessments/{exam.pk}/start/", {}),
        ("GET", f"{course.url}attempts/{attempt.pk}/", {}),
        ("POST", f"{course.url}attempts/{attempt.pk}/", {}),
        ("GET", f"{course.url}attempts/{attempt.pk}/result/", {}),
    ]


ROUTE_NAMES = ["course", "enrol", "withdraw", "lesson", "complete", "check", "start", "attempt", "submit", "result"]
OUTSIDERS = ["anonymous", "alpha_learner", "alpha_admin"]


@pytest.mark.parametrize("who", OUTSIDERS)
@pytest.mark.parametrize("route", range(len(ROUTE_NAMES)), ids=ROUTE_NAMES)
def test_a_course_restricted_to_another_organization_is_a_404_everywhere(
    client, beta_world, organization, make_member, who, route
):
    if who != "anonymous":
        role = Membership.Role.ADMIN if who == "alpha_admin" else Membership.Role.LEARNER
        client.force_login(make_member(organization, role))
    method, url, data = _course_routes(beta_world)[route]

    response = client.get(url) if method == "GET" else client.post(url, data)

    if who == "anonymous" and ROUTE_NAMES[route] in {"lesson", "complete", "check"}:
        # Lessons ask for sign-in before anything else; nothing of the course is shown.
        assert response.status_code == 302
        assert response["Location"].startswith("/accounts/login/")
    else:
        assert response.status_code == 404, f"{who} {method} {url}"
    assert "Beta Confidential Course" not in response.content.decode()
    assert Enrolment.objects.filter(course=beta_world["course"]).count() == 1
    assert not KnowledgeCheckAnswer.objects.exists()
    assert not LessonCompletion.objects.exists()
    assert Attempt.objects.get().status == Attempt.Status.IN_PROGRESS


@pytest.mark.parametrize("role", [StaffRole.COURSE_AUTHOR, StaffRole.SITE_ADMIN])
@pytest.mark.parametrize("route", ["course", "lesson"])
def test_vendor_staff_open_a_course_restricted_to_an_organization(client, beta_world, make_staff, role, route):
    client.force_login(make_staff(role))
    url = beta_world["course"].url if route == "course" else beta_world["lesson"].url

    response = client.get(url)

    assert response.status_code == 200
    assert "Beta Confidential Course" in response.text


def test_the_organizations_own_learner_opens_the_course(client, beta_world):
    client.force_login(beta_world["beta_learner"])

    assert client.get(beta_world["course"].url).status_code == 200
    assert client.get(beta_world["lesson"].url).status_code == 200


# Learning paths ----------------------------------------------------------------------------


def test_a_learning_path_does_not_name_courses_of_other_organizations(member_client, other_organization):
    """path_overview used to list every course of the path, with title and link."""
    index = builders.catalog()
    shared = builders.course(index, title="Shared Basics", lessons=1, exam=False)
    secret = builders.course(
        index, title="Northwind Private Training", lessons=1, exam=False, audience_organizations=[other_organization]
    )
    path = builders.publish(
        index,
        LearningPathPage(
            title="Security Path",
            slug="security-path",
            summary="A path.",
            path_courses=[LearningPathCourse(course=shared), LearningPathCourse(course=secret)],
        ),
    )

    response = member_client.get(path.url)

    assert response.status_code == 200
    assert "Shared Basics" in response.text
    assert "Northwind Private Training" not in response.text


def test_resume_remembers_a_lesson_opened_in_the_other_language(member_client, learner):
    """record_visit used to store the translated lesson, which Resume then matched by pk and missed."""
    course = builders.course(title="Cloud Security Fundamentals", lessons=3, exam=False)
    builders.catalog("fa")
    translate(course, "مبانی امنیت ابری")
    first, _second, third = lessons_of(course)
    persian_third = translate(third, "درس ۳")
    enrol_learner(user=learner, course=course)
    complete_lesson(user=learner, lesson=first)
    assert member_client.get(third.url).status_code == 200
    assert f'<a class="button" href="{third.url}">Resume</a>' in member_client.get(course.url).text

    assert member_client.get(persian_third.url).status_code == 200  # the same lesson, in Persian
    page = member_client.get(course.url)

    assert f'<a class="button" href="{third.url}">Resume</a>' in page.text


def test_the_language_switch_leads_to_the_nearest_page_the_other_language_has(client, learner):
    english_catalog = builders.catalog("en")
    persian_catalog = builders.catalog("fa")
    persian_only = builders.course(persian_catalog, title="مبانی تحلیل داده", slug="data-basics", lessons=1, exam=False)
    client.force_login(learner)

    to_english = client.post("/language/", {"language": "en", "next": persian_only.url})
    assert to_english.status_code == 302
    assert to_english["Location"] == english_catalog.url  # no English version: the English catalog

    client.logout()
    visitor = client.get("/language/", {"language": "fa", "next": "/courses/"})
    assert visitor["Location"] == persian_catalog.url
    assert client.get("/language/", {"language": "fa", "next": "/learn/"})["Location"] == "/fa/learn/"
