"""The playbooks section of a partner's team page: who has acknowledged which playbook."""

from __future__ import annotations

from django.http import HttpRequest

from lms.partners.selectors import person_roles
from playbooks.coverage import team_coverage


def may_see_team_coverage(user, organization) -> bool:
    """The organization's partner admins and site admins (who manage every organization);
    the team page checks the same, this keeps the section safe wherever it is shown."""
    roles = person_roles(user)
    if roles.is_site_admin:
        return True
    return roles.is_partner_admin and roles.organization.pk == organization.pk


def team_section(request: HttpRequest, organization) -> dict:
    if not may_see_team_coverage(request.user, organization):
        return {"visible": False}
    return {"visible": True, "organization": organization, "playbooks": team_coverage(organization)}
