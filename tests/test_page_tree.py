"""`descendants_q` finds exactly Wagtail's descendants, from the path index."""

from __future__ import annotations

import pytest
from django.db import connection
from wagtail.models import Page

from courses.models import CourseSectionPage, LessonPage
from lms.page_tree import descendants_q
from tests.courses import builders

pytestmark = pytest.mark.django_db


def test_descendants_are_those_wagtail_finds_at_every_depth():
    course = builders.course(title="Course", lessons=2, exam=False)
    section = builders.publish(course, CourseSectionPage(title="Section", slug="section"))
    builders.publish(section, LessonPage(title="Deep lesson", slug="deep-lesson"))
    neighbour = builders.course(title="Neighbour", lessons=2, exam=False)

    found = set(Page.objects.filter(descendants_q(course)).values_list("pk", flat=True))

    assert found == set(Page.objects.descendant_of(course).values_list("pk", flat=True))
    assert len(found) == 4  # two lessons, the section and its lesson
    assert course.pk not in found
    assert not found & set(Page.objects.descendant_of(neighbour, inclusive=True).values_list("pk", flat=True))


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's LIKE is the one that cannot use the index")
def test_sqlite_reads_the_descendants_from_the_path_index():
    course = builders.course(title="Course", lessons=2, exam=False)

    assert "SCAN wagtailcore_page" in Page.objects.descendant_of(course).explain()
    plan = Page.objects.filter(descendants_q(course)).explain()
    assert "SEARCH wagtailcore_page USING INDEX" in plan and "(path>? AND path<?)" in plan, plan
