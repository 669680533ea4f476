"""The related rows kept with a course page in the routing cache, emptied when they change.

Routing keeps each course page in the cache with its audience's organizations and its
competencies (`CoursePage.routing_cache_prefetches`, `lms.pages.DirectChildRoute`).
Saving the page empties the entry, but the page's many-to-many rows are written after
it is saved, and a competency can be renamed or deleted without saving any course:
these receivers empty the entries of the courses concerned then too.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_save, pre_delete
from django.dispatch import receiver

from courses.models import CoursePage
from lms.competencies.models import Competency
from lms.pages import forget_routed_pages


@receiver(m2m_changed, sender=CoursePage.audience_organizations.through, dispatch_uid="courses.routing.audience")
@receiver(m2m_changed, sender=CoursePage.competencies.through, dispatch_uid="courses.routing.competencies")
def _relation_changed(sender, instance, action: str, reverse: bool, pk_set, **kwargs) -> None:
    if not action.startswith("post_"):
        return
    if not reverse:
        forget_routed_pages([instance.url_path])
    else:  # from the organization's or competency's side: the courses it was added to or removed from
        courses = CoursePage.objects.all() if pk_set is None else CoursePage.objects.filter(pk__in=pk_set)
        forget_routed_pages(courses.values_list("url_path", flat=True))


@receiver(post_save, sender=Competency, dispatch_uid="courses.routing.competency_saved")
@receiver(pre_delete, sender=Competency, dispatch_uid="courses.routing.competency_deleted")
def _competency_changed(sender, instance: Competency, **kwargs) -> None:
    forget_routed_pages(CoursePage.objects.filter(competencies=instance).values_list("url_path", flat=True))
