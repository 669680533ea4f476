"""Course authors build courses, lessons, question banks and exams through the real Wagtail admin."""

from __future__ import annotations

import json
from datetime import timedelta
from decimal import Decimal
from unittest import mock

import pytest
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from wagtail.models import GroupApprovalTask, Page, Workflow, WorkflowPage, WorkflowState, WorkflowTask
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from courses.bank_formats import parse_csv, parse_json
from courses.models import (
    Assessment,
    CourseIndexPage,
    CoursePage,
    LearningPathPage,
    LessonPage,
    Question,
    QuestionBank,
    QuestionChoice,
)
from courses.services.question_banks import question_records
from lms.competencies.models import Competency
from lms.partners.roles import StaffRole
from lms.portal.models import HomePage
from tests.courses import builders
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PARAGRAPH_FEATURES = ["bold", "italic", "link", "ol", "ul", "h3", "document-link"]
BODY_FEATURES = ["bold", "italic", "link", "ol", "ul", "document-link"]
EXPLANATION_FEATURES = ["bold", "italic", "link", "ol", "ul"]


# --- Fixtures and form data ------------------------------------------------------------


@pytest.fixture
def catalog(db) -> CourseIndexPage:
    return builders.catalog()


@pytest.fixture
def author(catalog, make_staff):
    """Created after the catalog, as in production: the group's page permissions come from the catalog."""
    return make_staff(StaffRole.COURSE_AUTHOR, email="author@vendor.example")


@pytest.fixture
def author_client(client, author):
    client.force_login(author)
    return client


@pytest.fixture
def competencies(db) -> list[Competency]:
    return [
        Competency.objects.create(name="Zero trust", slug="zero-trust"),
        Competency.objects.create(name="Network security", slug="network-security"),
        Competency.objects.create(name="Sales", slug="sales"),
    ]


def add_page_url(model, parent) -> str:
    return reverse("wagtailadmin_pages:add", args=(model._meta.app_label, model._meta.model_name, parent.pk))


def list_block(items: list[dict]) -> dict:
    """ListBlock form data, as the admin's JavaScript posts it."""
    data: dict = {
        str(index): {"value": value, "order": str(index), "deleted": "", "id": ""} for index, value in enumerate(items)
    }
    data["count"] = str(len(items))
    return data


def knowledge_check(*, correct: tuple[bool, bool] = (False, True), multiple: bool = False) -> dict:
    return {
        "question": "How often should a restore be tested?",
        "choices": list_block(
            [
                {"text": "Never", "correct": "on" if correct[0] else ""},
                {"text": "Every month", "correct": "on" if correct[1] else ""},
            ]
        ),
        "multiple": "on" if multiple else "",
        "explanation": rich_text("<p>Untested backups fail when needed.</p>", features=EXPLANATION_FEATURES),
    }


def lesson_body(**check_options) -> dict:
    """One of every block that needs no image or document."""
    return streamfield(
        [
            ("heading", {"text": "Restoring a snapshot", "level": "h2"}),
            ("paragraph", rich_text("<p>Snapshots are <b>incremental</b>.</p>", features=PARAGRAPH_FEATURES)),
            (
                "callout",
                {
                    "kind": "warning",
                    "title": "Mind the retention",
                    "body": rich_text("<p>Old snapshots expire after thirty days.</p>", features=BODY_FEATURES),
                },
            ),
            ("code", {"language": "bash", "code": "abrzad snapshot restore --latest"}),
            ("knowledge_check", knowledge_check(**check_options)),
            (
                "accordion",
                {
                    "title": "Frequently asked",
                    "items": list_block(
                        [
                            {
                                "heading": "Where are snapshots kept?",
                                "body": rich_text("<p>In a second region.</p>", features=BODY_FEATURES),
                            },
                            {
                                "heading": "Who can restore?",
                                "body": rich_text("<p>Project owners only.</p>", features=BODY_FEATURES),
                            },
                        ]
                    ),
                },
            ),
        ]
    )


LESSON_TEXTS = (
    "Restoring a snapshot",
    "<b>incremental</b>",
    "Mind the retention",
    "Old snapshots expire after thirty days.",
    "abrzad snapshot restore --latest",
    "How often should a restore be tested?",
    "Every month",
    "Frequently asked",
    "Where are snapshots kept?",
    "Project owners only.",
)


def lesson_form(*, title: str = "Snapshots", slug: str = "snapshots", publish: bool = True, **check_options) -> dict:
    data = nested_form_data(
        {
            "title": title,
            "slug": slug,
            "seo_title": "",
            "search_description": "",
            "go_live_at": "",
            "expire_at": "",
            "estimated_minutes": "15",
            "required": "on",
            "body": lesson_body(**check_options),
        }
    )
    if publish:
        data["action-publish"] = "action-publish"
    return data


