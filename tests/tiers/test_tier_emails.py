"""Emails about tier changes: one per person per evaluation, the change itself when there
is one, else a digest, in the reader's language."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.urls import reverse

from certifications.models import TierChange
from certifications.services.tiers import evaluate_tiers
from certifications.tiers import tasks
from lms.partners.models import Membership
from lms.partners.roles import StaffRole
from tests.certifications import builders
from tests.factories import OrganizationFactory
from tests.tiers.test_evaluation_service import NOW, member, rules

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(make_staff):
    return make_staff(StaffRole.TIER_MANAGER, email="tiers@vendor.example")


def promote(count: int, certification) -> list:
    """`count` organizations, each with an admin who holds a credential, so each is
    promoted; returns (organization, admin) pairs."""
    pairs = []
    for number in range(count):
        organization = OrganizationFactory(name=f"Partner {number:02}", tier="registered")
        admin = member(organization, Membership.Role.ADMIN)
        builders.issue(admin, certification, issued_at=NOW - timedelta(days=10))
        pairs.append((organization, admin))
    return pairs


def mails_to(email: str) -> list:
    return [message for message in mail.outbox if email in message.to]


def test_a_tier_manager_gets_one_digest_and_each_partner_admin_its_own_change(
    manager, django_capture_on_commit_callbacks
):
    rules()
    pairs = promote(3, builders.certification(validity_months=24))
    mail.outbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        evaluate_tiers()

    assert TierChange.objects.filter(kind=TierChange.Kind.PROMOTED).count() == 3
    (digest,) = mails_to(manager.email)
    assert digest.subject == "3 partner tier updates"
    for organization, admin in pairs:
        assert f"{organization.name} moved up from Registered to Silver." in digest.body
        assert reverse("tiers:organization", kwargs={"slug": organization.slug}) in digest.body
        (own,) = mails_to(admin.email)
        assert own.subject == f"Partner tier update: {organization.name}"
        assert "moved up from Registered to Silver." in own.body
        assert reverse("partners:team", kwargs={"slug": organization.slug}) in own.body
    assert reverse("tiers:dashboard") in digest.body
    assert len(mail.outbox) == 4


def test_a_long_digest_lists_the_first_changes_and_counts_the_rest(manager, monkeypatch):
    monkeypatch.setattr(tasks, "DIGEST_LINES", 2)
    rules()
    promote(5, builders.certification(validity_months=24))
    evaluate_tiers()
    mail.outbox.clear()
    changes = list(TierChange.objects.filter(kind=TierChange.Kind.PROMOTED))

    sent = tasks.send_tier_change_emails.call(recipients={str(change.pk): [manager.pk] for change in changes})

    assert sent == 1
    (digest,) = mail.outbox
    assert digest.body.count("moved up from") == 2
    assert "Partner 00" in digest.body and "Partner 01" in digest.body  # by organization name
    assert "And 3 more." in digest.body


def test_the_digest_is_in_the_readers_language(manager):
    manager.preferred_language = "fa"
    manager.save(update_fields=["preferred_language"])
    rules()
    promote(2, builders.certification(validity_months=24))
    evaluate_tiers()
    mail.outbox.clear()
    changes = list(TierChange.objects.filter(kind=TierChange.Kind.PROMOTED))

    tasks.send_tier_change_emails.call(recipients={str(change.pk): [manager.pk] for change in changes})

    (digest,) = mail.outbox
    assert digest.subject == "۲ به‌روزرسانی سطح همکاری"  # with Persian digits
    assert "/fa/tiers/" in digest.body
    assert "moved up" not in digest.body
