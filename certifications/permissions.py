"""Access checks for certifications. Checks that guard a page return the object or raise."""

from __future__ import annotations

from lms.accounts.models import User
from lms.partners.roles import StaffRole
from lms.partners.selectors import PersonRoles

REVOKE_PERMISSION = "certifications.revoke_credential"


def can_change_credential_status(user: User) -> bool:
    """Revoking, suspending and reinstating is for staff granted it (site admins)."""
    return bool(user and user.is_authenticated and user.has_perm(REVOKE_PERMISSION))


VIEW_TIERS_PERMISSION = "certifications.view_tierstanding"
MANAGE_TIERS_PERMISSION = "certifications.manage_tiers"


def can_view_tiers(user: User) -> bool:
    """The tier dashboards are for tier managers and site admins."""
    return bool(user and user.is_authenticated and user.has_perm(VIEW_TIERS_PERMISSION))


def can_manage_tiers(user: User) -> bool:
    """Approving, rejecting and overriding tiers, and deciding gate evidence."""
    return bool(user and user.is_authenticated and user.has_perm(MANAGE_TIERS_PERMISSION))


def can_view_tiers_roles(roles: PersonRoles) -> bool:
    """The same rule as `can_view_tiers`, from the roles the navigation already has."""
    return roles.has(StaffRole.TIER_MANAGER) or roles.is_site_admin