def course_form(competencies=(), *, publish: bool = True, **fields) -> dict:
    data = {
        "title": "Zero Trust Networking",
        "slug": "zero-trust-networking",
        "seo_title": "",
        "search_description": "",
        "go_live_at": "",
        "expire_at": "",
        "summary": "Design networks that trust nobody by default.",
        "cover_image": "",
        "competencies": [str(competency.pk) for competency in competencies],
        "level": "advanced",
        "estimated_minutes": "90",
        "minimum_tier": "gold",
    }
    data.update(fields)
    if publish:
        data["action-publish"] = "action-publish"
    return data


def form_errors(response) -> str:
    """What the admin said was wrong, for assertion messages."""
    context = response.context or {}
    form = context.get("form")
    if form is None:
        return response.content.decode()[:2000]
    formsets = {name: [f.errors for f in formset.forms] for name, formset in getattr(form, "formsets", {}).items()}
    return f"{form.errors.as_data()!r} {form.non_field_errors()!r} {formsets!r}"


def assert_denied(response):
    """Wagtail turns a PermissionDenied in the admin into a redirect to the dashboard, with a message."""
    assert response.status_code == 302, response.status_code
    assert response.url == reverse("wagtailadmin_home")


def assert_sent_to_login(response):
    assert response.status_code == 302, response.status_code
    assert response.url.startswith(reverse("wagtailadmin_login"))


def assert_created(response):
    assert response.status_code == 302, form_errors(response)


# --- 1. Courses and lessons ---------------------------------------------------------------


def test_a_course_author_reaches_the_admin_and_sees_the_assessment_menu(author_client):
    response = author_client.get(reverse("wagtailadmin_home"))
    assert response.status_code == 200
    content = response.content.decode()
    for label in ("Assessments", "Question banks", "Questions", "Quizzes and exams"):
        assert label in content


def test_an_author_creates_a_course_and_a_published_lesson_with_every_text_block(
    author_client, author, catalog, competencies
):
    response = author_client.post(add_page_url(CoursePage, catalog), course_form(competencies[:2]))
    assert_created(response)
    course = CoursePage.objects.get(slug="zero-trust-networking")
    assert course.get_parent().pk == catalog.pk
    assert course.live and course.owner == author
    assert set(course.competencies.all()) == set(competencies[:2])
    assert course.level == "advanced" and course.minimum_tier == "gold" and course.estimated_minutes == 90

    response = author_client.post(add_page_url(LessonPage, course), lesson_form())
    assert_created(response)
    lesson = LessonPage.objects.get(slug="snapshots")
    assert lesson.get_parent().pk == course.pk
    assert lesson.live and not lesson.has_unpublished_changes
    assert [block.block_type for block in lesson.body] == [
        "heading",
        "paragraph",
        "callout",
        "code",
        "knowledge_check",
        "accordion",
    ]
    check = lesson.body[4].value
    assert [choice["correct"] for choice in check["choices"]] == [False, True]
    assert all(block.id for block in lesson.body), "every block gets an id, which knowledge checks post to"

    served = author_client.get(lesson.url)
    assert served.status_code == 200
    content = served.content.decode()
    for text in LESSON_TEXTS:
        assert text in content, text
    assert author_client.get(course.url).status_code == 200


def test_a_knowledge_check_without_a_correct_choice_is_refused(author_client, catalog):
    course = builders.course(catalog, lessons=0, exam=False)
    response = author_client.post(add_page_url(LessonPage, course), lesson_form(correct=(False, False)))
    assert response.status_code == 200
    assert not LessonPage.objects.filter(slug="snapshots").exists()
    assert "body" in response.context["form"].errors
    assert "Mark at least one choice as correct." in response.content.decode()


def test_several_correct_choices_need_several_answers_ticked(author_client, catalog):
    course = builders.course(catalog, lessons=0, exam=False)
    response = author_client.post(add_page_url(LessonPage, course), lesson_form(correct=(True, True)))
    assert response.status_code == 200
    assert not LessonPage.objects.filter(slug="snapshots").exists()
    assert "Several choices are marked correct" in response.content.decode()

    response = author_client.post(add_page_url(LessonPage, course), lesson_form(correct=(True, True), multiple=True))
    assert_created(response)


def path_form(courses, *, title: str = "Zero Trust Specialist", slug: str = "zero-trust-specialist") -> dict:
    data = nested_form_data(
        {
            "title": title,
            "slug": slug,
            "seo_title": "",
            "search_description": "",
            "go_live_at": "",
            "expire_at": "",
            "summary": "Every course a zero trust specialist needs, in order.",
            "cover_image": "",
            "path_courses": inline_formset([{"course": str(course.pk)} for course in courses]),
        }
    )
    data["action-publish"] = "action-publish"
    return data


