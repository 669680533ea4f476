"""Renewal inside the window (a renewal exam or an update course) and re-certification
when a certification's requirements change with a deadline."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from certifications import signals
from certifications.models import Credential, CredentialEvent
from certifications.services.awarding import evaluate_person
from certifications.services.versions import record_version
from certifications.validity import add_months
from courses.demo import take_exam as take_exam_answering
from courses.services.enrolment import enrol_learner
from lms import clock
from tests.certifications import builders
from tests.courses import builders as course_builders

pytestmark = pytest.mark.django_db

ISSUED = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)
EXPIRES = datetime(2027, 1, 10, 9, 0, tzinfo=UTC)  # 12 months later


@pytest.fixture
def travel(monkeypatch):
    def to(moment: datetime) -> datetime:
        monkeypatch.setattr(clock, "now", lambda: moment)
        return moment

    to(ISSUED)
    return to


@pytest.fixture
def renewal_course():
    """An update course: two lessons, no exam."""
    return course_builders.course(title="What is new in cloud security", slug="update-course", lessons=2, exam=False)


@pytest.fixture
def renewal_exam():
    """A 10-question exam (one point each) in a course of its own; it passes at 70%."""
    return course_builders.course(title="Cloud security renewal", slug="renewal", lessons=0).assessments.get()


@pytest.fixture
def renewals():
    sent: list[dict] = []

    def receiver(sender, **kwargs):
        sent.append(kwargs)

    signals.credential_renewed.connect(receiver, weak=False)
    yield sent
    signals.credential_renewed.disconnect(receiver)


def held(learner, certification) -> Credential:
    return builders.issue(learner, certification, issued_at=ISSUED)


def renewed_events(credential: Credential):
    return credential.events.filter(action=CredentialEvent.Action.RENEWED)


def take_exam(learner, exam, *, right: int | None):
    """Enrol in the exam's course if need be, then answer `right` questions right (all: None)."""
    enrol_learner(user=learner, course=exam.course)
    return take_exam_answering(learner, exam, right=right)


def test_passing_the_renewal_exam_at_the_minimum_score_inside_the_window_renews(
    travel, learner, renewal_exam, renewals, django_capture_on_commit_callbacks
):
    certification = builders.certification(validity_months=12, renewal_exam=renewal_exam, minimum_score=80)
    credential = held(learner, certification)
    assert credential.expires_at == EXPIRES

    moment = travel(EXPIRES - timedelta(days=30))
    with django_capture_on_commit_callbacks(execute=True):
        take_exam(learner, renewal_exam, right=7)  # passes the exam (70%), below the certification's 80
    credential.refresh_from_db()
    assert credential.expires_at == EXPIRES and not renewed_events(credential).exists()

    travel(moment + timedelta(hours=1))
    with django_capture_on_commit_callbacks(execute=True):
        attempt = take_exam(learner, renewal_exam, right=8)  # exactly the minimum score

    credential.refresh_from_db()
    assert credential.status == Credential.Status.ACTIVE
    assert credential.expires_at == add_months(EXPIRES, 12)  # from the old expiry, not from today
    assert credential.renewed_at == moment + timedelta(hours=1)
    event = renewed_events(credential).get()
    assert event.details["previous_expiry"] == EXPIRES.isoformat()
    assert event.details["new_expiry"] == add_months(EXPIRES, 12).isoformat()
    assert event.details["renewal_exam_attempt"] == attempt.pk
    assert [sent["credential"].pk for sent in renewals] == [credential.pk]


def test_completing_the_update_course_inside_the_window_renews(
    travel, learner, renewal_course, django_capture_on_commit_callbacks
):
    certification = builders.certification(validity_months=24, renewal_course=renewal_course, renewal_window_days=60)
    credential = held(learner, certification)
    first_expiry = credential.expires_at

    travel(first_expiry - timedelta(days=59))
    with django_capture_on_commit_callbacks(execute=True):
        builders.complete_course(learner, renewal_course)

    credential.refresh_from_db()
    assert credential.expires_at == add_months(first_expiry, 24)
    event = renewed_events(credential).get()
    assert event.details["renewal_course"] == renewal_course.pk
    assert (event.details["previous_expiry"], event.details["new_expiry"]) == (
        first_expiry.isoformat(),
        credential.expires_at.isoformat(),
    )


def test_the_same_evidence_does_not_renew_twice(
    travel, learner, renewal_exam, renewals, django_capture_on_commit_callbacks
):
    certification = builders.certification(validity_months=12, renewal_exam=renewal_exam)
    credential = held(learner, certification)
    travel(EXPIRES - timedelta(days=10))
    with django_capture_on_commit_callbacks(execute=True):
        take_exam(learner, renewal_exam, right=None)
        evaluate_person(user=learner)  # the same passed attempt again, at once
    new_expiry = add_months(EXPIRES, 12)

    # A year on, inside the next window, that old attempt still renews nothing.
    travel(new_expiry - timedelta(days=10))
    with django_capture_on_commit_callbacks(execute=True):
        assert evaluate_person(user=learner) == []

    credential.refresh_from_db()
    assert credential.expires_at == new_expiry
    assert renewed_events(credential).count() == 1
    assert len(renewals) == 1


