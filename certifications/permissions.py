"""Access checks for certifications. Checks that guard a page return the object or raise."""

from __future__ import annotations

from lms.accounts.models import User
from lms.partners.roles import StaffRole
from lms.partners.selectors import PersonRoles, person_roles

REVOKE_PERMISSION = "certifications.revoke_credential"


def can_change_credential_status(user: User) -> bool:
    """Revoking, suspending and reinstating is for staff granted it (site admins)."""
    return bool(user and user.is_authenticated and user.has_perm(REVOKE_PERMISSION))


VIEW_TIERS_PERMISSION = "certifications.view_tierstanding"
MANAGE_TIERS_PERMISSION = "certifications.manage_tiers"


def _vendor_staff_with(user: User, permission: str) -> bool:
    """Partner members never see other partners' tiers, whatever groups they were given."""
    if not (user and user.is_authenticated):
        return False
    return not person_roles(user).is_partner and user.has_perm(permission)


def can_view_tiers(user: User) -> bool:
    """The tier dashboards are for tier managers and site admins."""
    return _vendor_staff_with(user, VIEW_TIERS_PERMISSION)


def can_manage_tiers(user: User) -> bool:
    """Approving, rejecting and overriding tiers, and deciding gate evidence."""
    return _vendor_staff_with(user, MANAGE_TIERS_PERMISSION)


def can_view_tiers_roles(roles: PersonRoles) -> bool:
    """The same rule as `can_view_tiers`, from the roles the navigation already has."""
    return roles.has(StaffRole.TIER_MANAGER) or roles.is_site_admin