def test_an_author_creates_a_learning_path_with_its_courses_in_order(author_client, catalog):
    first = builders.course(catalog, title="Networking Basics", lessons=1, exam=False)
    second = builders.course(catalog, title="Zero Trust Design", lessons=1, exam=False)
    response = author_client.post(add_page_url(LearningPathPage, catalog), path_form([second, first]))
    assert_created(response)
    path = LearningPathPage.objects.get(slug="zero-trust-specialist")
    assert path.live and path.get_parent().pk == catalog.pk
    assert [item.course.pk for item in path.path_courses.order_by("sort_order")] == [second.pk, first.pk]
    served = author_client.get(path.url)
    assert served.status_code == 200
    assert "Zero Trust Design" in served.content.decode()


@pytest.mark.parametrize("case", ["no course", "a course twice"])
def test_a_learning_path_without_courses_or_with_a_course_twice_is_refused(author_client, catalog, case):
    course = builders.course(catalog, lessons=1, exam=False)
    courses = [] if case == "no course" else [course, course]
    response = author_client.post(add_page_url(LearningPathPage, catalog), path_form(courses))
    assert response.status_code == 200
    assert not LearningPathPage.objects.exists()
    formset = response.context["form"].formsets["path_courses"]
    assert formset.non_form_errors() or any(form.errors for form in formset.forms)


# --- 2. Where authors may not go ---------------------------------------------------------


def test_an_author_cannot_add_pages_outside_the_catalog(author_client, catalog, site_admin, client):
    home = HomePage.objects.get(locale__language_code="en")
    url = add_page_url(CourseIndexPage, home)
    assert_denied(author_client.get(url))
    response = author_client.post(url, {"title": "Second catalog", "slug": "second-catalog", "action-publish": "1"})
    assert_denied(response)
    assert not CourseIndexPage.objects.filter(slug="second-catalog").exists()

    client.force_login(site_admin)  # the page type is allowed there: it is the author's permission that is missing
    assert client.get(url).status_code == 200


def test_an_author_cannot_edit_pages_outside_the_catalog(author_client, catalog):
    home = HomePage.objects.get(locale__language_code="en")
    assert_denied(author_client.get(reverse("wagtailadmin_pages:edit", args=(home.pk,))))


def test_a_marketer_cannot_edit_or_add_course_pages(client, make_staff, catalog, competencies):
    course = builders.course(catalog, lessons=1, exam=False)
    lesson = LessonPage.objects.child_of(course).get()
    client.force_login(make_staff(StaffRole.MARKETER))
    for page in (course, lesson, catalog):
        assert_denied(client.get(reverse("wagtailadmin_pages:edit", args=(page.pk,))))
    response = client.post(
        reverse("wagtailadmin_pages:edit", args=(course.pk,)), course_form(title="Hijacked", slug=course.slug)
    )
    assert_denied(response)
    course.refresh_from_db()
    assert course.title == "Cloud Security Fundamentals"
    assert_denied(client.get(add_page_url(CoursePage, catalog)))
    response = client.post(add_page_url(CoursePage, catalog), course_form(competencies))
    assert_denied(response)
    assert not CoursePage.objects.filter(slug="zero-trust-networking").exists()


# --- 3. Preview ----------------------------------------------------------------------------


def test_the_preview_of_a_new_lesson_shows_every_block(author_client, catalog):
    course = builders.course(catalog, lessons=0, exam=False)
    url = reverse("wagtailadmin_pages:preview_on_add", args=("courses", "lessonpage", course.pk))
    response = author_client.post(url, lesson_form(publish=False))
    assert response.status_code == 200
    assert response.json() == {"is_valid": True, "is_available": True}

    preview = author_client.get(url)
    assert preview.status_code == 200
    content = preview.content.decode()
    for text in LESSON_TEXTS:
        assert text in content, text
    assert not LessonPage.objects.child_of(course).exists()


def test_the_preview_of_an_edited_lesson_shows_the_unsaved_changes(author_client, catalog):
    course = builders.course(catalog, lessons=1, exam=False)
    lesson = LessonPage.objects.child_of(course).get()
    url = reverse("wagtailadmin_pages:preview_on_edit", args=(lesson.pk,))
    response = author_client.post(url, lesson_form(title=lesson.title, slug=lesson.slug, publish=False))
    assert response.json() == {"is_valid": True, "is_available": True}

    preview = author_client.get(url)
    assert preview.status_code == 200
    content = preview.content.decode()
    for text in LESSON_TEXTS:
        assert text in content, text
    lesson.refresh_from_db()
    assert "Restoring a snapshot" not in str(lesson.body.raw_data)


def test_an_invalid_lesson_cannot_be_previewed(author_client, catalog):
    course = builders.course(catalog, lessons=0, exam=False)
    url = reverse("wagtailadmin_pages:preview_on_add", args=("courses", "lessonpage", course.pk))
    response = author_client.post(url, lesson_form(publish=False, correct=(False, False)))
    assert response.json() == {"is_valid": False, "is_available": False}


