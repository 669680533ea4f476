"""Manual status changes by authorized staff: revoke, suspend, reinstate.

Each action is split like Wagtail's actions: `check()` validates (permission, the
transition, a reason) without writing; `execute()` writes the change and its audit
event in one transaction and sends the signal after commit.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from certifications import signals
from certifications.models import Credential, CredentialEvent
from certifications.notifications import notify_status_changed
from certifications.permissions import can_change_credential_status
from certifications.transitions import TRANSITIONS, ManualAction, target_status
from lms import clock
from lms.accounts.models import User
from lms.i18n import local_digits

REASON_MAX = 500
SIGNALS = {
    ManualAction.REVOKE: signals.credential_revoked,
    ManualAction.SUSPEND: signals.credential_suspended,
    ManualAction.REINSTATE: signals.credential_reinstated,
}
EVENTS = {
    ManualAction.REVOKE: CredentialEvent.Action.REVOKED,
    ManualAction.SUSPEND: CredentialEvent.Action.SUSPENDED,
    ManualAction.REINSTATE: CredentialEvent.Action.REINSTATED,
}


class CredentialStatusError(ValueError):
    """A refused change, with a message for the person who asked."""


@dataclass
class ChangeCredentialStatus:
    credential: Credential
    action: ManualAction
    actor: User
    reason: str

    def check(self) -> None:
        if not can_change_credential_status(self.actor):
            raise PermissionDenied(_("You may not change the status of credentials."))
        self.reason = (self.reason or "").strip()
        if not self.reason:
            raise CredentialStatusError(_("Give a reason: it is recorded in the credential's history."))
        if len(self.reason) > REASON_MAX:
            raise CredentialStatusError(
                ngettext(
                    "The reason is too long (at most %(limit)s character).",
                    "The reason is too long (at most %(limit)s characters).",
                    REASON_MAX,
                )
                % {"limit": local_digits(REASON_MAX)}
            )
        sources, _target = TRANSITIONS[self.action]
        if self.credential.status not in sources:
            raise CredentialStatusError(_("This credential's status does not allow that change."))

    def execute(self) -> Credential:
        now = clock.now()
        with transaction.atomic():
            credential = Credential.objects.select_for_update().get(pk=self.credential.pk)
            self.credential = credential
            self.check()  # again, under the lock: the status may have changed meanwhile
            expired = credential.expires_at is not None and credential.expires_at <= now
            previous = credential.status
            credential.status = target_status(self.action, expired=expired)
            credential.status_changed_at = now
            credential.status_reason = self.reason
            try:
                with transaction.atomic():
                    credential.save(update_fields=["status", "status_changed_at", "status_reason"])
            except IntegrityError as error:
                raise CredentialStatusError(
                    _("The person already holds a newer live credential for this certification.")
                ) from error
            CredentialEvent.objects.create(
                credential=credential,
                action=EVENTS[self.action],
                actor=self.actor,
                reason=self.reason,
                from_status=previous,
                to_status=credential.status,
                at=now,
            )
        signal = SIGNALS[self.action]
        transaction.on_commit(
            lambda: signal.send(
                sender=Credential, credential=credential, user=credential.user, certification=credential.certification
            )
        )
        transaction.on_commit(lambda: notify_status_changed(credential=credential))
        return credential


def change_credential_status(*, credential: Credential, action: ManualAction, actor: User, reason: str) -> Credential:
    change = ChangeCredentialStatus(credential=credential, action=action, actor=actor, reason=reason)
    change.check()
    return change.execute()
