"""Who may manage which organization. Each check raises instead of returning False."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from lms.partners.models import Invitation, Membership, Organization
from lms.partners.selectors import person_roles


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
