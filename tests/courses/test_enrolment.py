"""Enrolling, withdrawing and assigning courses and learning paths (services, no HTTP)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Locale

from courses.audience import Access
from courses.models import (
    CoursePage,
    Enrolment,
    LearningPathCourse,
    LearningPathPage,
    LessonCompletion,
    LessonPage,
    PathEnrolment,
)
from courses.permissions import course_access
from courses.reports import progress_for
from courses.selectors import catalog_for, course_overview
from courses.services import CourseActionError
from courses.services.enrolment import (
    assign_course,
    assign_path,
    enrol_in_path,
    enrol_learner,
    missing_prerequisites,
    withdraw_learner,
)
from courses.services.progress import complete_lesson, record_visit
from lms import clock
from lms.partners.models import Tier
from lms.partners.roles import StaffRole
from tests.courses import builders

pytestmark = pytest.mark.django_db

DUE = date(2031, 3, 21)


# Helpers ----------------------------------------------------------------------------------


@pytest.fixture
def fixed_now(monkeypatch):
    moment = timezone.make_aware(datetime(2030, 1, 15, 9, 30))
    monkeypatch.setattr(clock, "now", lambda: moment)
    return moment


def persian(page):
    """Publish a Persian translation of `page` (its parent must be translated already)."""
    builders.catalog("fa")
    translation = page.copy_for_translation(Locale.objects.get(language_code="fa"))
    translation.save_revision().publish()
    return type(page).objects.get(pk=translation.pk)


def lessons_of(course: CoursePage) -> list[LessonPage]:
    return list(LessonPage.objects.child_of(course).order_by("path"))


def finish(user, course: CoursePage) -> Enrolment:
    """Complete every lesson of a course without an exam; returns the refreshed enrolment."""
    for lesson in lessons_of(course):
        complete_lesson(user=user, lesson=lesson)
    return Enrolment.objects.get(user=user, course=course)


def learning_path(*courses: CoursePage, title: str = "Cloud Security Specialist") -> LearningPathPage:
    path = LearningPathPage(title=title, slug=slugify(title), summary="A path.")
    path.path_courses = [LearningPathCourse(course=course, sort_order=order) for order, course in enumerate(courses)]
    return builders.publish(builders.catalog(), path)


def edit(page, **relations):
    """Set parental many-to-many fields (prerequisites, audience_organizations) and publish."""
    for name, values in relations.items():
        getattr(page, name).set(values)
    page.save_revision().publish()
    page.refresh_from_db()
    return page


def refused(call, **kwargs) -> CourseActionError:
    with pytest.raises(CourseActionError) as caught:
        call(**kwargs)
    return caught.value


# Self-enrolment --------------------------------------------------------------------------


def test_self_enrolment_creates_a_self_enrolment_dated_now(learner, fixed_now):
    course = builders.course(lessons=1, exam=False)

    enrolment = enrol_learner(user=learner, course=course)

    stored = Enrolment.objects.get(user=learner, course=course)
    assert stored.pk == enrolment.pk
    assert stored.source == Enrolment.Source.SELF
    assert stored.assigned_by is None and stored.due_date is None
    assert stored.enrolled_at == fixed_now
    assert stored.completed_at is None


def test_self_enrolment_is_idempotent(learner, monkeypatch):
    course = builders.course(lessons=1, exam=False)
    first = enrol_learner(user=learner, course=course)
    monkeypatch.setattr(clock, "now", lambda: first.enrolled_at + timedelta(days=3))

    second = enrol_learner(user=learner, course=course)

    assert second.pk == first.pk
    assert Enrolment.objects.filter(user=learner).count() == 1
    assert Enrolment.objects.get().enrolled_at == first.enrolled_at  # the first enrolment date is kept


# Audience -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("minimum_tier", "organization_tier", "allowed"),
    [
        ("", Tier.REGISTERED, True),
        (Tier.SILVER, Tier.REGISTERED, False),
        (Tier.GOLD, Tier.SILVER, False),
        (Tier.PLATINUM, Tier.GOLD, False),
        (Tier.GOLD, Tier.GOLD, True),
        (Tier.SILVER, Tier.PLATINUM, True),
    ],
)
def test_minimum_tier_decides_self_enrolment(organization, make_member, minimum_tier, organization_tier, allowed):
    organization.tier = organization_tier
    organization.save()
    person = make_member(organization)
    course = builders.course(lessons=1, exam=False, minimum_tier=minimum_tier)

    if allowed:
        assert enrol_learner(user=person, course=course).course_id == course.pk
    else:
        assert course_access(person, course) == Access.TIER_LOCKED
        error = refused(enrol_learner, user=person, course=course)
        assert error.status == 403
        assert not Enrolment.objects.exists()


def test_tier_locked_course_is_listed_in_the_catalog_but_locked(learner):
    course = builders.course(lessons=1, exam=False, minimum_tier=Tier.PLATINUM)

    entries = catalog_for(learner, index=builders.catalog(), params={}).entries

    assert [(entry.course.pk, entry.access) for entry in entries] == [(course.pk, Access.TIER_LOCKED)]
    assert entries[0].locked_message


def test_course_for_other_organizations_is_refused_and_hidden(learner, other_organization):
    course = builders.course(lessons=1, exam=False)
    edit(course, audience_organizations=[other_organization])

    assert course_access(learner, course) == Access.HIDDEN
    error = refused(enrol_learner, user=learner, course=course)
    assert error.status == 404
    assert not Enrolment.objects.exists()
    assert catalog_for(learner, index=builders.catalog(), params={}).entries == []


def test_course_for_own_organization_is_listed_and_open(learner, organization, other_organization):
    course = builders.course(lessons=1, exam=False)
    edit(course, audience_organizations=[organization, other_organization])

    entries = catalog_for(learner, index=builders.catalog(), params={}).entries

    assert [(entry.course.pk, entry.access) for entry in entries] == [(course.pk, Access.OPEN)]
    assert enrol_learner(user=learner, course=course).course_id == course.pk


def test_refusing_a_course_meant_for_other_organizations_does_not_speak_of_a_tier(learner, other_organization):
    course = builders.course(lessons=1, exam=False)
    edit(course, audience_organizations=[other_organization])

    error = refused(enrol_learner, user=learner, course=course)

    assert "tier" not in error.message


@pytest.mark.parametrize("role", [StaffRole.SITE_ADMIN, StaffRole.COURSE_AUTHOR])
def test_vendor_staff_may_enrol_in_any_course(make_staff, other_organization, role):
    staff = make_staff(role)
    restricted = builders.course(title="Restricted", lessons=1, exam=False, minimum_tier=Tier.PLATINUM)
    edit(restricted, audience_organizations=[other_organization])

    enrolment = enrol_learner(user=staff, course=restricted)

    assert course_access(staff, restricted) == Access.OPEN
    assert enrolment.course_id == restricted.pk
    assert [entry.course.pk for entry in catalog_for(staff, index=builders.catalog(), params={}).entries] == [
        restricted.pk
    ]


# Prerequisites ----------------------------------------------------------------------------


def test_prerequisites_block_enrolment_until_completed(learner):
    basics = builders.course(title="Basics", lessons=2, exam=False)
    advanced = builders.course(title="Advanced", lessons=1, exam=False)
    edit(advanced, prerequisites=[basics])

    error = refused(enrol_learner, user=learner, course=advanced)
    assert error.status == 409 and "Basics" in error.message
    assert not Enrolment.objects.exists()

    enrol_learner(user=learner, course=basics)
    complete_lesson(user=learner, lesson=lessons_of(basics)[0])  # enrolled and half-way is not enough
    assert missing_prerequisites(user=learner, course=advanced) == [basics]
    refused(enrol_learner, user=learner, course=advanced)
    assert not Enrolment.objects.filter(course=advanced).exists()

    assert finish(learner, basics).completed_at is not None
    assert missing_prerequisites(user=learner, course=advanced) == []
    assert enrol_learner(user=learner, course=advanced).course_id == advanced.pk


def test_every_prerequisite_is_named_when_several_are_missing(learner):
    first = builders.course(title="Networking", lessons=1, exam=False)
    second = builders.course(title="Identity", lessons=1, exam=False)
    advanced = builders.course(title="Zero Trust", lessons=1, exam=False)
    edit(advanced, prerequisites=[first, second])
    enrol_learner(user=learner, course=first)
    finish(learner, first)

    error = refused(enrol_learner, user=learner, course=advanced)

    assert "Identity" in error.message and "Networking" not in error.message


# Withdrawing --------------------------------------------------------------------------------


def test_withdrawing_removes_a_self_enrolment_and_keeps_completed_lessons(learner):
    course = builders.course(lessons=2, exam=False)
    enrol_learner(user=learner, course=course)
    complete_lesson(user=learner, lesson=lessons_of(course)[0])

    withdraw_learner(user=learner, course=course)

    assert not Enrolment.objects.exists()
    assert LessonCompletion.objects.filter(user=learner).count() == 1


def test_an_assigned_course_cannot_be_withdrawn_from(learner, partner_admin, organization):
    course = builders.course(lessons=1, exam=False)
    assign_course(
        assigned_by=partner_admin, organization=organization, user_ids=[learner.pk], course=course, due_date=None
    )

    error = refused(withdraw_learner, user=learner, course=course)

    assert error.status == 409
    assert Enrolment.objects.filter(user=learner, course=course).exists()


def test_a_completed_course_cannot_be_withdrawn_from(learner):
    course = builders.course(lessons=1, exam=False)
    enrol_learner(user=learner, course=course)
    assert finish(learner, course).completed_at is not None

    error = refused(withdraw_learner, user=learner, course=course)

    assert error.status == 409
    assert Enrolment.objects.filter(user=learner, course=course, completed_at__isnull=False).exists()


def test_withdrawing_without_an_enrolment_is_refused(learner):
    course = builders.course(lessons=1, exam=False)

    assert refused(withdraw_learner, user=learner, course=course).status == 409


# Assigning courses --------------------------------------------------------------------------


def test_assigning_a_course_enrols_every_chosen_member_with_the_due_date(
    organization, partner_admin, make_member, fixed_now
):
    people = [make_member(organization) for _ in range(3)]
    bystander = make_member(organization)
    course = builders.course(lessons=1, exam=False)

    count = assign_course(
        assigned_by=partner_admin,
        organization=organization,
        user_ids=[p.pk for p in people],
        course=course,
        due_date=DUE,
    )

    assert count == 3
    enrolments = Enrolment.objects.filter(course=course)
    assert {enrolment.user_id for enrolment in enrolments} == {person.pk for person in people}
    for enrolment in enrolments:
        assert enrolment.source == Enrolment.Source.ASSIGNED
        assert enrolment.assigned_by_id == partner_admin.pk
        assert enrolment.due_date == DUE
        assert enrolment.enrolled_at == fixed_now
    assert not Enrolment.objects.filter(user=bystander).exists()


def test_assigning_turns_a_self_enrolment_into_an_assigned_one_keeping_progress(
    learner, partner_admin, organization, monkeypatch
):
    course = builders.course(lessons=3, exam=False)
    enrolment = enrol_learner(user=learner, course=course)
    first, second, _third = lessons_of(course)
    complete_lesson(user=learner, lesson=first)
    record_visit(user=learner, lesson=second)
    monkeypatch.setattr(clock, "now", lambda: enrolment.enrolled_at + timedelta(days=10))

    count = assign_course(
        assigned_by=partner_admin, organization=organization, user_ids=[learner.pk], course=course, due_date=DUE
    )

    assert count == 1
    stored = Enrolment.objects.get(user=learner, course=course)
    assert stored.pk == enrolment.pk
    assert (stored.source, stored.assigned_by_id, stored.due_date) == (Enrolment.Source.ASSIGNED, partner_admin.pk, DUE)
    assert stored.enrolled_at == enrolment.enrolled_at
    assert stored.last_lesson_id == second.pk
    assert LessonCompletion.objects.filter(user=learner, lesson=first).exists()
    row = progress_for([Enrolment.objects.select_related("course").get(pk=stored.pk)])[0]
    assert (row.progress.done, row.progress.total) == (1, 3)


def test_assigning_again_updates_the_due_date_without_duplicates(learner, partner_admin, organization):
    course = builders.course(lessons=1, exam=False)
    for due in (DUE, DUE + timedelta(days=30)):
        assign_course(
            assigned_by=partner_admin, organization=organization, user_ids=[learner.pk], course=course, due_date=due
        )

    assert list(Enrolment.objects.values_list("due_date", flat=True)) == [DUE + timedelta(days=30)]


def test_assigning_leaves_a_completed_enrolment_completed(learner, partner_admin, organization):
    course = builders.course(lessons=1, exam=False)
    enrol_learner(user=learner, course=course)
    completed_at = finish(learner, course).completed_at

    count = assign_course(
        assigned_by=partner_admin, organization=organization, user_ids=[learner.pk], course=course, due_date=DUE
    )

    assert count == 0
    assert Enrolment.objects.get(user=learner).completed_at == completed_at


@pytest.mark.parametrize("outsider", ["other_member", "other_admin", "staff", "unknown_id"])
def test_assigning_refuses_people_outside_the_organization_and_writes_nothing(
    learner, partner_admin, organization, other_organization, make_member, site_admin, other_partner_admin, outsider
):
    course = builders.course(lessons=1, exam=False)
    outsider_id = {
        "other_member": lambda: make_member(other_organization).pk,
        "other_admin": lambda: other_partner_admin.pk,
        "staff": lambda: site_admin.pk,
        "unknown_id": lambda: 987654,
    }[outsider]()

    error = refused(
        assign_course,
        assigned_by=partner_admin,
        organization=organization,
        user_ids=[learner.pk, outsider_id],
        course=course,
        due_date=DUE,
    )

    assert error.status == 400
    assert not Enrolment.objects.exists()


def test_assigning_to_nobody_is_refused(partner_admin, organization):
    course = builders.course(lessons=1, exam=False)

    refused(
        assign_course, assigned_by=partner_admin, organization=organization, user_ids=[], course=course, due_date=None
    )

    assert not Enrolment.objects.exists()


@pytest.mark.parametrize("closed_by", ["tier", "audience"])
def test_assigning_a_course_not_open_to_the_organization_is_refused(
    learner, partner_admin, organization, other_organization, closed_by
):
    course = builders.course(lessons=1, exam=False, minimum_tier=Tier.GOLD if closed_by == "tier" else "")
    if closed_by == "audience":
        edit(course, audience_organizations=[other_organization])

    error = refused(
        assign_course,
        assigned_by=partner_admin,
        organization=organization,
        user_ids=[learner.pk],
        course=course,
        due_date=DUE,
    )

    assert error.status == 409
    assert not Enrolment.objects.exists()


def test_assigning_a_self_enrolled_member_a_course_closed_to_the_organization_keeps_it_self_enrolled(
    learner, partner_admin, organization
):
    # The learner enrolled while the organization was gold; it has since dropped to silver.
    organization.tier = Tier.GOLD
    organization.save()
    course = builders.course(lessons=1, exam=False, minimum_tier=Tier.GOLD)
    enrol_learner(user=learner, course=course)
    organization.tier = Tier.SILVER
    organization.save()

    refused(
        assign_course,
        assigned_by=partner_admin,
        organization=organization,
        user_ids=[learner.pk],
        course=course,
        due_date=DUE,
    )

    assert Enrolment.objects.get(user=learner).source == Enrolment.Source.SELF


# Learning paths --------------------------------------------------------------------------------


def test_assigning_a_path_enrols_members_in_every_course_and_the_path(
    organization, partner_admin, make_member, fixed_now
):
    people = [make_member(organization) for _ in range(2)]
    first = builders.course(title="Path One", lessons=1, exam=False)
    second = builders.course(title="Path Two", lessons=1, exam=False)
    path = learning_path(first, second)

    count = assign_path(
        assigned_by=partner_admin, organization=organization, user_ids=[p.pk for p in people], path=path, due_date=DUE
    )

    assert count == 2
    for person in people:
        enrolments = Enrolment.objects.filter(user=person)
        assert {enrolment.course_id for enrolment in enrolments} == {first.pk, second.pk}
        assert {(e.source, e.assigned_by_id, e.due_date) for e in enrolments} == {
            (Enrolment.Source.ASSIGNED, partner_admin.pk, DUE)
        }
        path_enrolment = PathEnrolment.objects.get(user=person, path=path)
        assert (path_enrolment.assigned_by_id, path_enrolment.due_date) == (partner_admin.pk, DUE)
        assert path_enrolment.enrolled_at == fixed_now


def test_assigning_a_path_again_updates_it_without_duplicates(learner, organization, partner_admin):
    path = learning_path(builders.course(title="Only", lessons=1, exam=False))
    for due in (DUE, None):
        assign_path(
            assigned_by=partner_admin, organization=organization, user_ids=[learner.pk], path=path, due_date=due
        )

    assert list(PathEnrolment.objects.values_list("due_date", flat=True)) == [None]
    assert Enrolment.objects.count() == 1


def test_assigning_a_path_with_a_closed_course_writes_nothing(learner, organization, partner_admin):
    open_course = builders.course(title="Open", lessons=1, exam=False)
    gold_course = builders.course(title="Gold only", lessons=1, exam=False, minimum_tier=Tier.GOLD)
    path = learning_path(open_course, gold_course)

    error = refused(
        assign_path,
        assigned_by=partner_admin,
        organization=organization,
        user_ids=[learner.pk],
        path=path,
        due_date=DUE,
    )

    assert error.status == 409
    assert not Enrolment.objects.exists()
    assert not PathEnrolment.objects.exists()


def test_assigning_a_path_refuses_people_of_another_organization(
    learner, organization, partner_admin, other_organization, make_member
):
    path = learning_path(builders.course(title="Only", lessons=1, exam=False))

    refused(
        assign_path,
        assigned_by=partner_admin,
        organization=organization,
        user_ids=[learner.pk, make_member(other_organization).pk],
        path=path,
        due_date=DUE,
    )

    assert not Enrolment.objects.exists()
    assert not PathEnrolment.objects.exists()


def test_following_a_path_enrols_in_each_course_the_person_may_take_now(learner):
    first = builders.course(title="Step One", lessons=1, exam=False)
    locked = builders.course(title="Step Two", lessons=1, exam=False, minimum_tier=Tier.PLATINUM)
    later = builders.course(title="Step Three", lessons=1, exam=False)
    edit(later, prerequisites=[first])
    path = learning_path(first, locked, later)

    path_enrolment = enrol_in_path(user=learner, path=path)

    assert path_enrolment.path_id == path.pk and path_enrolment.assigned_by_id is None
    assert list(Enrolment.objects.filter(user=learner).values_list("course_id", "source")) == [
        (first.pk, Enrolment.Source.SELF)
    ]


def test_following_a_path_twice_keeps_one_path_enrolment(learner):
    first = builders.course(title="Step One", lessons=1, exam=False)
    later = builders.course(title="Step Two", lessons=1, exam=False)
    edit(later, prerequisites=[first])
    path = learning_path(first, later)
    enrol_in_path(user=learner, path=path)
    finish(learner, first)

    enrol_in_path(user=learner, path=path)  # following again picks up the course that is now open

    assert PathEnrolment.objects.filter(user=learner).count() == 1
    assert set(Enrolment.objects.filter(user=learner).values_list("course_id", flat=True)) == {first.pk, later.pk}


# Translations -------------------------------------------------------------------------------------


def test_enrolling_through_a_translation_lands_on_the_original_course(learner):
    course = builders.course(lessons=1, exam=False)
    translation = persian(course)
    assert translation.pk != course.pk and translation.locale.language_code == "fa"

    enrolment = enrol_learner(user=learner, course=translation)

    assert enrolment.course_id == course.pk
    assert enrol_learner(user=learner, course=course).pk == enrolment.pk
    assert Enrolment.objects.count() == 1


def test_progress_is_shared_between_the_language_versions(learner):
    course = builders.course(lessons=2, exam=False)
    translation = persian(course)
    english_lessons = lessons_of(course)
    persian_first = persian(english_lessons[0])
    enrol_learner(user=learner, course=translation)

    complete_lesson(user=learner, lesson=persian_first)
    assert LessonCompletion.objects.get(user=learner).lesson_id == english_lessons[0].pk
    overview = course_overview(learner, course)
    assert [lesson.completed for lesson in overview.lessons] == [True, False]
    assert course_overview(learner, translation).progress.done == 1

    complete_lesson(user=learner, lesson=english_lessons[1])
    enrolment = Enrolment.objects.get(user=learner)
    assert enrolment.course_id == course.pk and enrolment.completed_at is not None


def test_withdrawing_through_a_translation_removes_the_enrolment(learner):
    course = builders.course(lessons=1, exam=False)
    translation = persian(course)
    enrol_learner(user=learner, course=course)

    withdraw_learner(user=learner, course=translation)

    assert not Enrolment.objects.exists()


def test_a_prerequisite_completed_in_either_language_counts(learner):
    basics = builders.course(title="Basics", lessons=1, exam=False)
    advanced = builders.course(title="Advanced", lessons=1, exam=False)
    edit(advanced, prerequisites=[basics])
    persian_advanced = persian(advanced)
    enrol_learner(user=learner, course=persian(basics))
    finish(learner, basics)

    assert enrol_learner(user=learner, course=persian_advanced).course_id == advanced.pk


def test_assigning_through_a_translation_lands_on_the_original_course(learner, partner_admin, organization):
    course = builders.course(lessons=1, exam=False)
    translation = persian(course)
    enrol_learner(user=learner, course=course)

    assign_course(
        assigned_by=partner_admin, organization=organization, user_ids=[learner.pk], course=translation, due_date=DUE
    )

    assert list(Enrolment.objects.values_list("course_id", "source")) == [(course.pk, Enrolment.Source.ASSIGNED)]


def test_a_partner_admin_assigning_is_not_enrolled_themselves(partner_admin, organization, learner):
    course = builders.course(lessons=1, exam=False)

    assign_course(
        assigned_by=partner_admin, organization=organization, user_ids=[learner.pk], course=course, due_date=None
    )

    assert not Enrolment.objects.filter(user=partner_admin).exists()


def test_an_unsaved_audience_decides_access_as_in_a_preview(learner, organization, other_organization):
    course = builders.course(lessons=1, exam=False)
    draft = CoursePage.objects.get(pk=course.pk)
    draft.audience_organizations.set([other_organization])  # in memory, as a revision being previewed

    assert course_access(learner, draft) == Access.HIDDEN
    assert course_access(learner, CoursePage.objects.get(pk=course.pk)) == Access.OPEN
    draft = CoursePage.objects.get(pk=course.pk)
    draft.audience_organizations.set([organization, other_organization])
    assert course_access(learner, draft) == Access.OPEN
