"""The demo certifications: loaded by load_demo through the services, idempotent, with
credentials in every state and one verification address printed."""

from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

from certifications.demo import CERTIFICATIONS
from certifications.eligibility import Requirements
from certifications.models import Certification, CertificationVersion, Credential, CredentialEvent
from certifications.validity import add_months
from courses.models import Assessment, Attempt, Enrolment
from lms import clock
from lms.notifications.models import Notification

pytestmark = pytest.mark.django_db

DOMAIN = "demo.abrzad.example"
OUTPUT: list[str] = []


def load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """Load the demo once for this module, in a transaction rolled back at the end."""
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    with django_db_blocker.unblock(), media, transaction.atomic():
        OUTPUT.append(load())
        yield
        transaction.set_rollback(True)


def credential_of(person: str, slug: str) -> Credential:
    return Credential.objects.get(user__email=f"{person}@{DOMAIN}", certification__slug=slug)


def test_loading_again_changes_nothing():
    def state():
        return {
            "certifications": list(Certification.objects.values_list("slug", "name_fa").order_by("slug")),
            "versions": CertificationVersion.objects.count(),
            "credentials": list(
                Credential.objects.values_list("pk", "status", "expires_at", "superseded_by").order_by("pk")
            ),
            "events": CredentialEvent.objects.count(),
            "notifications": Notification.objects.count(),
        }

    before = state()
    load()
    assert state() == before


def test_four_certifications_in_three_competencies_built_on_the_demo_courses():
    certifications = Certification.objects.filter(slug__in=[spec.slug for spec in CERTIFICATIONS])
    assert certifications.count() >= 4
    assert len({certification.competency_id for certification in certifications}) >= 3
    assert len({certification.level for certification in certifications}) >= 3
    for certification in certifications:
        assert certification.name_fa and certification.description_fa, certification
        courses = list(certification.required_courses.all())
        assert 1 <= len(courses) <= 2, certification
        exam = certification.final_exam
        assert exam.kind == Assessment.Kind.EXAM and exam.course in courses, certification
        (version,) = certification.versions.all()
        requirements = Requirements.from_json(version.requirements)
        assert requirements.course_ids == {course.pk for course in courses}
        assert requirements.exam_id == exam.pk
    zero_trust = Certification.objects.get(slug="zero-trust-professional")
    assert [prerequisite.slug for prerequisite in zero_trust.prerequisites.all()] == ["cloud-security-associate"]
    assert certifications.exclude(renewal_exam=None, renewal_course=None).exists()
    assert len(set(certifications.values_list("certificate_template", flat=True))) == 2


def test_maryam_earned_hers_by_completing_the_course_and_passing_its_exam():
    credential = credential_of("maryam", "data-analytics-foundations")
    assert credential.status == Credential.Status.ACTIVE
    attempt = credential.exam_attempt
    assert attempt is not None and attempt.user == credential.user and attempt.passed
    course = credential.certification.required_courses.get()
    assert Enrolment.objects.get(user=credential.user, course=course).completed_at is not None
    assert [entry["course"] for entry in credential.evidence["courses"]] == [course.pk]
    assert credential.holder_name == "مریم حسینی"


def test_people_who_did_not_complete_the_requirements_earned_nothing_by_themselves():
    # Niloufar failed the exam, Sara only started a course.
    assert Attempt.objects.filter(user__email=f"niloufar@{DOMAIN}", passed=False).exists()
    assert not Credential.objects.filter(user__email__in=[f"niloufar@{DOMAIN}", f"learner@{DOMAIN}"]).exists()


def test_credentials_are_active_expiring_expired_and_revoked():
    now = clock.now()
    demo = Credential.objects.filter(user__email__endswith=f"@{DOMAIN}")
    active = demo.filter(status=Credential.Status.ACTIVE)
    assert active.filter(expires_at__gt=now + timedelta(days=30)).count() >= 3
    assert active.filter(expires_at__gt=now, expires_at__lte=now + timedelta(days=30)).count() >= 2
    assert not active.filter(expires_at__lte=now).exists()

    expired = credential_of("omar", "cloud-security-associate")
    assert expired.status == Credential.Status.EXPIRED
    assert expired.expires_at < now
    assert list(expired.events.values_list("action", "from_status", "to_status")) == [
        ("issued", "", "active"),
        ("expired", "active", "expired"),
    ]

    revoked = credential_of("lukas", "cloud-security-associate")
    assert revoked.status == Credential.Status.REVOKED and revoked.status_reason
    event = revoked.events.get(action=CredentialEvent.Action.REVOKED)
    assert event.actor.email == f"site-admin@{DOMAIN}"
    assert event.reason == revoked.status_reason
    assert demo.filter(status=Credential.Status.REVOKED).count() == 1
    assert demo.filter(status=Credential.Status.EXPIRED).count() == 1


def test_back_dated_credentials_expire_one_validity_period_after_issue():
    for credential in Credential.objects.select_related("certification").filter(user__email__endswith=f"@{DOMAIN}"):
        months = credential.certification.validity_months
        assert months is not None
        assert credential.expires_at == add_months(credential.issued_at, months), credential


def test_the_output_prints_a_working_verification_address(client):
    (output,) = OUTPUT
    match = re.search(r"http://testserver(/verify/([A-Za-z0-9_-]{27})/)", output)
    assert match, output
    path, code = match.groups()
    credential = Credential.objects.get(code=code)
    assert credential.status == Credential.Status.ACTIVE
    response = client.get(path)
    assert response.status_code == 200
    assert credential.holder_name in response.content.decode()
