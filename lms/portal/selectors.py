"""What the dashboard shows a person. Later apps add their sections here."""

from __future__ import annotations

from dataclasses import dataclass

from lms.partners.models import Membership, Organization
from lms.partners.selectors import pending_invitations, person_roles


@dataclass(frozen=True)
class Dashboard:
    organization: Organization | None
    membership: Membership | None
    team_size: int | None
    pending_invitations: int | None


def dashboard_for(user) -> Dashboard:
    roles = person_roles(user)
    organization = roles.organization
    team_size = pending = None
    if roles.is_partner_admin:
        team_size = organization.memberships.count()
        pending = pending_invitations(organization=organization).count()
    return Dashboard(
        organization=organization, membership=roles.membership, team_size=team_size, pending_invitations=pending
    )
