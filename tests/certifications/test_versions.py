"""`record_version` freezes a certification's requirements into versions, and a
re-certification date shortens the credentials of earlier versions."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.core import mail
from django.utils import timezone
from wagtail.models import Locale

from certifications.models import Certification, Credential, CredentialEvent
from certifications.services.versions import VersionError, current_requirements, record_version
from lms.notifications.models import Notification
from tests.certifications import builders
from tests.courses import builders as course_builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    return course_builders.course(title="Cloud Basics", lessons=1, exam=False)


@pytest.fixture
def other_course():
    return course_builders.course(title="Identity Basics", lessons=1, exam=False)


def persian(page):
    course_builders.catalog("fa")
    translation = page.copy_for_translation(Locale.objects.get(language_code="fa"))
    translation.save_revision().publish()
    return type(page).objects.get(pk=translation.pk)


def midnight(day) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def test_the_first_record_is_version_1_with_the_requirements(course, site_admin):
    prerequisite = builders.certification(name="Base", slug="base")
    certification = Certification.objects.create(
        name="Architect", slug="architect", competency=builders.competency(), minimum_score=80
    )
    certification.required_courses.set([course])
    certification.prerequisites.set([prerequisite])

    version = record_version(certification=certification, actor=site_admin)

    assert (version.number, version.created_by, version.recertify_by) == (1, site_admin, None)
    assert version.requirements == {
        "courses": [course.pk],
        "exam": None,
        "minimum_score": 80,
        "prerequisites": [prerequisite.pk],
    }


def test_recording_again_without_a_change_returns_the_same_version(course):
    certification = builders.certification(courses=[course])
    first = certification.versions.get()
    assert record_version(certification=certification) == first
    assert record_version(certification=certification) == first
    assert certification.versions.count() == 1


def test_a_changed_minimum_score_is_a_new_version(course):
    certification = builders.certification(courses=[course])
    certification.minimum_score = 85
    certification.save()
    version = record_version(certification=certification)
    assert version.number == 2
    assert version.requirements["minimum_score"] == 85


def test_a_persian_translation_of_a_course_counts_as_the_original(course):
    translation = persian(course)
    assert translation.pk != course.pk

    certification = builders.certification(courses=[translation])
    assert certification.versions.get().requirements["courses"] == [course.pk]
    assert current_requirements(certification).course_ids == {course.pk}

    # Choosing both language versions, or switching to the original, is no change.
    certification.required_courses.set([course, translation])
    assert record_version(certification=certification).number == 1
    certification.required_courses.set([course])
    assert record_version(certification=certification).number == 1
    assert certification.versions.count() == 1


def test_a_certification_that_is_its_own_prerequisite_is_refused(course):
    certification = builders.certification(courses=[course])
    certification.prerequisites.add(certification)
    with pytest.raises(VersionError):
        record_version(certification=certification)
    assert certification.versions.count() == 1


def test_a_recertification_date_in_the_past_is_refused(course, other_course):
    certification = builders.certification(courses=[course])
    certification.recertify_by = timezone.localdate()
    certification.save()
    certification.required_courses.set([other_course])
    with pytest.raises(VersionError):
        record_version(certification=certification)
    assert certification.versions.count() == 1


def test_a_recertification_date_on_the_first_version_is_dropped(course):
    certification = builders.certification(courses=[course], recertify_by=timezone.localdate() + timedelta(days=30))
    version = certification.versions.get()
    assert version.recertify_by is None
    certification.refresh_from_db()
    assert certification.recertify_by is None


def test_a_recertification_date_shortens_earlier_live_credentials_and_tells_their_holders(
    course, other_course, make_member, organization, site_admin, django_capture_on_commit_callbacks
):
    certification = builders.certification(courses=[course], validity_months=36)
    forever = builders.certification(name="Forever", slug="forever", courses=[course])
    people = [make_member(organization) for _ in range(4)]
    long_lived = builders.issue(people[0], certification)
    suspended = builders.issue(people[1], certification)
    Credential.objects.filter(pk=suspended.pk).update(status=Credential.Status.SUSPENDED)
    revoked = builders.issue(people[2], certification)
    Credential.objects.filter(pk=revoked.pk).update(status=Credential.Status.REVOKED)
    # Issued long ago, it expires before the deadline: it keeps its earlier expiry.
    expiring_soon = builders.issue(people[3], certification, issued_at=timezone.now() - timedelta(days=365 * 3 - 10))
    never_expiring = builders.issue(people[0], forever)

    deadline = timezone.localdate() + timedelta(days=60)
    certification.recertify_by = deadline
    certification.save()
    certification.required_courses.set([other_course])
    with django_capture_on_commit_callbacks(execute=True):
        version = record_version(certification=certification, actor=site_admin)

    assert (version.number, version.recertify_by) == (2, deadline)
    for credential in (long_lived, suspended, revoked, expiring_soon, never_expiring):
        credential.refresh_from_db()
    assert long_lived.expires_at == midnight(deadline)
    assert suspended.expires_at == midnight(deadline)
    assert expiring_soon.expires_at < midnight(deadline)
    assert revoked.expires_at > midnight(deadline)  # not live: left alone
    assert never_expiring.expires_at is None  # another certification
    required = CredentialEvent.objects.filter(action=CredentialEvent.Action.RECERTIFICATION_REQUIRED)
    assert set(required.values_list("credential", flat=True)) == {long_lived.pk, suspended.pk, expiring_soon.pk}
    assert {event.actor for event in required} == {site_admin}
    assert Notification.objects.filter(kind="recertification_required").count() == 3
    assert sorted(message.to[0] for message in mail.outbox) == sorted(
        person.email for person in (people[0], people[1], people[3])
    )
    certification.refresh_from_db()
    assert certification.recertify_by is None


def test_a_never_expiring_credential_is_shortened_too(course, other_course, learner):
    certification = builders.certification(courses=[course])
    credential = builders.issue(learner, certification)
    assert credential.expires_at is None
    certification.recertify_by = timezone.localdate() + timedelta(days=10)
    certification.save()
    certification.required_courses.set([other_course])
    record_version(certification=certification)
    credential.refresh_from_db()
    assert credential.expires_at == midnight(certification.versions.get(number=2).recertify_by)


def test_credentials_of_every_earlier_version_are_shortened(course, other_course, make_member, organization):
    certification = builders.certification(courses=[course], validity_months=24)
    on_first = builders.issue(make_member(organization), certification)
    certification.required_courses.set([other_course])
    record_version(certification=certification)
    on_second = builders.issue(make_member(organization), certification)

    deadline = timezone.localdate() + timedelta(days=10)
    certification.recertify_by = deadline
    certification.save()
    certification.required_courses.set([course, other_course])
    assert record_version(certification=certification).number == 3

    on_first.refresh_from_db()
    on_second.refresh_from_db()
    assert (on_first.version.number, on_second.version.number) == (1, 2)
    assert on_first.expires_at == on_second.expires_at == midnight(deadline)
