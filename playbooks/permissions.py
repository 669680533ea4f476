"""Who may read which playbook. The check raises instead of returning False.

A playbook's audience is judged as a course's is (`courses.audience.access_for`); the
catalog's query applies the same rules through `may_see_tier_content`, the one tier gate
every app uses.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from courses.audience import Access, Audience, access_for
from courses.permissions import reader_for
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
    audience = Audience(minimum_tier=playbook.minimum_tier, organization_ids=audience_organization_ids(playbook))
    return access_for(audience, reader_for(user), TIER_ORDER)


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
