"""Manual status changes: `check()` refuses without writing, `execute()` writes the
change and its audit event together and sends the signal after commit."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.utils import timezone, translation
from django.utils.translation import pgettext

from certifications import signals
from certifications.models import Credential, CredentialEvent
from certifications.services import status as status_service
from certifications.services.status import (
    REASON_MAX,
    ChangeCredentialStatus,
    CredentialStatusError,
    change_credential_status,
)
from certifications.transitions import TRANSITIONS, ManualAction, allowed_actions, target_status
from lms.notifications.models import Notification
from lms.partners.roles import StaffRole
from tests.certifications import builders

pytestmark = pytest.mark.django_db

STATUSES = [status.value for status in Credential.Status]
# What each manual action may start from; everything else is refused.
EXPECTED = {
    ManualAction.REVOKE: {"active", "suspended", "expired"},
    ManualAction.SUSPEND: {"active"},
    ManualAction.REINSTATE: {"revoked", "suspended"},
}


@pytest.fixture
def certification():
    return builders.certification(validity_months=12)


@pytest.fixture
def credential(learner, certification):
    return builders.issue(learner, certification)


def with_status(credential: Credential, status: str) -> Credential:
    Credential.objects.filter(pk=credential.pk).update(status=status)
    credential.refresh_from_db()
    return credential


def events(credential: Credential) -> list[str]:
    return list(credential.events.values_list("action", flat=True))


# --- The table, without a database ---------------------------------------------------------


@pytest.mark.parametrize("status", STATUSES)
def test_allowed_actions_follow_the_transitions_table(status):
    assert set(allowed_actions(status)) == {action for action, sources in EXPECTED.items() if status in sources}
    assert set(TRANSITIONS) == set(ManualAction)


def test_reinstating_leads_to_active_or_expired_and_the_others_to_a_fixed_status():
    assert target_status(ManualAction.REINSTATE, expired=False) == "active"
    assert target_status(ManualAction.REINSTATE, expired=True) == "expired"
    assert target_status(ManualAction.REVOKE, expired=True) == "revoked"
    assert target_status(ManualAction.SUSPEND, expired=False) == "suspended"


# --- check() ---------------------------------------------------------------------------------


def test_check_accepts_a_valid_change_and_writes_nothing(credential, site_admin):
    change = ChangeCredentialStatus(credential=credential, action=ManualAction.REVOKE, actor=site_admin, reason=" Why ")
    change.check()
    assert change.reason == "Why"
    credential.refresh_from_db()
    assert credential.status == Credential.Status.ACTIVE
    assert events(credential) == ["issued"]


@pytest.mark.parametrize("role", [StaffRole.COURSE_AUTHOR, StaffRole.TIER_MANAGER, StaffRole.MARKETER])
def test_only_people_granted_it_may_change_statuses(credential, make_staff, role):
    with pytest.raises(PermissionDenied):
        change_credential_status(
            credential=credential, action=ManualAction.REVOKE, actor=make_staff(role), reason="Because"
        )
    credential.refresh_from_db()
    assert credential.status == Credential.Status.ACTIVE


def test_a_partner_member_may_not_change_statuses(credential, partner_admin):
    with pytest.raises(PermissionDenied):
        change_credential_status(credential=credential, action=ManualAction.SUSPEND, actor=partner_admin, reason="x")


@pytest.mark.parametrize("reason", ["", "   ", None])
def test_a_reason_is_required(credential, site_admin, reason):
    with pytest.raises(CredentialStatusError, match="Give a reason"):
        change_credential_status(credential=credential, action=ManualAction.REVOKE, actor=site_admin, reason=reason)
    assert events(credential) == ["issued"]


def test_the_reason_is_at_most_500_characters(credential, site_admin):
    assert REASON_MAX == 500
    with pytest.raises(CredentialStatusError, match="too long"):
        change_credential_status(
            credential=credential, action=ManualAction.SUSPEND, actor=site_admin, reason="x" * (REASON_MAX + 1)
        )
    changed = change_credential_status(
        credential=credential, action=ManualAction.SUSPEND, actor=site_admin, reason="x" * REASON_MAX
    )
    assert len(changed.status_reason) == REASON_MAX
    assert len(changed.events.last().reason) == REASON_MAX


def test_the_too_long_message_names_the_real_limit(credential, site_admin, monkeypatch):
    monkeypatch.setattr(status_service, "REASON_MAX", 20)
    with pytest.raises(CredentialStatusError, match=r"at most 20 characters"):
        change_credential_status(credential=credential, action=ManualAction.SUSPEND, actor=site_admin, reason="x" * 21)
    with translation.override("fa"), pytest.raises(CredentialStatusError, match="۲۰"):
        change_credential_status(credential=credential, action=ManualAction.SUSPEND, actor=site_admin, reason="x" * 21)


# --- execute() -------------------------------------------------------------------------------


@pytest.mark.parametrize("status", STATUSES)
@pytest.mark.parametrize("action", list(ManualAction))
def test_every_status_and_action_pair_follows_the_table(credential, site_admin, status, action):
    credential = with_status(credential, status)
    if status in EXPECTED[action]:
        changed = change_credential_status(credential=credential, action=action, actor=site_admin, reason="Checked")
        assert changed.status == target_status(action, expired=False)
        event = changed.events.last()
        assert (event.from_status, event.to_status, event.actor) == (status, changed.status, site_admin)
    else:
        with pytest.raises(CredentialStatusError):
            change_credential_status(credential=credential, action=action, actor=site_admin, reason="Checked")
        credential.refresh_from_db()
        assert credential.status == status
        assert events(credential) == ["issued"]


def test_execute_checks_again_against_the_stored_status(credential, site_admin):
    """Someone else revoked it between the check and the write: suspending is refused."""
    change = ChangeCredentialStatus(credential=credential, action=ManualAction.SUSPEND, actor=site_admin, reason="x")
    change.check()
    Credential.objects.filter(pk=credential.pk).update(status=Credential.Status.REVOKED)
    with pytest.raises(CredentialStatusError):
        change.execute()
    credential.refresh_from_db()
    assert credential.status == Credential.Status.REVOKED
    assert events(credential) == ["issued"]


def test_the_change_and_its_audit_event_are_written_together(credential, site_admin):
    changed = change_credential_status(
        credential=credential, action=ManualAction.REVOKE, actor=site_admin, reason="Fraud"
    )
    stored = Credential.objects.get(pk=credential.pk)
    assert (stored.status, stored.status_reason) == ("revoked", "Fraud")
    assert stored.status_changed_at == changed.status_changed_at
    event = stored.events.get(action=CredentialEvent.Action.REVOKED)
    assert (event.at, event.reason) == (stored.status_changed_at, "Fraud")


def test_reinstating_past_the_expiry_date_makes_it_expired(learner, certification, site_admin):
    credential = builders.issue(learner, certification, issued_at=timezone.now() - timedelta(days=400))
    credential = with_status(credential, Credential.Status.SUSPENDED)
    changed = change_credential_status(
        credential=credential, action=ManualAction.REINSTATE, actor=site_admin, reason="Cleared"
    )
    assert changed.status == Credential.Status.EXPIRED


def test_reinstating_while_a_newer_live_credential_exists_is_refused(learner, certification, site_admin):
    old = with_status(builders.issue(learner, certification), Credential.Status.REVOKED)
    newer = builders.issue(learner, certification)
    with pytest.raises(CredentialStatusError, match="already holds a newer live credential"):
        change_credential_status(credential=old, action=ManualAction.REINSTATE, actor=site_admin, reason="Appeal")
    old.refresh_from_db()
    assert old.status == Credential.Status.REVOKED
    assert events(old) == ["issued"]
    newer.refresh_from_db()
    assert newer.status == Credential.Status.ACTIVE


def test_the_signal_is_sent_only_after_commit_and_the_holder_is_told(
    credential, learner, site_admin, django_capture_on_commit_callbacks
):
    sent = []

    def receiver(sender, **kwargs):
        sent.append(kwargs)

    signals.credential_suspended.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            change_credential_status(
                credential=credential, action=ManualAction.SUSPEND, actor=site_admin, reason="Review"
            )
        assert sent == []  # nothing before the commit
        for callback in callbacks:
            callback()
    finally:
        signals.credential_suspended.disconnect(receiver)

    [kwargs] = sent
    assert (kwargs["credential"].pk, kwargs["user"], kwargs["certification"]) == (
        credential.pk,
        learner,
        credential.certification,
    )
    notification = Notification.objects.get(user=learner, kind="credential_status")
    assert notification.message == f"Your credential “{credential.certification.name}” is now suspended."
    with translation.override("fa"):
        phrase = pgettext("credential status inside a sentence", "suspended")
    assert phrase in notification.message_fa
    [email] = mail.outbox
    assert email.to == [learner.email]
    assert email.subject == f"Your credential “{credential.certification.name}” is suspended"
    assert "changed to suspended." in email.body


@pytest.mark.parametrize("status", STATUSES)
def test_a_status_inside_a_sentence_is_its_own_phrase(credential, status):
    credential.status = status
    assert credential.status_in_sentence == str(Credential.Status(status).label).lower()
    with translation.override("fa"):
        assert credential.status_in_sentence == pgettext("credential status inside a sentence", status)
