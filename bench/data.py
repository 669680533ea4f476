"""The data the scenarios need, created through the app's own services."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.utils import translation

from bench.views import REFERENCE, MembershipData, OrganizationData, PageData
from lms.accounts.models import User
from lms.accounts.services import create_person
from lms.partners import services as partner_services
from lms.partners.models import Membership
from lms.portal.models import HomePage
from lms.portal.selectors import Dashboard, dashboard_for

DOMAIN = "bench-partner.example"
# Enough people that the team count is not trivially one, few enough to seed quickly.
EXTRA_LEARNERS = 8


@dataclass(frozen=True)
class People:
    partner_admin: User
    learner: User


def seed() -> People:
    organization = partner_services.create_organization(
        name="Bench Partner Systems", name_fa="سامانه‌های شریک", slug="bench-partner", country="IR", tier="gold"
    )
    admin = _person("admin", "Reza", "Karimi")
    partner_services.add_member(organization=organization, user=admin, role=Membership.Role.ADMIN)
    learner = _person("learner", "Sara", "Ahmadi")
    partner_services.add_member(organization=organization, user=learner, role=Membership.Role.LEARNER)
    for number in range(EXTRA_LEARNERS):
        partner_services.add_member(organization=organization, user=_person(f"learner{number}", "", ""))
    # A pending invitation, so the dashboard shows its invitation line too.
    partner_services.invite_people(
        organization=organization, emails=[f"new-hire@{DOMAIN}"], role=Membership.Role.LEARNER, invited_by=admin
    )
    return People(partner_admin=admin, learner=learner)


def _person(local_part: str, first_name: str, last_name: str) -> User:
    return create_person(
        email=f"{local_part}@{DOMAIN}",
        password=secrets.token_urlsafe(18),
        first_name=first_name,
        last_name=last_name,
    )


def load_references(people: People) -> None:
    """Copy what the real pages show into plain objects once, so reference requests read no database."""
    with translation.override("en"):
        page = HomePage.objects.live().get(locale__language_code="en")
        REFERENCE.home_page = PageData(
            title=page.title,
            seo_title=page.seo_title,
            hero_title=page.hero_title,
            hero_text=page.hero_text,
            body=page.body,
        )
        for user in (people.partner_admin, people.learner):
            REFERENCE.dashboards[user.pk] = _plain_dashboard(dashboard_for(user))


def _plain_dashboard(dashboard: Dashboard) -> Dashboard:
    # The real Dashboard class, holding plain objects instead of models: the template
    # only reads attributes, so it cannot tell them apart, and nothing can query.
    organization, membership = dashboard.organization, dashboard.membership
    return Dashboard(
        organization=None
        if organization is None
        else OrganizationData(
            display_name=organization.display_name,
            tier=organization.tier,
            get_tier_display=organization.get_tier_display(),
        ),
        membership=None
        if membership is None
        else MembershipData(
            is_admin=membership.is_admin,
            get_role_display=membership.get_role_display(),
            joined_at=membership.joined_at,
        ),
        team_size=dashboard.team_size,
        pending_invitations=dashboard.pending_invitations,
    )
