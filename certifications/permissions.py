"""Access checks for certifications. Checks that guard a page return the object or raise."""

from __future__ import annotations

from lms.accounts.models import User

REVOKE_PERMISSION = "certifications.revoke_credential"


def can_change_credential_status(user: User) -> bool:
    """Revoking, suspending and reinstating is for staff granted it (site admins)."""
    return bool(user and user.is_authenticated and user.has_perm(REVOKE_PERMISSION))