def test_evidence_outside_the_window_renews_nothing(
    travel, learner, renewal_exam, renewal_course, django_capture_on_commit_callbacks
):
    certification = builders.certification(
        validity_months=12, renewal_exam=renewal_exam, renewal_course=renewal_course, renewal_window_days=90
    )
    credential = held(learner, certification)

    travel(EXPIRES - timedelta(days=91))  # one day before the window opens
    with django_capture_on_commit_callbacks(execute=True):
        take_exam(learner, renewal_exam, right=None)
        builders.complete_course(learner, renewal_course)
    travel(EXPIRES - timedelta(days=30))  # inside the window, but the evidence predates it
    with django_capture_on_commit_callbacks(execute=True):
        assert evaluate_person(user=learner) == []

    credential.refresh_from_db()
    assert credential.expires_at == EXPIRES
    assert not renewed_events(credential).exists()


def test_an_expired_credential_is_not_renewed(travel, learner, renewal_exam, django_capture_on_commit_callbacks):
    certification = builders.certification(validity_months=12, renewal_exam=renewal_exam)
    credential = held(learner, certification)
    Credential.objects.filter(pk=credential.pk).update(status=Credential.Status.EXPIRED)

    travel(EXPIRES - timedelta(days=5))
    with django_capture_on_commit_callbacks(execute=True):
        take_exam(learner, renewal_exam, right=None)

    credential.refresh_from_db()
    assert (credential.status, credential.expires_at) == (Credential.Status.EXPIRED, EXPIRES)


# Re-certification -------------------------------------------------------------------------


def test_meeting_a_new_versions_requirements_supersedes_the_old_credential(
    travel, learner, site_admin, django_capture_on_commit_callbacks
):
    first_course = course_builders.course(title="Cloud basics", slug="cloud-basics", lessons=1)
    certification = builders.certification(
        validity_months=24, courses=[first_course], exam=first_course.assessments.get()
    )
    with django_capture_on_commit_callbacks(execute=True):
        builders.complete_course(learner, first_course)
    old = Credential.objects.get(user=learner, certification=certification)
    assert old.version.number == 1

    # The author adds a course to the requirements, with a deadline to re-certify by.
    travel(ISSUED + timedelta(days=30))
    new_course = course_builders.course(title="Cloud identity", slug="cloud-identity", lessons=1, exam=False)
    certification.required_courses.add(new_course)
    certification.recertify_by = date(2026, 9, 1)
    certification.save()
    with django_capture_on_commit_callbacks(execute=True):
        version = record_version(certification=certification, actor=site_admin)
    assert (version.number, version.recertify_by) == (2, date(2026, 9, 1))
    old.refresh_from_db()
    assert old.status == Credential.Status.ACTIVE
    assert old.expires_at == datetime(2026, 9, 1, tzinfo=UTC)  # shortened to the deadline
    assert old.events.filter(action=CredentialEvent.Action.RECERTIFICATION_REQUIRED).count() == 1

    travel(ISSUED + timedelta(days=60))
    with django_capture_on_commit_callbacks(execute=True):
        builders.complete_course(learner, new_course)

    old.refresh_from_db()
    new = Credential.objects.get(user=learner, certification=certification, status=Credential.Status.ACTIVE)
    assert old.status == Credential.Status.SUPERSEDED
    assert old.superseded_by == new
    assert new.version == version
    assert new.issued_at == ISSUED + timedelta(days=60)
    assert new.expires_at == add_months(ISSUED + timedelta(days=60), 24)
    assert old.events.filter(action=CredentialEvent.Action.SUPERSEDED).count() == 1
    assert [event.action for event in new.events.all()] == [CredentialEvent.Action.ISSUED]


def test_a_holder_who_does_not_re_certify_keeps_the_old_credential_until_the_deadline(
    travel, learner, django_capture_on_commit_callbacks
):
    first_course = course_builders.course(title="Cloud basics", slug="cloud-basics", lessons=1, exam=False)
    certification = builders.certification(validity_months=24, courses=[first_course])
    with django_capture_on_commit_callbacks(execute=True):
        builders.complete_course(learner, first_course)
    travel(ISSUED + timedelta(days=30))
    certification.required_courses.add(
        course_builders.course(title="Cloud identity", slug="cloud-identity", lessons=1, exam=False)
    )
    certification.recertify_by = date(2026, 9, 1)
    certification.save()
    with django_capture_on_commit_callbacks(execute=True):
        record_version(certification=certification)
        assert evaluate_person(user=learner) == []

    credential = Credential.objects.get(user=learner, certification=certification)
    assert (credential.status, credential.version.number) == (Credential.Status.ACTIVE, 1)
    assert credential.expires_at == datetime(2026, 9, 1, tzinfo=UTC)