def test_the_preview_of_a_new_course_renders(author_client, catalog, competencies):
    url = reverse("wagtailadmin_pages:preview_on_add", args=("courses", "coursepage", catalog.pk))
    response = author_client.post(url, course_form(competencies[:1], publish=False))
    assert response.json() == {"is_valid": True, "is_available": True}
    preview = author_client.get(url)
    assert preview.status_code == 200
    assert "Design networks that trust nobody by default." in preview.content.decode()
    assert not CoursePage.objects.exists()


# --- 4. Question banks and questions ------------------------------------------------------

BANK_ADD = "wagtailsnippets_courses_questionbank:add"
QUESTION_ADD = "wagtailsnippets_courses_question:add"
ASSESSMENT_ADD = "wagtailsnippets_courses_assessment:add"


def test_an_author_creates_a_question_bank(author_client, competencies):
    response = author_client.post(
        reverse(BANK_ADD),
        {
            "name": "Zero trust basics",
            "language": "en",
            "competencies": [str(competencies[0].pk)],
            "description": "Questions for the zero trust course.",
        },
    )
    assert_created(response)
    bank = QuestionBank.objects.get(name="Zero trust basics")
    assert list(bank.competencies.all()) == [competencies[0]]
    edit = author_client.get(reverse("wagtailsnippets_courses_questionbank:edit", args=(bank.pk,)))
    assert edit.status_code == 200
    content = edit.content.decode()
    assert reverse("courses_admin_import_bank", args=(bank.pk,)) in content
    assert reverse("courses_admin_export_bank", args=(bank.pk, "csv")) in content


@pytest.fixture
def bank(db) -> QuestionBank:
    return QuestionBank.objects.create(name="Networking basics", language="en")


def question_form(bank, kind: str, prompt: str, choices=(), **fields) -> dict:
    data = {
        "bank": str(bank.pk),
        "kind": kind,
        "points": "1",
        "prompt": prompt,
        "numeric_answer": "",
        "tolerance": "0",
        "accepted_answers": "[]",
        "normalized_match": "on",
        "partial_credit": "",
        "is_active": "on",
        "explanation": "",
        "choices": inline_formset(list(choices)),
    }
    data.update(fields)
    return nested_form_data(data)


def choice(text: str, correct: bool = False, match: str = "") -> dict:
    return {"text": text, "correct": "on" if correct else "", "match": match}


QUESTIONS = {
    "single": (
        {"choices": [choice("HTTP"), choice("HTTPS", True), choice("FTP")]},
        {"choices": [("HTTP", False, ""), ("HTTPS", True, ""), ("FTP", False, "")]},
    ),
    "multiple": (
        {"choices": [choice("IaaS", True), choice("LAN"), choice("SaaS", True)], "partial_credit": "on", "points": "2"},
        {"choices": [("IaaS", True, ""), ("LAN", False, ""), ("SaaS", True, "")], "partial_credit": True, "points": 2},
    ),
    "true_false": (
        {"choices": [choice("True"), choice("False", True)]},
        {"choices": [("True", False, ""), ("False", True, "")]},
    ),
    "numeric": (
        {"numeric_answer": "3.14", "tolerance": "0.005"},
        {"choices": [], "numeric_answer": Decimal("3.14"), "tolerance": Decimal("0.005")},
    ),
    "short_text": (
        {"accepted_answers": json.dumps(["ls", "ls -l"]), "normalized_match": ""},
        {"choices": [], "accepted_answers": ["ls", "ls -l"], "normalized_match": False},
    ),
    "ordering": (
        {"choices": [choice("Lead"), choice("Qualified"), choice("Proposal"), choice("Closed")]},
        {"choices": [("Lead", False, ""), ("Qualified", False, ""), ("Proposal", False, ""), ("Closed", False, "")]},
    ),
    "matching": (
        {"choices": [choice("22", match="SSH"), choice("80", match="HTTP"), choice("443", match="HTTPS")]},
        {"choices": [("22", False, "SSH"), ("80", False, "HTTP"), ("443", False, "HTTPS")]},
    ),
}


@pytest.mark.parametrize("kind", list(QUESTIONS))
def test_an_author_creates_a_question_of_each_kind(author_client, bank, kind):
    fields, expected = QUESTIONS[kind]
    prompt = f"A {kind} question?"
    response = author_client.post(reverse(QUESTION_ADD), question_form(bank, kind, prompt, **fields))
    assert_created(response)
    question = Question.objects.get(prompt=prompt)
    assert question.bank == bank and question.kind == kind and question.is_active
    choices = [(c.text, c.correct, c.match) for c in question.choices.order_by("sort_order")]
    assert choices == expected["choices"]
    for name, value in expected.items():
        if name != "choices":
            assert getattr(question, name) == value, name
    # What the admin accepted is a valid record, so it exports and imports again.
    assert question_records(bank)[0].kind == kind


