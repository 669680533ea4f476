"""Who may read which playbook. The check raises instead of returning False.

Tier gating goes through `lms.partners.permissions.may_see_tier_content`, the one tier
gate every app uses; the organization list works as it does for courses.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from courses.audience import Access
from lms.partners.permissions import TIER_ORDER, may_see_tier_content
from lms.partners.selectors import person_roles
from playbooks.models import PlaybookPage


def is_staff_reader(user) -> bool:
    roles = person_roles(user)
    return roles.superuser or bool(roles.staff_roles)


def reader_organization_id(user) -> int | None:
    organization = person_roles(user).organization
    return organization.pk if organization is not None else None


def visible_tiers(user) -> list[str]:
    """The `minimum_tier` values whose playbooks `user` may read ("" is no minimum)."""
    return [tier for tier in ("", *TIER_ORDER) if may_see_tier_content(user, tier)]


def audience_organization_ids(playbook: PlaybookPage) -> frozenset[int]:
    """Read once per page object (serving a page may ask several times)."""
    ids = playbook.__dict__.get("_audience_organization_ids")
    if ids is None:
        ids = frozenset(organization.pk for organization in playbook.audience_organizations.all())
        playbook.__dict__["_audience_organization_ids"] = ids
    return ids


def playbook_access(user, playbook: PlaybookPage) -> Access:
    if is_staff_reader(user):
        return Access.OPEN
    organizations = audience_organization_ids(playbook)
    if organizations and reader_organization_id(user) not in organizations:
        return Access.HIDDEN
    if not may_see_tier_content(user, playbook.minimum_tier):
        return Access.TIER_LOCKED
    return Access.OPEN


def locked_message(playbook: PlaybookPage) -> str:
    return _("This playbook is available to partners from the %(tier)s tier.") % {
        "tier": playbook.get_minimum_tier_display()
    }


def access_playbook(user, playbook: PlaybookPage) -> None:
    """Raise unless `user` may read `playbook`. Other organizations' playbooks are a 404."""
    access = playbook_access(user, playbook)
    if access == Access.HIDDEN:
        raise Http404(_("No such playbook."))
    if access == Access.TIER_LOCKED:
        raise PermissionDenied(locked_message(playbook))
