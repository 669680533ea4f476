"""What a course is made of, kept in the cache: its lesson pages, its live sections and
its assessments.

The course page and every lesson page show the outline and the assessments, and they
are read on every request, but they change only when an author saves a page under the
course or one of its assessments. Entries are keyed by the course page's tree path, so a
change to any page empties the entries of the courses above it without a query. Changes
clear them at once in a shared cache (Redis); a per-process cache cannot be cleared from
another worker, so entries also expire after `CACHE_SECONDS`, as the page routing
caches do (`lms.pages`).

The course's own fields (prerequisites, audience) are not kept here but read from the
page object, as a preview shows them from an unsaved revision; routing keeps the live
page with its audience (`CoursePage.routing_cache_prefetches`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from wagtail.models import Page
from wagtail.signals import post_page_move

from courses.models import Assessment, CoursePage, CourseSectionPage, LessonPage
from lms.page_tree import descendants_q
from lms.pages import CACHE_SECONDS, now_and_on_commit
from lms.querysets import by_path

KEY_PREFIX = "courses:structure:"


@dataclass(frozen=True)
class CourseStructure:
    pages: list[LessonPage]  # every lesson under the course, live or not, in tree order
    sections: dict[str, CourseSectionPage]  # the live sections, by path
    assessments: list[Assessment]  # of the course in any of its languages


def structure_of(course: CoursePage) -> CourseStructure:
    key = KEY_PREFIX + course.path
    structure = cache.get(key)
    if structure is None:
        structure = _read(course)
        cache.set(key, structure, CACHE_SECONDS)
    return structure


def _read(course: CoursePage) -> CourseStructure:
    pages = by_path(LessonPage.objects.filter(descendants_q(course)).defer_streamfields())
    sections = {}
    if sum(page.depth == course.depth + 1 for page in pages) < course.numchild:  # not every child is a lesson
        sections = {section.path: section for section in CourseSectionPage.objects.child_of(course).live()}
    assessments = list(Assessment.objects.filter(course__translation_key=course.translation_key))
    return CourseStructure(pages=pages, sections=sections, assessments=assessments)


def forget(paths: set[str]) -> None:
    """Empty the entries of the courses at `paths` and above them."""
    keys = {KEY_PREFIX + path[:end] for path in paths for end in range(Page.steplen, len(path) + 1, Page.steplen)}
    now_and_on_commit(lambda: cache.delete_many(keys))


@receiver(post_save, dispatch_uid="courses.structure.page_saved")
@receiver(post_delete, dispatch_uid="courses.structure.page_deleted")
def _page_changed(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page) and instance.path:
        forget({instance.path})


@receiver(post_page_move, dispatch_uid="courses.structure.page_moved")
def _page_moved(sender, instance, parent_page_before, parent_page_after, **kwargs) -> None:
    forget({parent_page_before.path, parent_page_after.path})


@receiver(post_save, sender=Assessment, dispatch_uid="courses.structure.assessment_saved")
@receiver(post_delete, sender=Assessment, dispatch_uid="courses.structure.assessment_deleted")
def _assessment_changed(sender, instance: Assessment, **kwargs) -> None:
    course = Page.objects.filter(pk=instance.course_id).values("translation_key")
    forget(set(Page.objects.filter(translation_key__in=course).values_list("path", flat=True)))