INVALID_QUESTIONS = {
    "single with two correct": (
        "single",
        {"choices": [choice("HTTP", True), choice("HTTPS", True), choice("FTP")]},
        "Mark exactly one choice as correct; 2 are marked.",
    ),
    "matching choice without a match": (
        "matching",
        {"choices": [choice("22", match="SSH"), choice("80")]},
        "Choice 2 has no match.",
    ),
    "true_false with other texts": (
        "true_false",
        {"choices": [choice("Yes", True), choice("No")]},
        "A true/false question has exactly the two choices “True” and “False”, one of them correct.",
    ),
    "single with one choice": (
        "single",
        {"choices": [choice("HTTPS", True)]},
        "This question needs at least 2 choices; it has 1.",
    ),
    "numeric without a number": ("numeric", {}, "Give the correct number."),
    "short_text without an answer": ("short_text", {}, "Give at least one accepted answer."),
    "ordering with a correct mark": (
        "ordering",
        {"choices": [choice("Lead", True), choice("Closed")]},
        "Choices of ordering and matching questions are not marked correct.",
    ),
}


@pytest.mark.parametrize("case", list(INVALID_QUESTIONS))
def test_an_invalid_question_is_refused_with_the_reason(author_client, bank, case):
    kind, fields, message = INVALID_QUESTIONS[case]
    response = author_client.post(reverse(QUESTION_ADD), question_form(bank, kind, "Not saved?", **fields))
    assert response.status_code == 200
    assert message in response.content.decode(), form_errors(response)
    assert not Question.objects.exists()


def test_a_deleted_choice_does_not_count(author_client, bank):
    choices = [choice("True", True), {**choice("Maybe"), "DELETE": "on"}, choice("False")]
    response = author_client.post(reverse(QUESTION_ADD), question_form(bank, "true_false", "Deleted?", choices=choices))
    assert_created(response)
    question = Question.objects.get(prompt="Deleted?")
    assert [c.text for c in question.choices.order_by("sort_order")] == ["True", "False"]


# The accepted answers box: what is validated is what is saved.


def test_a_question_whose_accepted_answers_box_was_emptied_is_saved(author_client, bank):
    """The box holds "[]" when the form opens; an author who clears it on a choice question."""
    fields, _expected = QUESTIONS["single"]
    response = author_client.post(
        reverse(QUESTION_ADD), question_form(bank, "single", "Empty box?", **{**fields, "accepted_answers": ""})
    )
    assert_created(response)
    assert Question.objects.get(prompt="Empty box?").accepted_answers == []


@pytest.mark.parametrize(
    "accepted_answers",
    [
        pytest.param('"ssh"', id="a JSON string: saved, and graded letter by letter"),
        pytest.param('{"public key": "yes"}', id="a JSON object: saved"),
        pytest.param("[42]", id="a number in the list: AttributeError, a 500"),
    ],
)
def test_accepted_answers_must_be_a_list_of_texts(author_client, bank, accepted_answers):
    response = author_client.post(
        reverse(QUESTION_ADD),
        question_form(bank, "short_text", "Name the key?", accepted_answers=accepted_answers),
    )
    assert response.status_code == 200
    assert not Question.objects.exists()


def test_accepted_answers_are_saved_as_validated(author_client, bank):
    """The form validates "ls" but saves " ls ", which no export accepts: the bank cannot be exported."""
    response = author_client.post(
        reverse(QUESTION_ADD),
        question_form(bank, "short_text", "List files?", accepted_answers=json.dumps([" ls ", "ls -l "])),
    )
    assert_created(response)
    assert Question.objects.get(prompt="List files?").accepted_answers == ["ls", "ls -l"]
    assert author_client.get(export_url(bank, "csv")).status_code == 200


def test_choices_are_saved_in_the_order_they_were_validated(author_client, bank):
    choices = [{**choice("True", True), "ORDER": ""}, {**choice("False"), "ORDER": "1"}]
    response = author_client.post(reverse(QUESTION_ADD), question_form(bank, "true_false", "Order?", choices=choices))
    if response.status_code == 200:  # refusing the ambiguous order is fine too
        assert not Question.objects.exists()
        return
    assert_created(response)
    question = Question.objects.get(prompt="Order?")
    assert [c.text for c in question.choices.order_by("sort_order")] == ["True", "False"]


def test_editing_a_question_keeps_the_same_rules(author_client, bank):
    question = builders.single(bank, prompt="Pick one")
    choices = list(question.choices.order_by("sort_order"))
    url = reverse("wagtailsnippets_courses_question:edit", args=(question.pk,))
    data = question_form(
        bank,
        "single",
        "Pick one",
        choices=[{"id": str(c.pk), "text": c.text, "correct": "on", "match": ""} for c in choices],
    )
    data["choices-INITIAL_FORMS"] = str(len(choices))
    response = author_client.post(url, data)
    assert response.status_code == 200
    assert "Mark exactly one choice as correct; 3 are marked." in response.content.decode()
    assert [c.correct for c in question.choices.order_by("sort_order")] == [True, False, False]


