"""What tier managers do by hand: approve or reject pending promotions, override a tier,
set a lock-in, and decide manual-gate evidence. Partner admins submit the evidence.

Every action checks permission, writes its audit record (who, when, from, to, why) in the
same transaction as the change, and re-evaluates where the facts changed.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from certifications.models import GateApproval, TierChange, TierStanding
from certifications.permissions import can_manage_tiers, can_view_tiers
from certifications.services.tiers import standing_of, today
from certifications.tiers import policy
from certifications.tiers.notifications import notify_tier_changes
from certifications.tiers.tasks import reevaluate_organizations
from lms import clock
from lms.accounts.models import User
from lms.i18n import local_digits
from lms.partners.models import Organization, Tier
from lms.partners.selectors import person_roles

REASON_MAX = 500


class TierActionError(ValueError):
    """A refused action, with a message for the person who asked."""


def _require_manager(actor: User) -> None:
    if not can_manage_tiers(actor):
        raise PermissionDenied(_("Only tier managers can change partner tiers."))


def _clean_reason(reason: str, *, required: bool = True) -> str:
    reason = (reason or "").strip()
    if required and not reason:
        raise TierActionError(_("Give a reason: it is recorded in the tier history."))
    if len(reason) > REASON_MAX:
        raise TierActionError(
            _("The reason is too long (at most %(limit)s characters).") % {"limit": local_digits(REASON_MAX)}
        )
    return reason


def _record(
    organization: Organization,
    kind: str,
    from_tier: str,
    to_tier: str,
    actor: User,
    reason: str,
    standing: TierStanding | None,
    effective_on: date | None = None,
) -> TierChange:
    return TierChange.objects.create(
        organization=organization,
        kind=kind,
        from_tier=from_tier,
        to_tier=to_tier,
        effective_on=effective_on or today(),
        actor=actor,
        reason=reason,
        version=standing.version if standing else None,
        snapshot=standing.evaluation if standing else {},
        created_at=clock.now(),
    )


@dataclass(frozen=True)
class BulkResult:
    done: tuple[str, ...]  # organization slugs
    skipped: tuple[str, ...]  # nothing pending any more


def decide_promotions(*, organization_ids: Collection[int], approve: bool, actor: User, reason: str = "") -> BulkResult:
    """Approve or reject the pending promotions of the organizations, in one transaction."""
    _require_manager(actor)
    reason = _clean_reason(reason, required=not approve)
    done: list[str] = []
    skipped: list[str] = []
    change_ids: list[int] = []
    with transaction.atomic():
        standings = (
            TierStanding.objects.select_for_update(of=("self",))
            .select_related("organization", "version")
            .filter(pk__in=list(organization_ids))
            .order_by("pk")
        )
        for stored in standings:
            organization = stored.organization
            if not stored.pending:
                skipped.append(organization.slug)
                continue
            standing = standing_of(organization, stored)
            if approve:
                decision = policy.approve(standing, today())
                organization.tier = decision.standing.current
                organization.save(update_fields=["tier"])
                change = _record(
                    organization, TierChange.Kind.PROMOTED, standing.current, standing.pending, actor, reason, stored
                )
                stored.pending, stored.rejected = "", ""
            else:
                change = _record(
                    organization,
                    TierChange.Kind.PROMOTION_REJECTED,
                    standing.current,
                    standing.pending,
                    actor,
                    reason,
                    stored,
                )
                rejected = policy.reject(standing)
                stored.rejected, stored.pending = rejected.rejected or "", rejected.pending or ""
            stored.updated_at = clock.now()
            stored.save(update_fields=["pending", "rejected", "updated_at"])
            change_ids.append(change.pk)
            done.append(organization.slug)
        transaction.on_commit(lambda: notify_tier_changes(change_ids=change_ids))
    return BulkResult(tuple(done), tuple(skipped))


def _standing_for_update(organization: Organization) -> TierStanding:
    """The standing, locked; the organization's row is locked first, as evaluations do."""
    list(Organization.objects.select_for_update().filter(pk=organization.pk).values_list("pk", flat=True))
    TierStanding.objects.get_or_create(organization=organization)
    return TierStanding.objects.select_for_update(of=("self",)).select_related("version").get(pk=organization.pk)


def set_override(*, organization: Organization, tier: str, until: date | None, reason: str, actor: User) -> TierChange:
    """Fix the organization's tier until `until` (or until cleared), whatever the rules say."""
    _require_manager(actor)
    reason = _clean_reason(reason)
    if tier not in Tier.values:
        raise TierActionError(_("Choose one of the tiers."))
    if until is not None and until <= today():
        raise TierActionError(_("The override must end after today."))
    with transaction.atomic():
        stored = _standing_for_update(organization)
        previous = organization.tier
        stored.override, stored.override_until, stored.override_reason = tier, until, reason
        stored.pending, stored.at_risk_since, stored.demote_on = "", None, None
        stored.updated_at = clock.now()
        stored.save()
        organization.tier = tier
        organization.save(update_fields=["tier"])
        return _record(organization, TierChange.Kind.OVERRIDE_SET, previous, tier, actor, reason, stored)


