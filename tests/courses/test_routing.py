"""How a lesson request finds its page, its course and the course outline: with as few
statements as the course's shape allows, and the same pages as Wagtail would find.
Courses and lessons are routed from the cache, and every change an author or a tier
manager can make shows on the next request."""

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
from lms.competencies.models import Competency
from lms.partners.models import Tier
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


# From the cache ----------------------------------------------------------------------------


def test_the_course_and_the_lesson_are_routed_to_from_the_cache(member_client, learner):
    course = builders.course(title="Cached", lessons=2, questions=3)
    enrol_learner(user=learner, course=course)
    lesson_url = f"{course.url}lesson-1/"
    tables = ('FROM "courses_coursepage"', 'FROM "courses_lessonpage"', 'FROM "courses_coursesectionpage"')

    for url in (lesson_url, course.url):  # each requested twice: the second routes from the cache
        assert not [sql for sql in statements_of(member_client, url) if any(table in sql for table in tables)]


def test_a_retitle_an_unpublish_and_a_delete_show_on_the_next_request(member_client, learner):
    course = builders.course(title="Edited", lessons=2, questions=3)
    enrol_learner(user=learner, course=course)
    lesson = LessonPage.objects.child_of(course).get(slug="lesson-1")
    lesson_url = f"{course.url}lesson-1/"
    member_client.get(lesson_url)

    lesson.title = "Welcome aboard"
    lesson.save_revision().publish()
    assert "Welcome aboard" in member_client.get(lesson_url).text

    lesson.refresh_from_db()
    lesson.unpublish()
    assert member_client.get(lesson_url).status_code == 404

    member_client.get(f"{course.url}lesson-2/")
    LessonPage.objects.child_of(course).get(slug="lesson-2").delete()
    assert member_client.get(f"{course.url}lesson-2/").status_code == 404


def test_a_new_course_slug_moves_the_course_and_its_lessons(member_client, learner):
    course = builders.course(title="Renamed", lessons=1, questions=3)
    enrol_learner(user=learner, course=course)
    old_course_url, old_lesson_url = course.url, f"{course.url}lesson-1/"
    assert member_client.get(old_lesson_url).status_code == 200

    course.slug = "renamed-again"
    course.save_revision().publish()

    assert member_client.get(old_course_url).status_code == 404
    assert member_client.get(old_lesson_url).status_code == 404
    response = member_client.get("/courses/renamed-again/lesson-1/")
    assert response.status_code == 200
    assert response.context["page"].url == "/courses/renamed-again/lesson-1/"


def test_a_slug_saved_without_a_revision_empties_the_old_paths_once_committed(
    member_client, learner, django_capture_on_commit_callbacks
):
    course = builders.course(title="Saved", lessons=1, questions=3)
    enrol_learner(user=learner, course=course)
    old_course_url, old_lesson_url = course.url, f"{course.url}lesson-1/"
    assert member_client.get(old_lesson_url).status_code == 200

    course.slug = "saved-again"
    with django_capture_on_commit_callbacks(execute=True):  # Wagtail announces a new slug on commit
        course.save()

    # Not found at the old paths, so Wagtail's redirects (made on commit too) answer.
    for old, new in ((old_course_url, "/courses/saved-again/"), (old_lesson_url, "/courses/saved-again/lesson-1/")):
        response = member_client.get(old)
        assert (response.status_code, response["Location"]) == (301, new)
        assert member_client.get(new).status_code == 200


def test_a_lesson_moved_to_another_course_is_routed_under_its_new_course(member_client, learner):
    source = builders.course(title="Source", lessons=2, questions=3)
    target = builders.course(title="Target", lessons=1, questions=3)
    for course in (source, target):
        enrol_learner(user=learner, course=course)
    assert member_client.get(f"{source.url}lesson-2/").status_code == 200

    LessonPage.objects.child_of(source).get(slug="lesson-2").move(target, pos="last-child")

    old = member_client.get(f"{source.url}lesson-2/")  # not found there: Wagtail's redirect to where it went
    assert (old.status_code, old["Location"]) == (301, f"{target.url}lesson-2/")
    assert member_client.get(f"{target.url}lesson-2/").status_code == 200


def test_restricting_the_audience_applies_on_the_next_request(member_client, other_organization):
    course = builders.course(title="Audience", lessons=1, questions=3)
    assert member_client.get(course.url).status_code == 200

    course.audience_organizations.set([other_organization])
    course.save_revision().publish()
    assert member_client.get(course.url).status_code == 404
    assert member_client.get(f"{course.url}lesson-1/").status_code == 404

    course = CoursePage.objects.get(pk=course.pk)
    course.audience_organizations.set([])
    course.minimum_tier = Tier.PLATINUM
    course.save_revision().publish()
    assert member_client.get(course.url).status_code == 403


def test_competency_changes_show_on_the_course_page(member_client):
    zero_trust = Competency.objects.create(name="Zero trust", slug="zero-trust")
    course = builders.course(title="Competent", lessons=1, questions=3)
    course.competencies.set([zero_trust])
    course.save_revision().publish()
    assert "Zero trust" in member_client.get(course.url).text

    zero_trust.name = "Zero-trust networking"
    zero_trust.save()
    assert "Zero-trust networking" in member_client.get(course.url).text

    sales = Competency.objects.create(name="Partner sales", slug="partner-sales")
    sales.courses.add(course)  # from the competency's side: the course is not saved
    assert "Partner sales" in member_client.get(course.url).text

    zero_trust.delete()
    assert "Zero-trust networking" not in member_client.get(course.url).text