# --- 5. Quizzes and exams ----------------------------------------------------------------


def assessment_form(course, banks, **fields) -> dict:
    data = {
        "title": "Zero trust final exam",
        "kind": "exam",
        "course": str(course.pk),
        "lesson": "",
        "banks": [str(bank.pk) for bank in banks],
        "question_count": "5",
        "shuffle_choices": "on",
        "pass_mark": "80",
        "score_policy": "highest",
        "time_limit_minutes": "30",
        "grace_seconds": "30",
        "max_attempts": "3",
        "cooldown_minutes": "60",
        "show_answers": "on",
        "requires_practice": "",
    }
    data.update(fields)
    return data


def test_an_author_creates_an_exam_from_two_banks(author_client, catalog):
    course = builders.course(catalog, lessons=2, exam=False)
    lesson = LessonPage.objects.child_of(course).first()
    banks = [builders.question_bank(name="One", size=3), builders.question_bank(name="Two", size=3)]
    response = author_client.post(reverse(ASSESSMENT_ADD), assessment_form(course, banks, lesson=str(lesson.pk)))
    assert_created(response)
    exam = Assessment.objects.get(title="Zero trust final exam")
    assert exam.course.pk == course.pk and exam.lesson.pk == lesson.pk
    assert set(exam.banks.all()) == set(banks)
    assert (exam.pass_mark, exam.max_attempts, exam.time_limit_minutes) == (80, 3, 30)


def test_an_exam_on_a_lesson_of_another_course_is_refused(author_client, catalog):
    course = builders.course(catalog, lessons=1, exam=False)
    other = builders.course(catalog, title="Sales Basics", lessons=1, exam=False)
    foreign_lesson = LessonPage.objects.child_of(other).get()
    bank = builders.question_bank(size=3)
    response = author_client.post(
        reverse(ASSESSMENT_ADD), assessment_form(course, [bank], lesson=str(foreign_lesson.pk))
    )
    assert response.status_code == 200
    assert "The lesson must belong to the chosen course." in response.content.decode()
    assert not Assessment.objects.exists()


def test_a_practice_quiz_cannot_wait_for_practice_quizzes(author_client, catalog):
    course = builders.course(catalog, lessons=1, exam=False)
    bank = builders.question_bank(size=3)
    response = author_client.post(
        reverse(ASSESSMENT_ADD), assessment_form(course, [bank], kind="practice", requires_practice="on")
    )
    assert response.status_code == 200
    assert "Only a graded exam can wait for practice quizzes." in response.content.decode()
    assert not Assessment.objects.exists()


# --- 6. Import and export ----------------------------------------------------------------

VALID_CSV = (
    "kind,prompt,choices,correct,answer,tolerance,match,points,partial_credit,explanation\n"
    "single,Which protocol encrypts web traffic?,HTTP | HTTPS | FTP,2,,,,1,no,HTTPS adds TLS to HTTP.\n"
    "multiple,Which of these are cloud service models?,IaaS | PaaS | LAN | SaaS,1|2|4,,,,2,yes,\n"
    "true_false,A VPN encrypts the traffic between two networks.,,true,,,,1,no,\n"
    'numeric,"What is pi, to two decimal places?",,,3.14,0.005,,1,no,\n'
    "short_text,Which command lists the files in a Linux directory?,,,ls | ls -l,,exact,1,no,\n"
    "ordering,Put the stages of a deal in order.,Lead | Qualified | Proposal | Closed,,,,,3,yes,\n"
    "matching,Match each port to its service.,22 => SSH | 80 => HTTP | 443 => HTTPS,,,,,3,yes,\n"
    "single,کدام پروتکل ترافیک وب را رمزنگاری می‌کند؟,HTTP | HTTPS | FTP,2,,,,۲,no,HTTPS همان HTTP به‌همراه TLS است.\n"
)


def upload(name: str, content: str | bytes) -> SimpleUploadedFile:
    data = content.encode() if isinstance(content, str) else content
    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def import_url(bank) -> str:
    return reverse("courses_admin_import_bank", args=(bank.pk,))


def export_url(bank, file_format: str) -> str:
    return reverse("courses_admin_export_bank", args=(bank.pk, file_format))


def test_the_import_page_opens(author_client, bank):
    response = author_client.get(import_url(bank))
    assert response.status_code == 200
    assert 'enctype="multipart/form-data"' in response.content.decode()


