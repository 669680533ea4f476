"""The demo course content: loaded by load_demo, idempotent, valid, with people at every stage."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, Revision

from courses.answer_forms import correct_fields, wrong_fields
from courses.bank_formats import parse_csv, parse_json
from courses.demo_content import COURSES
from courses.grading import AnswerKey, QuestionKind, clean_response, grade
from courses.models import (
    Assessment,
    Attempt,
    AttemptQuestion,
    CourseIndexPage,
    CoursePage,
    CourseSectionPage,
    Enrolment,
    KnowledgeCheckAnswer,
    LearningPathPage,
    LessonCompletion,
    LessonPage,
    PathEnrolment,
    Question,
    QuestionBank,
    QuestionChoice,
)
from courses.services.attempts import answer_key, availability
from courses.services.question_banks import export_questions
from lms.competencies.models import Competency
from lms.portal.models import HomePage

pytestmark = pytest.mark.django_db

DOMAIN = "demo.abrzad.example"


def load() -> None:
    call_command("load_demo", stdout=StringIO())


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """Load the demo once for this module, in a transaction rolled back at the end; each
    test runs in a savepoint inside it. Loading takes several seconds."""
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    with django_db_blocker.unblock(), media, transaction.atomic():
        load()
        yield
        transaction.set_rollback(True)


def counts() -> dict[str, int]:
    models = [
        Page,
        Revision,
        Collection,
        get_image_model(),
        get_document_model(),
        Competency,
        QuestionBank,
        Question,
        QuestionChoice,
        Assessment,
        Attempt,
        AttemptQuestion,
        Enrolment,
        LessonCompletion,
        KnowledgeCheckAnswer,
        PathEnrolment,
    ]
    return {model.__name__: model.objects.count() for model in models}


def exam_of(course: CoursePage) -> Assessment:
    return Assessment.objects.get(course=course, kind=Assessment.Kind.EXAM)


def correct_response(key: AnswerKey) -> dict:
    """The canonical (cleaned) right answer, built from the key alone."""
    right = [choice.id for choice in key.choices if choice.correct]
    match key.kind:
        case QuestionKind.SINGLE | QuestionKind.TRUE_FALSE:
            return {"choice": right[0]}
        case QuestionKind.MULTIPLE:
            return {"choices": sorted(right)}
        case QuestionKind.NUMERIC:
            return {"value": str(key.numeric_answer)}
        case QuestionKind.SHORT_TEXT:
            return {"text": key.accepted_answers[0]}
        case QuestionKind.ORDERING:
            return {"order": [choice.id for choice in key.choices]}
        case QuestionKind.MATCHING:
            return {"pairs": {str(choice.id): choice.id for choice in key.choices}}


def test_loading_again_changes_nothing():
    before = counts()
    load()
    assert counts() == before


def test_catalog_exists_in_english_and_persian_as_translations():
    english = CourseIndexPage.objects.live().get(locale__language_code="en")
    persian = CourseIndexPage.objects.live().get(locale__language_code="fa")
    assert (english.title, english.slug) == ("Courses", "courses")
    assert (persian.title, persian.slug) == ("دوره‌ها", "courses")
    assert persian.translation_key == english.translation_key
    assert english.get_parent().specific_class is HomePage
    assert persian.get_parent().locale.language_code == "fa"


def test_courses_in_both_languages_with_lessons_banks_and_exams():
    courses = CoursePage.objects.live()
    assert courses.count() >= 4
    assert courses.filter(locale__language_code="fa").count() >= 2
    assert courses.filter(locale__language_code="en").count() >= 2
    assert len({course.level for course in courses}) >= 2
    assert len({course.estimated_minutes for course in courses}) >= 2
    assert Competency.objects.filter(courses__in=courses).distinct().count() >= 2
    for course in courses:
        assert course.summary and course.cover_image is not None, course
        assert course.cover_image.collection.name == "Demo"
        assert course.competencies.exists(), course
        lessons = LessonPage.objects.descendant_of(course).live()
        assert lessons.count() >= 3, course
        assert any(block.block_type == "knowledge_check" for lesson in lessons for block in lesson.body), (
            f"{course} has no knowledge check"
        )
        exam = exam_of(course)
        assert (exam.question_count, exam.pass_mark, exam.time_limit_minutes) == (10, 70, 30)
        assert (exam.max_attempts, exam.cooldown_minutes, exam.score_policy, exam.show_answers) == (
            3,
            60,
            Assessment.ScorePolicy.HIGHEST,
            True,
        )
        (bank,) = exam.banks.all()
        assert bank.language == course.locale.language_code
        assert set(bank.competencies.all()) == set(course.competencies.all())
        questions = bank.questions.filter(is_active=True)
        assert questions.count() >= 15
        assert set(questions.values_list("kind", flat=True)) == set(QuestionKind)


def test_one_course_has_sections_and_one_a_practice_quiz_before_the_exam():
    assert CourseSectionPage.objects.live().exists()
    for section in CourseSectionPage.objects.live():
        assert LessonPage.objects.child_of(section).live().exists()
    practice = Assessment.objects.get(kind=Assessment.Kind.PRACTICE)
    assert (practice.question_count, practice.pass_mark, practice.time_limit_minutes) == (5, 60, None)
    assert exam_of(practice.course).requires_practice


def test_gold_course_requires_the_fundamentals():
    zero_trust = CoursePage.objects.get(slug="zero-trust-architecture")
    assert zero_trust.minimum_tier == "gold"
    assert [course.slug for course in zero_trust.prerequisites.all()] == ["cloud-security-fundamentals"]


def test_lesson_bodies_are_valid_and_use_every_main_block_type():
    stream_block = LessonPage._meta.get_field("body").stream_block
    used = set()
    for lesson in LessonPage.objects.all():
        stream_block.clean(lesson.body)  # raises on an invalid block
        used |= {block.block_type for block in lesson.body}
    assert {"heading", "paragraph", "image", "document", "callout", "code", "knowledge_check", "accordion"} <= used


def test_every_demo_bank_exports_and_imports_again():
    for bank in QuestionBank.objects.all():
        for file_format, parse in (("csv", parse_csv), ("json", parse_json)):
            records = parse(export_questions(bank=bank, file_format=file_format))
            assert len(records) == bank.questions.count(), (bank, file_format)


def test_every_question_is_answerable_and_graded_right():
    questions = Question.objects.prefetch_related("choices")
    assert questions.count() >= 4 * 15
    for question in questions:
        assert question.explanation, question
        key = answer_key(question)
        choices = list(question.choices.all())
        match question.kind:
            case QuestionKind.SINGLE:
                assert sum(choice.correct for choice in choices) == 1, question
            case QuestionKind.TRUE_FALSE:
                assert [choice.text for choice in choices] in (["True", "False"], ["درست", "نادرست"]), question
                assert sum(choice.correct for choice in choices) == 1, question
            case QuestionKind.MULTIPLE:
                assert 1 <= sum(choice.correct for choice in choices) < len(choices), question
            case QuestionKind.NUMERIC:
                assert question.numeric_answer is not None, question
            case QuestionKind.SHORT_TEXT:
                assert question.accepted_answers, question
            case QuestionKind.ORDERING:
                assert len(choices) >= 3, question
            case QuestionKind.MATCHING:
                assert len(choices) >= 3 and all(choice.match for choice in choices), question
        assert grade(key, correct_response(key)) == 1, question
        # The demo's own form answers go through the same cleaning a submitted form does.
        assert grade(key, clean_response(key, correct_fields(key))) == 1, question
        assert grade(key, clean_response(key, wrong_fields(key))) == 0, question


def test_question_banks_use_partial_credit_tolerance_and_persian_letter_variants():
    assert Question.objects.filter(kind=QuestionKind.MULTIPLE, partial_credit=True).exists()
    assert Question.objects.filter(kind=QuestionKind.NUMERIC, tolerance__gt=0).exists()
    short_texts = Question.objects.filter(kind=QuestionKind.SHORT_TEXT, bank__language="fa")
    persian = next(question for question in short_texts if "پاک‌سازی داده" in question.accepted_answers)
    # Typed on an Arabic keyboard (ك, ي) and without the zero-width non-joiner.
    assert grade(answer_key(persian), {"text": "پاكسازي داده"}) == 1


def test_learning_path_lists_the_english_cloud_courses_in_order():
    path = LearningPathPage.objects.live().get(slug="cloud-security-specialist")
    assert path.title == "Cloud Security Specialist"
    assert path.get_parent().specific.locale.language_code == "en"
    assert [item.course.slug for item in path.path_courses.order_by("sort_order")] == [
        "cloud-security-fundamentals",
        "zero-trust-architecture",
    ]


def test_people_are_at_different_stages():
    learner = Enrolment.objects.get(user__email=f"learner@{DOMAIN}")
    assert learner.course.locale.language_code == "fa"
    assert learner.completed_at is None
    assert LessonCompletion.objects.filter(user=learner.user).count() == 1

    maryam = Enrolment.objects.get(user__email=f"maryam@{DOMAIN}")
    assert maryam.course.locale.language_code == "fa"
    assert maryam.completed_at is not None
    assert Attempt.objects.get(user=maryam.user).passed

    lukas = Enrolment.objects.get(user__email=f"lukas@{DOMAIN}", course__slug="cloud-security-fundamentals")
    assert lukas.source == Enrolment.Source.ASSIGNED
    assert lukas.assigned_by.email == f"anna@{DOMAIN}"
    assert lukas.due_date == timezone.localdate() + timedelta(days=30)
    assert PathEnrolment.objects.filter(user=lukas.user, path__slug="cloud-security-specialist").exists()

    failed = Attempt.objects.get(user__email=f"niloufar@{DOMAIN}")
    assert failed.passed is False and failed.score < Decimal(70)
    assert availability(user=failed.user, assessment=failed.assessment) is not None  # cooling down


def test_demo_content_matches_the_specification():
    """Cheap guard on the data module itself, before anything touches the database."""
    assert {course.language for course in COURSES} == {"en", "fa"}
    for course in COURSES:
        lessons = [*course.lessons, *(lesson for section in course.sections for lesson in section.lessons)]
        assert sum(lesson.minutes for lesson in lessons) == course.minutes, course.slug
