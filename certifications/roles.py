"""The staff permissions the certifications app needs, added to the project's staff roles.

Course authors define certifications; site admins do too, and they alone revoke,
suspend and reinstate credentials. Tier managers see credentials,
write tier rules, record business metrics, review gate evidence and decide tier changes;
site admins do all of that too.
"""

from __future__ import annotations

from dataclasses import replace

from lms.partners.roles import ROLE_GRANTS, StaffRole

DEFINING = tuple(f"certifications.{action}_certification" for action in ("add", "change", "view"))
VIEW_CREDENTIALS = ("certifications.view_credential",)
TIER_MANAGING = (
    "certifications.view_tierstanding",
    "certifications.manage_tiers",
    "certifications.view_tierchange",
    *(
        f"certifications.{action}_{model}"
        for model in ("tierruleset", "tierrulesetversion")
        for action in ("add", "change", "view")
    ),
    *(
        f"certifications.{action}_{model}"
        for model in ("businessmetric", "metricvalue")
        for action in ("add", "change", "delete", "view")
    ),
    "certifications.change_gateapproval",
    "certifications.view_gateapproval",
)
MANAGING = (
    "certifications.delete_certification",
    "certifications.change_credential",
    "certifications.revoke_credential",
    "certifications.change_issuersettings",
)


def grant_certification_permissions() -> None:
    for role, extra in (
        (StaffRole.COURSE_AUTHOR, DEFINING + VIEW_CREDENTIALS),
        (StaffRole.TIER_MANAGER, (*VIEW_CREDENTIALS, "certifications.view_certification", *TIER_MANAGING)),
        (StaffRole.SITE_ADMIN, DEFINING + VIEW_CREDENTIALS + MANAGING + TIER_MANAGING),
    ):
        grant = ROLE_GRANTS[role]
        missing = tuple(name for name in extra if name not in grant.permissions)
        ROLE_GRANTS[role] = replace(grant, permissions=grant.permissions + missing)