def test_a_valid_csv_file_is_imported(author_client, bank):
    response = author_client.post(import_url(bank), {"file": upload("bank.csv", VALID_CSV)})
    assert response.status_code == 302
    assert response.url == reverse("wagtailsnippets_courses_questionbank:edit", args=(bank.pk,))
    questions = list(bank.questions.order_by("pk"))
    assert [q.kind for q in questions] == [
        "single",
        "multiple",
        "true_false",
        "numeric",
        "short_text",
        "ordering",
        "matching",
        "single",
    ]
    assert questions[-1].points == 2
    assert [c.text for c in questions[6].choices.order_by("sort_order")] == ["22", "80", "443"]
    followed = author_client.get(response.url)
    assert "Imported 8 questions into Networking basics." in followed.content.decode()


def test_a_csv_file_with_one_bad_row_imports_nothing_and_says_where(author_client, bank):
    bad = VALID_CSV.replace(
        "single,Which protocol encrypts web traffic?,HTTP | HTTPS | FTP,2,",
        "single,Which protocol encrypts web traffic?,HTTP | HTTPS | FTP,1|2,",
    )
    response = author_client.post(import_url(bank), {"file": upload("bank.csv", bad)})
    assert response.status_code == 400
    content = response.content.decode()
    assert "Nothing was imported" in content
    assert "line 2, column correct" in content
    assert "Mark exactly one choice as correct; 2 are marked." in content
    assert not bank.questions.exists()


def test_a_file_of_another_type_is_refused(author_client, bank):
    response = author_client.post(import_url(bank), {"file": upload("bank.xlsx", VALID_CSV)})
    assert response.status_code == 400
    assert "Choose a .csv or .json file." in response.content.decode()
    assert not bank.questions.exists()


def test_a_file_over_two_megabytes_is_refused(author_client, bank):
    padding = "x" * (2 * 1024 * 1024)
    response = author_client.post(import_url(bank), {"file": upload("bank.csv", VALID_CSV + padding)})
    assert response.status_code == 400
    assert "The file is larger than 2 MB." in response.content.decode()
    assert not bank.questions.exists()


@pytest.mark.parametrize("file_format", ["csv", "json"])
def test_an_exported_bank_imports_again_unchanged(author_client, bank, file_format):
    author_client.post(import_url(bank), {"file": upload("bank.csv", VALID_CSV)})
    original = question_records(bank)
    assert len(original) == 8

    response = author_client.get(export_url(bank, file_format))
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="networking-basics.{file_format}"'
    content = response.content
    parsed = parse_csv(content) if file_format == "csv" else parse_json(content)
    assert list(parsed) == original

    copy = QuestionBank.objects.create(name="Copy", language="en")
    response = author_client.post(import_url(copy), {"file": upload(f"copy.{file_format}", content)})
    assert response.status_code == 302
    assert question_records(copy) == original


def test_an_unknown_export_format_is_not_found(author_client, bank):
    assert author_client.get(export_url(bank, "xml")).status_code == 404


def test_a_json_file_with_a_bad_question_names_its_path(author_client, bank):
    content = json.dumps(
        {
            "format": "abrzad-question-bank",
            "version": 1,
            "questions": [
                {"kind": "numeric", "prompt": "How many?", "numeric_answer": "3"},
                {"kind": "single", "prompt": "Pick one", "choices": [{"text": "A"}, {"text": "B"}]},
            ],
        }
    )
    response = author_client.post(import_url(bank), {"file": upload("bank.json", content)})
    assert response.status_code == 400
    page = response.content.decode()
    assert "questions[1]" in page and "Mark exactly one choice as correct; 0 are marked." in page
    assert not bank.questions.exists()


def test_a_file_that_is_not_utf8_is_refused(author_client, bank):
    response = author_client.post(import_url(bank), {"file": upload("bank.csv", VALID_CSV.encode("utf-16"))})
    assert response.status_code == 400
    assert "UTF-8" in response.content.decode()
    assert not bank.questions.exists()


def test_exporting_a_bank_with_an_invalid_question_explains_instead_of_failing(author_client, bank):
    question = Question.objects.create(bank=bank, kind="single", prompt="Two right answers")
    QuestionChoice.objects.create(question=question, text="A", correct=True, sort_order=0)
    QuestionChoice.objects.create(question=question, text="B", correct=True, sort_order=1)
    response = author_client.get(export_url(bank, "csv"))
    assert response.status_code in (302, 400, 409)
    assert not response.has_header("Content-Disposition")


@pytest.mark.parametrize("who", ["learner", "marketer"])
def test_people_who_do_not_author_courses_cannot_import_or_export(client, bank, who, learner, make_staff):
    """A learner never reaches the admin; a marketer does, but not the question banks."""
    user = learner if who == "learner" else make_staff(StaffRole.MARKETER)
    client.force_login(user)
    refused = assert_sent_to_login if who == "learner" else assert_denied
    refused(client.get(import_url(bank)))
    refused(client.post(import_url(bank), {"file": upload("bank.csv", VALID_CSV)}))
    assert not bank.questions.exists()
    for file_format in ("csv", "json"):
        response = client.get(export_url(bank, file_format))
        refused(response)
        assert not response.has_header("Content-Disposition")
    refused(client.get(reverse(QUESTION_ADD)))
    refused(client.post(reverse(BANK_ADD), {"name": "Sneaky", "language": "en", "description": ""}))
    assert not QuestionBank.objects.filter(name="Sneaky").exists()


