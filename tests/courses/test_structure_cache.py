"""The cached course structure (lessons, sections, assessments): read once, and emptied
by every change an author can make, so the next request shows the change."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.models import Assessment, CourseSectionPage, LessonPage
from courses.services.enrolment import enrol_learner
from courses.structure import structure_of
from tests.courses import builders
from tests.courses.test_progress import persian

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_client(client, learner):
    client.force_login(learner)
    return client


def outline_titles(client, course) -> list[str]:
    response = client.get(course.url)
    assert response.status_code == 200
    return [entry.page.title for entry in response.context["overview"].lessons]


def assessment_titles(client, course) -> list[str]:
    return [state.assessment.title for state in client.get(course.url).context["overview"].assessments]


def test_the_structure_is_read_once_and_then_kept():
    course = builders.course(title="Kept", lessons=2, questions=3)
    with CaptureQueriesContext(connection) as first:
        structure_of(course)
    with CaptureQueriesContext(connection) as again:
        structure = structure_of(course)

    assert len(first) == 2  # the lessons and the assessments: no section to look for
    assert len(again) == 0
    assert [page.title for page in structure.pages] == ["Lesson 1", "Lesson 2"]
    assert [assessment.title for assessment in structure.assessments] == ["Kept exam"]


def test_a_new_lesson_a_retitle_and_an_unpublish_show_on_the_next_request(member_client, learner):
    course = builders.course(title="Edited", lessons=2, questions=3)
    enrol_learner(user=learner, course=course)
    assert outline_titles(member_client, course) == ["Lesson 1", "Lesson 2"]

    builders.publish(course, LessonPage(title="Lesson 3", slug="lesson-3", body=builders.lesson_body()))
    assert outline_titles(member_client, course) == ["Lesson 1", "Lesson 2", "Lesson 3"]

    first = LessonPage.objects.child_of(course).get(slug="lesson-1")
    first.title = "Welcome"
    first.save_revision().publish()
    assert outline_titles(member_client, course) == ["Welcome", "Lesson 2", "Lesson 3"]

    LessonPage.objects.child_of(course).get(slug="lesson-2").unpublish()
    assert outline_titles(member_client, course) == ["Welcome", "Lesson 3"]

    LessonPage.objects.child_of(course).get(slug="lesson-3").delete()
    assert outline_titles(member_client, course) == ["Welcome"]


def test_a_lesson_in_a_new_section_shows_on_the_next_request(member_client, learner):
    course = builders.course(title="Sections later", lessons=1, questions=3)
    enrol_learner(user=learner, course=course)
    assert outline_titles(member_client, course) == ["Lesson 1"]

    section = builders.publish(course, CourseSectionPage(title="Deep dive", slug="deep-dive"))
    builders.publish(section, LessonPage(title="Inner", slug="inner", body=builders.lesson_body()))

    outline = member_client.get(course.url).context["overview"].outline
    assert [(entry.page.title if entry.page else None) for entry in outline] == [None, "Deep dive"]


def test_a_lesson_moved_to_another_course_leaves_one_outline_for_the_other(member_client, learner):
    source = builders.course(title="Source", lessons=2, questions=3)
    target = builders.course(title="Target", lessons=1, questions=3)
    for course in (source, target):
        enrol_learner(user=learner, course=course)
    assert outline_titles(member_client, source) == ["Lesson 1", "Lesson 2"]
    assert outline_titles(member_client, target) == ["Lesson 1"]

    LessonPage.objects.child_of(source).get(slug="lesson-2").move(target, pos="last-child")

    assert outline_titles(member_client, source) == ["Lesson 1"]
    assert outline_titles(member_client, target) == ["Lesson 1", "Lesson 2"]


def test_an_assessment_added_changed_or_deleted_shows_in_every_language(member_client, learner):
    course = builders.course(title="Assessed", lessons=1, questions=3)
    translation = persian(course)
    enrol_learner(user=learner, course=course)
    assert assessment_titles(member_client, course) == ["Assessed exam"]
    assert assessment_titles(member_client, translation) == ["Assessed exam"]

    quiz = Assessment.objects.create(course=course, title="Warm-up", kind=Assessment.Kind.PRACTICE, question_count=3)
    quiz.banks.add(builders.question_bank(name="Warm-up bank", size=3))
    assert assessment_titles(member_client, translation) == ["Warm-up", "Assessed exam"]

    quiz.title = "Practice round"
    quiz.save()
    assert assessment_titles(member_client, course) == ["Practice round", "Assessed exam"]

    quiz.delete()
    assert assessment_titles(member_client, course) == ["Assessed exam"]
    assert assessment_titles(member_client, translation) == ["Assessed exam"]
