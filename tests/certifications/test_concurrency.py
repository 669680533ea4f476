"""Racing awards, evaluations, exam submissions and expiry runs (PostgreSQL).

Each test releases its threads at once from a barrier; every thread has its own
database connection, as concurrent requests and workers have.
"""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection

from certifications import signals
from certifications.models import Credential, CredentialEvent
from certifications.services.awarding import award_credential, evaluate_person
from certifications.services.expiry import expire_due_credentials
from certifications.validity import add_months
from courses.models import Attempt
from courses.services.attempts import scripted_answers, start_attempt, submit_attempt
from courses.services.enrolment import enrol_learner
from lms import clock
from tests.certifications import builders
from tests.concurrency import run_together
from tests.courses import builders as course_builders
from tests.factories import UserFactory

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (set DATABASE_URL)"),
]

# Serialized rollback, as in every transactional test here: the flush afterwards must not
# re-run post_migrate, or the next test could not restore the migrated data.
transactional = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def crashes(outcomes) -> list[object]:
    return [result for kind, result in outcomes if kind == "crashed"]


@pytest.fixture
def issued():
    sent: list[int] = []

    def receiver(sender, credential, **kwargs):
        sent.append(credential.pk)

    signals.credential_issued.connect(receiver, weak=False)
    yield sent
    signals.credential_issued.disconnect(receiver)


def issued_events(**filters):
    return CredentialEvent.objects.filter(action=CredentialEvent.Action.ISSUED, **filters)


@transactional
def test_fifty_simultaneous_awards_issue_one_credential(learner, issued):
    certification = builders.certification(validity_months=24)
    version = certification.versions.get()

    outcomes = run_together(50, lambda: award_credential(user=learner, certification=certification, version=version))

    assert crashes(outcomes) == []
    credential = Credential.objects.get(user=learner)
    assert [result.pk for _kind, result in outcomes if result is not None] == [credential.pk]
    assert issued_events().count() == 1
    assert issued_events(credential=credential).count() == 1
    assert issued == [credential.pk]


@transactional
def test_twenty_simultaneous_evaluations_award_once(learner, issued):
    course = course_builders.course(lessons=1, questions=7)
    builders.complete_course(learner, course)  # before any certification exists: nothing awarded
    first = builders.certification(courses=[course], exam=course.assessments.get(), slug="first", name="First")
    second = builders.certification(slug="second", name="Second", prerequisites=[first])

    outcomes = run_together(20, lambda: evaluate_person(user=learner))

    assert crashes(outcomes) == []
    credentials = Credential.objects.filter(user=learner)
    assert sorted(credentials.values_list("certification_id", flat=True)) == sorted([first.pk, second.pk])
    assert issued_events().count() == 2
    assert sorted(issued) == sorted(credentials.values_list("pk", flat=True))


@transactional
def test_fifty_simultaneous_identical_exam_submissions_make_one_attempt_and_one_credential(learner, issued):
    course = course_builders.course(lessons=0, questions=7)
    exam = course.assessments.get()
    certification = builders.certification(courses=[course], exam=exam, validity_months=12)
    enrol_learner(user=learner, course=course)
    attempt = start_attempt(user=learner, assessment=exam)
    answers = scripted_answers(attempt, right=True)

    outcomes = run_together(50, lambda: submit_attempt(user=learner, attempt=attempt, answers=answers))

    assert crashes(outcomes) == []
    graded = Attempt.objects.get()
    assert (graded.pk, graded.status, graded.passed) == (attempt.pk, Attempt.Status.GRADED, True)
    credential = Credential.objects.get(user=learner, certification=certification)
    assert credential.exam_attempt_id == attempt.pk
    assert issued_events().count() == 1
    assert issued == [credential.pk]


@transactional
def test_simultaneous_expiry_runs_expire_each_credential_once(monkeypatch):
    now = clock.now()
    certification = builders.certification(validity_months=12)
    due = []
    for number in range(30):
        expires = now - timedelta(hours=number + 1)
        due.append(builders.issue(UserFactory(), certification, issued_at=add_months(expires, -12)))
    later = builders.issue(UserFactory(), certification)
    signalled: list[int] = []
    lock = threading.Lock()

    def receiver(sender, credential_ids, **kwargs):
        with lock:
            signalled.extend(credential_ids)

    signals.credentials_expired.connect(receiver, weak=False)
    try:
        outcomes = run_together(8, lambda: expire_due_credentials(now=now, batch_size=7))
    finally:
        signals.credentials_expired.disconnect(receiver)

    assert crashes(outcomes) == []
    assert sum(result for _kind, result in outcomes) == 30
    expired = CredentialEvent.objects.filter(action=CredentialEvent.Action.EXPIRED)
    assert sorted(expired.values_list("credential_id", flat=True)) == sorted(credential.pk for credential in due)
    assert set(Credential.objects.filter(pk__in=[c.pk for c in due]).values_list("status", flat=True)) == {
        Credential.Status.EXPIRED
    }
    later.refresh_from_db()
    assert later.status == Credential.Status.ACTIVE
    assert sorted(signalled) == sorted(credential.pk for credential in due)  # each holder told once
