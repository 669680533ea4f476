"""Who may manage which organization. Each check raises instead of returning False."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from lms.partners.models import Invitation, Membership, Organization, Tier
from lms.partners.selectors import person_roles

TIER_ORDER: tuple[str, ...] = tuple(Tier.values)  # lowest first


def tier_at_least(tier: str | None, minimum_tier: str) -> bool:
    """Whether `tier` is `minimum_tier` or above; an empty minimum admits everyone."""
    if not minimum_tier:
        return True
    if tier not in TIER_ORDER or minimum_tier not in TIER_ORDER:
        return False
    return TIER_ORDER.index(tier) >= TIER_ORDER.index(minimum_tier)


def may_see_tier_content(user, minimum_tier: str) -> bool:
    """May `user` see content restricted to tier ≥ `minimum_tier`?

    The one tier gate every app uses. Vendor staff see everything, to author and review
    it; a partner person sees it when their organization's current tier (which includes a
    manual override) reaches the minimum; anonymous visitors and people outside any
    organization see only content without a minimum.
    """
    roles = person_roles(user)
    if roles.superuser or roles.staff_roles:
        return True
    tier = roles.organization.tier if roles.organization is not None else None
    return tier_at_least(tier, minimum_tier)


def access_managed_organization(user, *, slug: str) -> Organization:
    """The organization at `slug`, if `user` may manage its people.

    Site admins manage every organization; a partner admin manages only their own.
    Anyone else gets a 404 for organizations that are not theirs, so that slugs of
    other partners cannot be probed.
    """
    roles = person_roles(user)
    if roles.is_site_admin:
        organization = Organization.objects.filter(slug=slug).first()
        if organization is None:
            raise Http404(_("No such organization."))
        return organization
    if roles.organization is not None and roles.organization.slug == slug:
        if not roles.is_partner_admin:
            raise PermissionDenied(_("Only partner admins can manage their organization's team."))
        return roles.organization
    raise Http404(_("No such organization."))


def access_invitation(organization: Organization, *, pk: int) -> Invitation:
    invitation = organization.invitations.filter(pk=pk).first()
    if invitation is None:
        raise Http404(_("No such invitation."))
    return invitation


def access_member(organization: Organization, *, pk: int) -> Membership:
    membership = organization.memberships.select_related("user").filter(pk=pk).first()
    if membership is None:
        raise Http404(_("No such member."))
    return membership