def clear_override(*, organization: Organization, reason: str, actor: User) -> TierChange:
    """End an override now; the rules take over from the overriding tier at once."""
    _require_manager(actor)
    reason = _clean_reason(reason)
    with transaction.atomic():
        stored = _standing_for_update(organization)
        if not stored.override:
            raise TierActionError(_("This organization's tier is not overridden."))
        tier = stored.override
        stored.override, stored.override_until, stored.override_reason = "", None, ""
        stored.updated_at = clock.now()
        stored.save()
        change = _record(organization, TierChange.Kind.OVERRIDE_ENDED, tier, organization.tier, actor, reason, stored)
    reevaluate_organizations.enqueue(organization_ids=[organization.pk])
    return change


def set_lock_in(*, organization: Organization, until: date | None, reason: str, actor: User) -> TierChange:
    """No demotion before `until` (None removes the lock-in)."""
    _require_manager(actor)
    reason = _clean_reason(reason)
    if until is not None and until <= today():
        raise TierActionError(_("The lock-in must end after today."))
    with transaction.atomic():
        stored = _standing_for_update(organization)
        stored.lock_in_until = until
        stored.updated_at = clock.now()
        stored.save(update_fields=["lock_in_until", "updated_at"])
        change = _record(
            organization,
            TierChange.Kind.LOCK_IN_SET,
            organization.tier,
            organization.tier,
            actor,
            reason,
            stored,
            effective_on=until,
        )
    reevaluate_organizations.enqueue(organization_ids=[organization.pk])
    return change


def submit_gate_evidence(
    *, organization: Organization, gate: str, evidence: UploadedFile, note: str, actor: User
) -> GateApproval:
    """A partner admin (or a tier manager) files evidence for a manual gate; the upload has
    been checked by the form (type by content, size before reading). One file at a time
    waits for review per gate: a second is refused until the first is decided."""
    if not may_send_evidence(actor, organization):
        raise PermissionDenied(_("Only the organization's partner admins and tier managers can send evidence."))
    with transaction.atomic():
        list(Organization.objects.select_for_update().filter(pk=organization.pk).values_list("pk", flat=True))
        if GateApproval.objects.filter(
            organization=organization, gate=gate, status=GateApproval.Status.PENDING
        ).exists():
            raise TierActionError(_("Evidence for this requirement is already waiting for review."))
        return _file_evidence(organization=organization, gate=gate, evidence=evidence, note=note, actor=actor)


def may_send_evidence(user: User, organization: Organization) -> bool:
    roles = person_roles(user)
    if can_view_tiers(user) or roles.is_site_admin:
        return True
    return roles.is_partner_admin and roles.organization is not None and roles.organization.pk == organization.pk


def _file_evidence(
    *, organization: Organization, gate: str, evidence: UploadedFile, note: str, actor: User
) -> GateApproval:
    return GateApproval.objects.create(
        organization=organization,
        gate=gate,
        evidence=evidence,
        note=(note or "").strip()[:REASON_MAX],
        submitted_by=actor,
        submitted_at=clock.now(),
    )


def decide_gate(
    *, approval: GateApproval, approve: bool, expires_on: date | None, reason: str, actor: User
) -> GateApproval:
    _require_manager(actor)
    reason = _clean_reason(reason, required=not approve)
    if approve and expires_on is not None and expires_on <= today():
        raise TierActionError(_("The approval must expire after today."))
    with transaction.atomic():
        approval = GateApproval.objects.select_for_update().select_related("organization").get(pk=approval.pk)
        if approval.status != GateApproval.Status.PENDING:
            raise TierActionError(_("This evidence has already been decided."))
        approval.status = GateApproval.Status.APPROVED if approve else GateApproval.Status.REJECTED
        approval.decided_by, approval.decided_at = actor, clock.now()
        approval.decision_note, approval.expires_on = reason, expires_on if approve else None
        approval.save()
        organization = approval.organization
        stored = TierStanding.objects.filter(pk=organization.pk).first()
        kind = TierChange.Kind.GATE_APPROVED if approve else TierChange.Kind.GATE_REJECTED
        _record(organization, kind, organization.tier, organization.tier, actor, reason or approval.gate, stored)
    if approve:
        reevaluate_organizations.enqueue(organization_ids=[approval.organization_id])
    return approval
