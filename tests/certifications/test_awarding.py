"""Credentials are awarded the moment the courses app reports the last requirement met."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certifications import signals
from certifications.models import Credential, CredentialEvent
from certifications.services.awarding import evaluate_person
from courses.services.enrolment import enrol_learner
from lms.notifications.models import Notification
from tests.certifications import builders
from tests.courses import builders as course_builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def course():
    return course_builders.course(questions=7)


def test_passing_the_last_requirement_awards_a_credential_at_once(learner, course, django_capture_on_commit_callbacks):
    certification = builders.certification(courses=[course], exam=course.assessments.get(), validity_months=24)
    issued = []
    signals.credential_issued.connect(lambda sender, **kwargs: issued.append(kwargs), weak=False)

    with django_capture_on_commit_callbacks(execute=True):
        builders.complete_course(learner, course)

    credential = Credential.objects.get(user=learner, certification=certification)
    assert credential.status == Credential.Status.ACTIVE
    assert credential.version.number == 1
    assert credential.exam_attempt is not None and credential.exam_attempt.user == learner
    assert [entry["course"] for entry in credential.evidence["courses"]] == [course.pk]
    assert credential.expires_at.year == credential.issued_at.year + 2
    assert len(credential.code) >= 22
    assert [event.action for event in credential.events.all()] == [CredentialEvent.Action.ISSUED]
    assert [kwargs["credential"].pk for kwargs in issued] == [credential.pk]
    assert Notification.objects.filter(user=learner, kind="credential_issued").count() == 1


def test_without_any_certification_evaluating_reads_no_record(learner, course):
    builders.complete_course(learner, course)
    builders.certification(is_active=False)

    with CaptureQueriesContext(connection) as captured:
        assert evaluate_person(user=learner) == []

    tables = " ".join(query["sql"] for query in captured)
    assert "certifications_certification" in tables
    assert "courses_enrolment" not in tables and "certifications_credential" not in tables


def counting_evaluations(monkeypatch) -> list[int]:
    """The people the courses app's signals had evaluated, in order."""
    from certifications import receivers

    calls, real = [], receivers.evaluate_person

    def evaluate(*, user):
        calls.append(user.pk)
        return real(user=user)

    monkeypatch.setattr(receivers, "evaluate_person", evaluate)
    return calls


def test_an_exam_pass_that_completes_the_course_evaluates_the_person_once(
    learner, course, django_capture_on_commit_callbacks, monkeypatch
):
    certification = builders.certification(courses=[course], exam=course.assessments.get())
    evaluations = counting_evaluations(monkeypatch)
    with django_capture_on_commit_callbacks(execute=True):
        builders.complete_course(learner, course)
    assert evaluations == [learner.pk]
    assert Credential.objects.filter(user=learner, certification=certification).count() == 1


def test_an_exam_pass_that_leaves_the_course_open_is_evaluated_on_its_own(
    learner, course, django_capture_on_commit_callbacks, monkeypatch
):
    exam = course.assessments.get()
    certification = builders.certification(exam=exam)
    evaluations = counting_evaluations(monkeypatch)
    enrol_learner(user=learner, course=course)
    with django_capture_on_commit_callbacks(execute=True):
        builders.take_exam(learner, exam)  # the lessons are not done: the course stays open
    assert evaluations == [learner.pk]
    assert Credential.objects.filter(user=learner, certification=certification).count() == 1


def test_a_failed_exam_awards_nothing_and_evaluating_again_awards_once(learner, course):
    certification = builders.certification(courses=[course], exam=course.assessments.get())
    builders.complete_course(learner, course, pass_exam=False)
    assert not Credential.objects.filter(user=learner).exists()

    builders.take_exam(learner, course.assessments.get(), right=True)
    evaluate_person(user=learner)
    evaluate_person(user=learner)
    assert Credential.objects.filter(user=learner, certification=certification).count() == 1


def test_prerequisite_chain_awards_both_in_one_evaluation(learner, course, django_capture_on_commit_callbacks):
    first = builders.certification(courses=[course], slug="first", name="First")
    second = builders.certification(slug="second", name="Second", prerequisites=[first])
    with django_capture_on_commit_callbacks(execute=True):
        builders.complete_course(learner, course)
    assert set(Credential.objects.filter(user=learner).values_list("certification", flat=True)) == {
        first.pk,
        second.pk,
    }


def test_vendor_staff_outside_any_organization_can_hold_credentials(
    make_staff, course, django_capture_on_commit_callbacks
):
    from lms.partners.roles import StaffRole

    expert = make_staff(StaffRole.INTERNAL_EXPERT)
    builders.certification(courses=[course], exam=course.assessments.get())
    with django_capture_on_commit_callbacks(execute=True):
        builders.complete_course(expert, course)
    assert Credential.objects.filter(user=expert, status=Credential.Status.ACTIVE).count() == 1