# --- 7. Scheduled publishing ---------------------------------------------------------------


def test_a_course_scheduled_for_later_goes_live_when_its_time_comes(author_client, catalog, competencies):
    go_live_at = timezone.now() + timedelta(days=3)
    response = author_client.post(
        add_page_url(CoursePage, catalog),
        course_form(competencies[:1], go_live_at=go_live_at.strftime("%Y-%m-%d %H:%M")),
    )
    assert_created(response)
    course = CoursePage.objects.get(slug="zero-trust-networking")
    assert not course.live
    assert course.status_string == "scheduled"
    revision = course.scheduled_revision
    assert revision is not None and revision.approved_go_live_at is not None

    call_command("publish_scheduled", verbosity=0)
    course.refresh_from_db()
    assert not course.live, "not before its time"

    # Move the clock past the publishing time, as the cron job would see it.
    later = timezone.now() + timedelta(days=3, minutes=5)
    with mock.patch("django.utils.timezone.now", return_value=later):
        call_command("publish_scheduled", verbosity=0)
        course = CoursePage.objects.get(pk=course.pk)
        assert course.status_string == "live"
    assert course.live
    assert course.live_revision_id == revision.pk
    revision.refresh_from_db()
    assert revision.approved_go_live_at is None
    assert author_client.get(course.url).status_code == 200


# --- 8. Moderation -------------------------------------------------------------------------


def test_the_default_workflow_covers_the_catalog(catalog):
    workflow = Workflow.objects.get(name="Moderators approval")
    assert workflow.active
    assert catalog.get_workflow() == workflow


def test_under_the_default_workflow_a_moderator_approves_a_submitted_course(client, author, catalog, competencies):
    moderator = UserFactory(is_staff=True, email="moderator@vendor.example")
    moderator.groups.add(Group.objects.get(name="Moderators"))
    client.force_login(author)
    data = course_form(competencies[:1], publish=False)
    data["action-submit"] = "action-submit"
    assert_created(client.post(add_page_url(CoursePage, catalog), data))
    course = CoursePage.objects.get(slug="zero-trust-networking")
    assert not course.live and course.status_string == "in moderation"
    state = course.current_workflow_state
    assert state.workflow.name == "Moderators approval"
    approve = reverse("wagtailadmin_pages:workflow_action", args=(course.pk, "approve", state.current_task_state.pk))
    assert_denied(client.post(approve, {"comment": ""}))
    assert not CoursePage.objects.get(pk=course.pk).live

    client.force_login(moderator)
    assert client.post(approve, {"comment": ""}).status_code == 302
    course = CoursePage.objects.get(pk=course.pk)
    assert course.live
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED


@pytest.fixture
def site_admin_workflow(catalog) -> Workflow:
    task = GroupApprovalTask.objects.create(name="Site admin review")
    task.groups.set([Group.objects.get(name=StaffRole.SITE_ADMIN.value)])
    workflow = Workflow.objects.create(name="Course review")
    WorkflowTask.objects.create(workflow=workflow, task=task, sort_order=0)
    WorkflowPage.objects.create(workflow=workflow, page=catalog)
    return workflow


def test_an_author_submits_a_course_and_a_site_admin_approves_it(
    client, author, site_admin, catalog, competencies, site_admin_workflow
):
    client.force_login(author)
    data = course_form(competencies[:1], publish=False)
    data["action-submit"] = "action-submit"
    response = client.post(add_page_url(CoursePage, catalog), data)
    assert_created(response)
    course = CoursePage.objects.get(slug="zero-trust-networking")
    assert not course.live
    state = WorkflowState.objects.get(base_content_type__model="page", object_id=str(course.pk))
    assert state.workflow == site_admin_workflow and state.status == WorkflowState.STATUS_IN_PROGRESS
    task_state = state.current_task_state

    # The author may not approve their own submission.
    approve = reverse("wagtailadmin_pages:workflow_action", args=(course.pk, "approve", task_state.pk))
    assert_denied(client.post(approve, {"comment": ""}))
    course.refresh_from_db()
    assert not course.live

    client.force_login(site_admin)
    response = client.post(approve, {"comment": "Looks good."})
    assert response.status_code == 302
    course.refresh_from_db()
    state.refresh_from_db()
    assert state.status == WorkflowState.STATUS_APPROVED
    assert course.live
    assert Page.objects.get(pk=course.pk).live_revision_id == task_state.revision_id
