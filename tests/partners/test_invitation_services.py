"""Inviting people, and accepting, resending and revoking invitations."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from lms.accounts.models import User
from lms.partners import services
from lms.partners.models import Invitation, Membership, Organization

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-unusual-passphrase-77"


def invite(organization, email="new@partner.example", role=Membership.Role.LEARNER, capture=None, **kwargs):
    with capture(execute=True):
        return services.invite_people(organization=organization, emails=[email], role=role, invited_by=None, **kwargs)


def token_from_last_email() -> str:
    match = re.search(r"/accounts/invite/([\w-]+)/", mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


def test_inviting_someone_creates_a_pending_invitation_and_emails_a_link(organization, capture):
    outcome = invite(organization, capture=capture)
    assert outcome.invited == ["new@partner.example"]
    invitation = Invitation.objects.get()
    assert invitation.state == Invitation.State.PENDING
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["new@partner.example"]
    assert organization.name in mail.outbox[0].subject


def test_only_a_hash_of_the_token_is_stored(organization, capture):
    invite(organization, capture=capture)
    token = token_from_last_email()
    invitation = Invitation.objects.get()
    assert token not in invitation.token_hash
    assert len(token) >= 43  # 256 bits, URL-safe


def test_invitation_email_is_written_in_the_inviters_language(organization, capture):
    invite(organization, capture=capture, language="fa")
    assert "/fa/accounts/invite/" in mail.outbox[0].body
    assert mail.outbox[0].alternatives[0].content.count('dir="rtl"') == 1


def test_accepting_creates_the_account_and_membership_together(organization, capture):
    invite(organization, role=Membership.Role.ADMIN, capture=capture)
    user = services.accept_invitation(
        token=token_from_last_email(), first_name="Sara", last_name="A", password=PASSWORD
    )
    assert user.email == "new@partner.example"
    assert user.check_password(PASSWORD)
    assert user.membership.organization == organization
    assert user.membership.role == Membership.Role.ADMIN
    assert Invitation.objects.get().state == Invitation.State.ACCEPTED


def test_a_link_works_only_once(organization, capture):
    invite(organization, capture=capture)
    token = token_from_last_email()
    services.accept_invitation(token=token, first_name="A", last_name="B", password=PASSWORD)
    with pytest.raises(services.InvitationError) as error:
        services.accept_invitation(token=token, first_name="C", last_name="D", password=PASSWORD)
    assert error.value.code == "accepted"
    assert User.objects.count() == 1


def test_an_expired_link_creates_nothing(organization, capture):
    invite(organization, capture=capture)
    Invitation.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    with pytest.raises(services.InvitationError) as error:
        services.accept_invitation(token=token_from_last_email(), first_name="A", last_name="B", password=PASSWORD)
    assert error.value.code == "expired"
    assert not User.objects.exists()


def test_a_tampered_link_creates_nothing(organization, capture):
    invite(organization, capture=capture)
    token = token_from_last_email()
    tampered = token[:-2] + ("AA" if token[-2:] != "AA" else "BB")
    with pytest.raises(services.InvitationError) as error:
        services.accept_invitation(token=tampered, first_name="A", last_name="B", password=PASSWORD)
    assert error.value.code == "invalid"
    assert not User.objects.exists()


def test_a_revoked_invitation_cannot_be_accepted(organization, capture):
    invite(organization, capture=capture)
    services.revoke_invitation(invitation=Invitation.objects.get())
    with pytest.raises(services.InvitationError) as error:
        services.check_invitation(token_from_last_email())
    assert error.value.code == "revoked"


def test_resending_replaces_the_link_so_the_old_one_stops_working(organization, capture):
    invite(organization, capture=capture)
    old_token = token_from_last_email()
    with capture(execute=True):
        services.resend_invitation(invitation=Invitation.objects.get())
    new_token = token_from_last_email()
    assert new_token != old_token
    assert Invitation.objects.get().send_count == 2
    with pytest.raises(services.InvitationError):
        services.check_invitation(old_token)
    assert services.check_invitation(new_token).email == "new@partner.example"


def test_a_suspended_organization_accepts_no_one(organization, capture):
    invite(organization, capture=capture)
    services.set_organization_status(organization=organization, status=Organization.Status.SUSPENDED)
    with pytest.raises(services.InvitationError) as error:
        services.accept_invitation(token=token_from_last_email(), first_name="A", last_name="B", password=PASSWORD)
    assert error.value.code == "suspended"
    assert not User.objects.exists()


def test_someone_with_an_account_must_sign_in_instead_and_nothing_is_written(organization, capture):
    User.objects.create_user(username="new@partner.example", email="new@partner.example", password=PASSWORD)
    invite(organization, capture=capture)
    with pytest.raises(services.InvitationError) as error:
        services.accept_invitation(token=token_from_last_email(), first_name="A", last_name="B", password=PASSWORD)
    assert error.value.code == "account_exists"
    assert not Membership.objects.exists()
    assert Invitation.objects.get().state == Invitation.State.PENDING


def test_a_signed_in_person_without_organization_joins_with_their_account(organization, capture):
    user = User.objects.create_user(username="new@partner.example", email="new@partner.example", password=PASSWORD)
    invite(organization, capture=capture)
    membership = services.accept_invitation_as(token=token_from_last_email(), user=user)
    assert membership.organization == organization


def test_an_invitation_is_bound_to_its_email(organization, capture):
    someone_else = User.objects.create_user(username="x@y.example", email="x@y.example", password=PASSWORD)
    invite(organization, capture=capture)
    with pytest.raises(services.InvitationError) as error:
        services.accept_invitation_as(token=token_from_last_email(), user=someone_else)
    assert error.value.code == "wrong_account"
    assert not Membership.objects.exists()


def test_a_person_can_belong_to_only_one_organization(organization, other_organization, learner, capture):
    with capture(execute=True):
        services.invite_people(
            organization=other_organization, emails=[learner.email], role=Membership.Role.LEARNER, invited_by=None
        )
    with pytest.raises(services.InvitationError) as error:
        services.accept_invitation_as(token=token_from_last_email(), user=learner)
    assert error.value.code == "has_organization"
    assert learner.membership.organization == organization


def test_members_and_pending_invitees_are_skipped_and_expired_ones_renewed(organization, learner, capture):
    invite(organization, email="pending@x.example", capture=capture)
    invite(organization, email="expired@x.example", capture=capture)
    Invitation.objects.filter(email="expired@x.example").update(expires_at=timezone.now() - timedelta(days=1))
    mail.outbox.clear()
    with capture(execute=True):
        outcome = services.invite_people(
            organization=organization,
            emails=[learner.email, "pending@x.example", "expired@x.example", "fresh@x.example"],
            role=Membership.Role.LEARNER,
            invited_by=None,
        )
    assert outcome.already_members == [learner.email]
    assert outcome.already_invited == ["pending@x.example"]
    assert outcome.reinvited == ["expired@x.example"]
    assert outcome.invited == ["fresh@x.example"]
    assert sorted(message.to[0] for message in mail.outbox) == ["expired@x.example", "fresh@x.example"]
    assert Invitation.objects.filter(email="expired@x.example").get().state == Invitation.State.PENDING


def test_no_email_goes_out_when_the_batch_fails(organization, capture, monkeypatch):
    def explode(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(Invitation.objects, "create", explode)
    with pytest.raises(RuntimeError), capture(execute=True):
        services.invite_people(organization=organization, emails=["a@x.example"], role="learner", invited_by=None)
    assert mail.outbox == []
