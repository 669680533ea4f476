"""Writes about organizations, memberships and invitations.

Functions that write more than one row do so in one transaction; emails go out
only after it commits.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lms.accounts.models import User, username_for
from lms.accounts.services import set_preferred_language
from lms.partners.models import Invitation, Membership, Organization
from lms.partners.roles import StaffRole
from lms.partners.tasks import send_invitation_email
from lms.partners.tokens import hash_token, new_token


class InvitationError(Exception):
    """An invitation that cannot be used; `message` is shown to the person."""

    def __init__(self, code: str, message) -> None:
        super().__init__(code)
        self.code = code
        self.message = message


INVITATION_ERRORS = {
    "invalid": _("This invitation link is not valid. Check that you copied the whole link from the email."),
    "expired": _("This invitation has expired. Ask your partner admin to send a new one."),
    "accepted": _("This invitation has already been used. Sign in with the account it created."),
    "revoked": _("This invitation was withdrawn by your partner admin."),
    "suspended": _("This organization is suspended, so it cannot accept new members right now."),
    "account_exists": _("An account with this email already exists. Sign in first, then open the link again."),
    "wrong_account": _("This invitation was sent to a different email address from the one you are signed in with."),
    "has_organization": _("Your account already belongs to a partner organization."),
    "busy": _("Someone else was inviting the same people at the same moment. Please try again."),
    "vendor_staff": _("Vendor staff accounts cannot join a partner organization. Use a separate partner account."),
}


@dataclass
class InviteOutcome:
    invited: list[str] = field(default_factory=list)
    reinvited: list[str] = field(default_factory=list)
    already_members: list[str] = field(default_factory=list)
    already_invited: list[str] = field(default_factory=list)


def create_organization(
    *, name: str, slug: str, country: str, name_fa: str = "", website: str = "", tier: str = "registered"
) -> Organization:
    return Organization.objects.create(
        name=name, name_fa=name_fa, slug=slug, country=country.upper(), website=website, tier=tier
    )


def add_member(*, organization: Organization, user: User, role: str = Membership.Role.LEARNER) -> Membership:
    membership = Membership(organization=organization, user=user, role=role)
    membership.full_clean(exclude=["organization", "user"])
    membership.save()
    return membership


class TeamChangeError(Exception):
    """A team change that would leave the organization without a partner admin."""


def remove_member(*, membership: Membership) -> None:
    """The person leaves the organization; their account stays."""
    with transaction.atomic():
        _keep_an_admin(membership, new_role=None)
        membership.delete()


def change_member_role(*, membership: Membership, role: str) -> Membership:
    with transaction.atomic():
        _keep_an_admin(membership, new_role=role)
        membership.role = role
        membership.save(update_fields=["role"])
    return membership


def _keep_an_admin(membership: Membership, *, new_role: str | None) -> None:
    """Lock the organization's admins and refuse to remove or demote the last one."""
    if membership.role != Membership.Role.ADMIN or new_role == Membership.Role.ADMIN:
        return
    admins = list(
        Membership.objects.select_for_update()
        .filter(organization_id=membership.organization_id, role=Membership.Role.ADMIN)
        .values_list("pk", flat=True)
    )
    if admins == [membership.pk]:
        raise TeamChangeError(_("An organization needs at least one partner admin. Make someone else admin first."))


def set_organization_status(*, organization: Organization, status: str) -> Organization:
    organization.status = status
    organization.save(update_fields=["status"])
    return organization


def invite_people(
    *, organization: Organization, emails: list[str], role: str, invited_by: User | None, language: str = "en"
) -> InviteOutcome:
    """Invite every address in `emails` (already validated and lower-cased).

    Members of this organization and people with a pending invitation are skipped;
    an expired invitation is renewed. All or nothing: on any error nothing is saved
    and no email is sent.
    """
    try:
        return _invite_people(
            organization=organization, emails=emails, role=role, invited_by=invited_by, language=language
        )
    except IntegrityError as error:  # someone invited one of them at the same moment
        raise InvitationError("busy", INVITATION_ERRORS["busy"]) from error


def _invite_people(
    *, organization: Organization, emails: list[str], role: str, invited_by: User | None, language: str
) -> InviteOutcome:
    outcome = InviteOutcome()
    now = timezone.now()
    to_send: list[int] = []
    with transaction.atomic():
        members = set(organization.memberships.filter(user__email__in=emails).values_list("user__email", flat=True))
        open_invitations = {
            invitation.email.lower(): invitation
            for invitation in organization.invitations.select_for_update().filter(
                email__in=emails, accepted_at__isnull=True, revoked_at__isnull=True
            )
        }
        for email in emails:
            if email in members:
                outcome.already_members.append(email)
                continue
            existing = open_invitations.get(email)
            if existing is not None and existing.expires_at > now:
                outcome.already_invited.append(email)
                continue
            if existing is not None:
                _renew(existing, now=now, role=role, language=language)
                outcome.reinvited.append(email)
                invitation = existing
            else:
                invitation = Invitation.objects.create(
                    organization=organization,
                    email=email,
                    role=role,
                    language=language,
                    token_hash=_unusable_token_hash(),
                    invited_by=invited_by,
                    created_at=now,
                    sent_at=now,
                    expires_at=now + _validity(),
                )
                outcome.invited.append(email)
            to_send.append(invitation.pk)
        transaction.on_commit(lambda: _send_all(to_send))
    return outcome


