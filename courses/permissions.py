"""Who may open which course content. Each check raises instead of returning False."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import connection
from django.db.models import F, Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from courses.audience import Access, Audience, Reader, access_for
from courses.models import Assessment, Attempt, CoursePage, Enrolment
from lms.compiled_queries import run_compiled
from lms.partners.models import Organization
from lms.partners.permissions import TIER_ORDER
from lms.partners.selectors import person_roles
from lms.querysets import first_unordered


def reader_for(user) -> Reader:
    roles = person_roles(user)
    organization = roles.organization
    return Reader(
        staff=roles.superuser or bool(roles.staff_roles),
        organization_id=organization.pk if organization else None,
        tier=organization.tier if organization else None,
    )


def audience_of(course: CoursePage) -> Audience:
    """The course's audience, read once per page object (serving a page asks several times)."""
    audience = course.__dict__.get("_audience")
    if audience is None:
        audience = Audience(minimum_tier=course.minimum_tier, organization_ids=_audience_organization_ids(course))
        course.__dict__["_audience"] = audience
    return audience


def audience_prefetch(through: str = "") -> Prefetch:
    """Prefetch of the audience's organizations, `through` a relation ("prerequisites__"):
    only their ids, which is all that access checks read."""
    return Prefetch(f"{through}audience_organizations", queryset=Organization.objects.only("id").order_by())


def _audience_organization_ids(course: CoursePage) -> frozenset[int]:
    """From the prefetched organizations when there are any, else their ids alone (in
    a preview, from the unsaved revision's list)."""
    if "audience_organizations" in getattr(course, "_prefetched_objects_cache", {}):
        return frozenset(organization.pk for organization in course.audience_organizations.all())
    return frozenset(course.audience_organizations.order_by().values_list("id", flat=True))


def course_access(user, course: CoursePage) -> Access:
    return access_for(audience_of(course), reader_for(user), TIER_ORDER)


def locked_message(course: CoursePage) -> str:
    return _("This course is available from the %(tier)s tier.") % {"tier": course.get_minimum_tier_display()}


def access_course(user, course: CoursePage) -> None:
    """Raise unless `user` may open `course`. Other organizations' courses are a 404."""
    access = course_access(user, course)
    if access == Access.HIDDEN:
        raise Http404(_("No such course."))
    if access == Access.TIER_LOCKED:
        raise PermissionDenied(locked_message(course))


def is_staff_reader(user) -> bool:
    return reader_for(user).staff


UNREAD = object()  # what `known_enrolment` answers before `enrolment_for` has read anything


def enrolment_for(user, course: CoursePage) -> Enrolment | None:
    """The person's enrolment in the course (in any of its languages), read once per
    page object: serving a lesson checks it, then shows the course's progress."""
    if not user.is_authenticated:
        return None
    known = known_enrolment(user, course)
    if known is not UNREAD:
        return known
    rows = run_compiled(_enrolment_of, user_id=user.pk, course_key=course.translation_key)
    return _remember_enrolment(user, course, rows[0] if rows else None)


def enrolment_locked(user, course: CoursePage) -> Enrolment | None:
    """The person's enrolment in the course, read under its row lock where the database
    has row locks (inside a transaction), for a change that depends on it."""
    enrolments = _enrolment_of(user_id=user.pk, course_key=course.translation_key)
    if connection.features.has_select_for_update:
        enrolments = enrolments.select_for_update(of=("self",))
    return _remember_enrolment(user, course, next(iter(enrolments), None))


def _enrolment_of(*, user_id: int, course_key) -> QuerySet[Enrolment]:
    return keyed_enrolments(user_id).filter(course__translation_key=course_key).order_by()[:1]


def _remember_enrolment(user, course: CoursePage, enrolment: Enrolment | None) -> Enrolment | None:
    course.__dict__["_enrolment"] = (user.pk, enrolment)  # what `enrolment_for` answers from now on
    return enrolment


def keyed_enrolments(user) -> QuerySet[Enrolment]:
    """The person's enrolments, each with the translation keys of its course
    (`course_key`) and of the lesson last opened (`last_lesson_key`)."""
    return Enrolment.objects.filter(user=user).annotate(
        course_key=F("course__translation_key"), last_lesson_key=F("last_lesson__translation_key")
    )


def forget_enrolment(course: CoursePage) -> None:
    """After a change to the enrolment: the next `enrolment_for` reads it again."""
    course.__dict__.pop("_enrolment", None)


def known_enrolment(user, course: CoursePage) -> Enrolment | object | None:
    """What `enrolment_for` read for this person and page object, else `UNREAD`."""
    known = course.__dict__.get("_enrolment")
    return known[1] if known is not None and known[0] == user.pk else UNREAD


def access_attempt(user, course: CoursePage, attempt_id: int) -> Attempt:
    """The person's own attempt at an assessment of this course (in any of its
    languages); anything else is a 404."""
    attempt = first_unordered(Attempt.objects.select_related("assessment").filter(pk=attempt_id, user=user))
    if attempt is None or not _belongs_to(attempt.assessment, course):
        raise Http404(_("No such attempt."))
    return attempt


def _belongs_to(assessment: Assessment, course: CoursePage) -> bool:
    if assessment.course_id == course.pk:
        assessment.course = course  # the page routing came through, not a second read
        return True
    return CoursePage.objects.filter(pk=assessment.course_id, translation_key=course.translation_key).exists()
