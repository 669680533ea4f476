"""Enrolling, withdrawing and assigning courses and learning paths."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from courses.audience import Access, Reader, access_for
from courses.models import CoursePage, Enrolment, LearningPathPage, PathEnrolment
from courses.permissions import TIER_ORDER, audience_of, course_access, locked_message
from courses.services import CourseActionError
from courses.translations import original_page
from lms import clock
from lms.i18n import local_list
from lms.partners.models import Organization


def missing_prerequisites(*, user, course: CoursePage) -> list[CoursePage]:
    required = list(course.prerequisites.all())
    if not required:
        return []
    done = set(
        Enrolment.objects.filter(
            user=user,
            completed_at__isnull=False,
            course__translation_key__in=[prerequisite.translation_key for prerequisite in required],
        ).values_list("course__translation_key", flat=True)
    )
    return [prerequisite for prerequisite in required if prerequisite.translation_key not in done]


def enrol_learner(*, user, course: CoursePage) -> Enrolment:
    """Self-enrolment, where the audience allows it and the prerequisites are complete."""
    access = course_access(user, course)
    if access == Access.HIDDEN:
        raise CourseActionError(_("No such course."), status=404)
    if access != Access.OPEN:
        raise CourseActionError(locked_message(course), status=403)
    missing = missing_prerequisites(user=user, course=course)
    if missing:
        titles = [page.title for page in missing if course_access(user, page) != Access.HIDDEN]
        if len(titles) < len(missing):
            titles.append(_("a course that is not offered to your organization"))
        raise CourseActionError(_("Complete %(courses)s first.") % {"courses": local_list(titles)}, status=409)
    course = original_page(course)
    try:
        with transaction.atomic():
            enrolment, _created = Enrolment.objects.get_or_create(
                user=user, course=course, defaults={"source": Enrolment.Source.SELF, "enrolled_at": clock.now()}
            )
    except IntegrityError:  # a concurrent request enrolled first
        enrolment = Enrolment.objects.get(user=user, course=course)
    return enrolment


def withdraw_learner(*, user, course: CoursePage) -> None:
    enrolment = Enrolment.objects.filter(user=user, course__translation_key=course.translation_key).first()
    if enrolment is None:
        raise CourseActionError(_("You are not enrolled in this course."), status=409)
    if enrolment.source == Enrolment.Source.ASSIGNED:
        raise CourseActionError(
            _("This course was assigned to you, so only your partner admin can remove it."), status=409
        )
    if enrolment.completed_at:
        raise CourseActionError(_("You have completed this course; it stays on your record."), status=409)
    enrolment.delete()


@transaction.atomic
def assign_course(
    *, assigned_by, organization: Organization, user_ids: Iterable[int], course: CoursePage, due_date: date | None
) -> int:
    """Assign `course` to members of `organization`; returns how many people it was assigned to.

    Someone already self-enrolled keeps their progress; the enrolment becomes assigned.
    """
    members = _members(organization, user_ids)
    _require_course_open_to(organization, course)
    course = original_page(course)
    existing = {enrolment.user_id: enrolment for enrolment in Enrolment.objects.filter(course=course, user__in=members)}
    now = clock.now()
    to_create, to_update = [], []
    for member in members:
        enrolment = existing.get(member.pk)
        if enrolment is None:
            to_create.append(
                Enrolment(
                    user=member,
                    course=course,
                    source=Enrolment.Source.ASSIGNED,
                    assigned_by=assigned_by,
                    due_date=due_date,
                    enrolled_at=now,
                )
            )
        elif enrolment.completed_at is None:
            enrolment.source, enrolment.assigned_by, enrolment.due_date = (
                Enrolment.Source.ASSIGNED,
                assigned_by,
                due_date,
            )
            to_update.append(enrolment)
    Enrolment.objects.bulk_create(to_create)
    Enrolment.objects.bulk_update(to_update, ["source", "assigned_by", "due_date"])
    return len(to_create) + len(to_update)


@transaction.atomic
def assign_path(
    *, assigned_by, organization: Organization, user_ids: Iterable[int], path: LearningPathPage, due_date: date | None
) -> int:
    members = _members(organization, user_ids)
    path = original_page(path)
    courses = [item.course for item in path.path_courses.select_related("course")]
    for course in courses:
        _require_course_open_to(organization, course)
    for course in courses:
        assign_course(
            assigned_by=assigned_by,
            organization=organization,
            user_ids=[member.pk for member in members],
            course=course,
            due_date=due_date,
        )
    existing = set(PathEnrolment.objects.filter(path=path, user__in=members).values_list("user_id", flat=True))
    now = clock.now()
    PathEnrolment.objects.bulk_create(
        PathEnrolment(user=member, path=path, assigned_by=assigned_by, due_date=due_date, enrolled_at=now)
        for member in members
        if member.pk not in existing
    )
    PathEnrolment.objects.filter(path=path, user__in=members).update(assigned_by=assigned_by, due_date=due_date)
    return len(members)


def enrol_in_path(*, user, path: LearningPathPage) -> PathEnrolment:
    """Follow a path: enrol in each of its courses the person may take now."""
    path = original_page(path)
    with transaction.atomic():
        path_enrolment, _created = PathEnrolment.objects.get_or_create(
            user=user, path=path, defaults={"enrolled_at": clock.now()}
        )
    for item in path.path_courses.select_related("course"):
        if course_access(user, item.course) == Access.OPEN and not missing_prerequisites(user=user, course=item.course):
            enrol_learner(user=user, course=item.course)
    return path_enrolment


def _members(organization: Organization, user_ids: Iterable[int]) -> list:
    wanted = set(user_ids)
    members = [
        membership.user for membership in organization.memberships.select_related("user").filter(user__in=wanted)
    ]
    if not wanted or len(members) != len(wanted):
        raise CourseActionError(_("Choose people from your own organization."), status=400)
    return members


def _require_course_open_to(organization: Organization, course: CoursePage) -> None:
    reader = Reader(organization_id=organization.pk, tier=organization.tier)
    if access_for(audience_of(course), reader, TIER_ORDER) != Access.OPEN:
        raise CourseActionError(
            _("%(course)s is not available to %(organization)s.")
            % {"course": course.title, "organization": organization},
            status=409,
        )