def resend_invitation(*, invitation: Invitation) -> Invitation:
    """Send the invitation again with a fresh link; the old link stops working at once."""
    with transaction.atomic():
        invitation = _lock(invitation)
        _renew(invitation, now=timezone.now())
        transaction.on_commit(lambda: _send_all([invitation.pk]))
    return invitation


def revoke_invitation(*, invitation: Invitation) -> Invitation:
    with transaction.atomic():
        invitation = _lock(invitation)
        invitation.revoked_at = timezone.now()
        invitation.save(update_fields=["revoked_at"])
    return invitation


def _lock(invitation: Invitation) -> Invitation:
    """The invitation, locked and re-read; an accepted or revoked one is refused."""
    locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if not locked.is_open:
        raise InvitationError(locked.state, INVITATION_ERRORS[locked.state])
    return locked


def check_invitation(token: str) -> Invitation:
    """The usable invitation behind `token`, or InvitationError saying why not."""
    invitation = Invitation.objects.select_related("organization").filter(token_hash=hash_token(token)).first()
    _raise_unless_usable(invitation)
    return invitation


def accept_invitation(*, token: str, first_name: str, last_name: str, password: str) -> User:
    """Create the invited person's account and membership together, or neither."""
    try:
        with transaction.atomic():
            invitation = _lock_usable_invitation(token)
            if User.objects.filter(email=invitation.email).exists():
                raise InvitationError("account_exists", INVITATION_ERRORS["account_exists"])
            user = User.objects.create_user(
                username=username_for(invitation.email),
                email=invitation.email,
                password=password,
                first_name=first_name,
                last_name=last_name,
                preferred_language=invitation.language,
            )
            set_preferred_language(user=user, language=invitation.language)
            _join(invitation, user)
    except IntegrityError as error:
        raise InvitationError("accepted", INVITATION_ERRORS["accepted"]) from error
    return user


def accept_invitation_as(*, token: str, user: User) -> Membership:
    """An existing, signed-in person without an organization accepts an invitation."""
    try:
        with transaction.atomic():
            invitation = _lock_usable_invitation(token)
            if invitation.email != user.email:
                raise InvitationError("wrong_account", INVITATION_ERRORS["wrong_account"])
            if Membership.objects.filter(user=user).exists():
                raise InvitationError("has_organization", INVITATION_ERRORS["has_organization"])
            if user.is_staff or user.is_superuser or user.groups.exists():
                raise InvitationError("vendor_staff", INVITATION_ERRORS["vendor_staff"])
            membership = _join(invitation, user)
    except IntegrityError as error:
        raise InvitationError("has_organization", INVITATION_ERRORS["has_organization"]) from error
    return membership


def _lock_usable_invitation(token: str) -> Invitation:
    invitation = (
        Invitation.objects.select_for_update()
        .select_related("organization")
        .filter(token_hash=hash_token(token))
        .first()
    )
    _raise_unless_usable(invitation)
    return invitation


def _raise_unless_usable(invitation: Invitation | None) -> None:
    if invitation is None:
        raise InvitationError("invalid", INVITATION_ERRORS["invalid"])
    state = invitation.state
    if state != Invitation.State.PENDING:
        raise InvitationError(state, INVITATION_ERRORS[state])
    if invitation.organization.is_suspended:
        raise InvitationError("suspended", INVITATION_ERRORS["suspended"])


def _join(invitation: Invitation, user: User) -> Membership:
    membership = add_member(organization=invitation.organization, user=user, role=invitation.role)
    invitation.accepted_at = timezone.now()
    invitation.accepted_by = user
    invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


def _renew(invitation: Invitation, *, now, role: str | None = None, language: str | None = None) -> None:
    invitation.token_hash = _unusable_token_hash()  # the old link dies now; the email task mints the new one
    invitation.sent_at = now
    invitation.expires_at = now + _validity()
    invitation.send_count += 1
    invitation.role = role or invitation.role
    invitation.language = language or invitation.language
    invitation.save(update_fields=["token_hash", "sent_at", "expires_at", "send_count", "role", "language"])


def _validity() -> timedelta:
    return timedelta(days=settings.INVITATION_VALID_DAYS)


def _unusable_token_hash() -> str:
    """The hash of a token nobody holds, until the email task mints the one it sends."""
    return hash_token(new_token())


def _send_all(invitation_ids: list[int]) -> None:
    for invitation_id in invitation_ids:
        send_invitation_email.enqueue(invitation_id=invitation_id)


def assign_staff_role(*, user: User, role: StaffRole) -> None:
    """Vendor staff only: partner members hold partner roles on their membership."""
    if Membership.objects.filter(user=user).exists():
        raise ValueError("Members of partner organizations cannot hold vendor staff roles.")
    user.groups.add(Group.objects.get(name=role.value))
    if not user.is_staff:
        user.is_staff = True
        user.save(update_fields=["is_staff"])
