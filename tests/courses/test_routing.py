"""How a lesson request finds its page, its course and the course outline: with as few
statements as the course's shape allows, and the same pages as Wagtail would find."""

from __future__ import annotations

import pytest
from django.db import connection
from django.http import Http404
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page

from courses.models import CourseIndexPage, CoursePage, CourseSectionPage, LessonPage
from courses.services.enrolment import enrol_learner
from courses.services.progress import course_of
from lms.portal.models import HomePage
from playbooks.models import PlaybookIndexPage
from tests.courses import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def member_client(client, learner):
    client.force_login(learner)
    return client


def statements_of(client, url: str) -> list[str]:
    client.get(url)  # warm the per-process caches, as in production
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    return [query["sql"] for query in captured]


def test_each_page_asks_its_usual_child_type_first():
    assert HomePage.child_models_to_probe() == ([CourseIndexPage, PlaybookIndexPage], False)
    assert CoursePage.child_models_to_probe() == ([LessonPage, CourseSectionPage], True)
    assert CourseSectionPage.child_models_to_probe() == ([LessonPage], True)


def test_a_lesson_of_a_course_without_sections_never_asks_for_sections(member_client, learner):
    course = builders.course(title="Routing", lessons=3, questions=3)
    enrol_learner(user=learner, course=course)
    lesson = LessonPage.objects.child_of(course).get(slug="lesson-2")

    statements = statements_of(member_client, lesson.url)

    assert not [sql for sql in statements if "courses_coursesectionpage" in sql]
    # The course comes from routing, not from a second look at the lesson's ancestors.
    assert not [sql for sql in statements if '"wagtailcore_page"."path" IN' in sql]
    enrolment_reads = [sql for sql in statements if sql.startswith("SELECT") and 'FROM "courses_enrolment"' in sql]
    assert len(enrolment_reads) == 1, enrolment_reads


def test_a_lesson_inside_a_section_is_served_with_the_section_in_its_outline(member_client, learner):
    course = builders.course(title="Sectioned", lessons=1, questions=3)
    section = builders.publish(course, CourseSectionPage(title="Deep dive", slug="deep-dive"))
    inner = builders.publish(section, LessonPage(title="Inner lesson", slug="inner", body=builders.lesson_body()))
    enrol_learner(user=learner, course=course)

    response = member_client.get(inner.url)

    assert response.status_code == 200
    assert response.context["course"].pk == course.pk
    titles = [(entry.page.title if entry.page else None) for entry in response.context["overview"].outline]
    assert titles == [None, "Deep dive"]


def test_an_unpublished_lesson_neither_shows_nor_hides_a_section(member_client, learner):
    course = builders.course(title="Drafts", lessons=2, questions=3)
    LessonPage.objects.child_of(course).get(slug="lesson-2").specific.unpublish()
    enrol_learner(user=learner, course=course)

    overview = member_client.get(course.url).context["overview"]
    assert [[entry.page.title for entry in section.lessons] for section in overview.outline] == [["Lesson 1"]]

    section = builders.publish(course, CourseSectionPage(title="Later", slug="later"))
    builders.publish(section, LessonPage(title="Lesson 3", slug="lesson-3", body=builders.lesson_body()))
    overview = member_client.get(course.url).context["overview"]
    assert [entry.page.title if entry.page else None for entry in overview.outline] == [None, "Later"]


def test_a_lesson_loaded_outside_routing_finds_its_course_among_its_ancestors():
    course = builders.course(title="Ancestors", lessons=1, exam=False)
    lesson = LessonPage.objects.child_of(course).get()

    with CaptureQueriesContext(connection) as captured:
        assert course_of(lesson).pk == course.pk
        assert course_of(lesson).pk == course.pk
    assert len(captured) == 1


def test_other_children_of_the_home_page_route_as_wagtail_routes_them():
    home = HomePage.objects.get(locale__language_code="en")
    about = home.add_child(instance=Page(title="About us", slug="about"))
    request = RequestFactory().get("/about/")

    assert home.route(request, ["about"]).page.pk == about.pk
    with pytest.raises(Http404):
        home.route(request, ["no-such-page"])
    with pytest.raises(Http404):
        builders.course(title="Empty", lessons=0, exam=False).route(request, ["no-such-lesson"])
