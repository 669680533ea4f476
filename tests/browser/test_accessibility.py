"""The main pages pass axe-core's checks without serious or critical violations, in both languages."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from playwright.sync_api import Page

from certifications.models import Credential
from certifications.services.tier_actions import set_override, submit_gate_evidence
from certifications.services.tiers import evaluate_tiers, today
from lms.partners import services
from lms.partners.models import Membership
from lms.partners.roles import StaffRole
from tests.browser.support import LANGUAGES, assert_accessible, emailed_invitation_link, localized, sign_in
from tests.certifications import builders as certification_builders
from tests.tiers.test_dashboard import member, rules
from tests.tiers.test_organization_page import DEFINITION as TIER_RULES

PAGES_FOR_EVERYONE = ["/", "/accounts/login/"]
# "My learning" with the partner admin's credentials and progress; the team page with
# its certification matrix.
PAGES_FOR_PARTNER_ADMINS = ["/learn/", "/partner/"]
# The dashboard with its filters and bulk decision; Parsian's page with its breakdown, chart,
# matrix, pending evidence, history and forms; its what-if page, plain and with an addition.
PAGES_FOR_TIER_MANAGERS = [
    "/tiers/",
    "/tiers/parsian/",
    "/tiers/parsian/what-if/",
    "/tiers/parsian/what-if/?add=new%3Azero-trust-professional",
]


@pytest.fixture
def axe_page(new_context) -> Page:
    """A page whose Content-Security-Policy is bypassed, so the axe script can be injected.

    Only these tests bypass it; everywhere else the site's real policy applies.
    """
    return new_context(bypass_csp=True).new_page()


def invite_by_email(organization, invited_by, email: str, language: str) -> None:
    services.invite_people(
        organization=organization,
        emails=[email],
        role=Membership.Role.LEARNER,
        invited_by=invited_by,
        language=language,
    )


@pytest.fixture
def team_credentials(partner_admin, learner) -> None:
    """Credentials in every kind of row: valid and revoked ones on "My learning" and in
    the team matrix, and a certification the partner admin is on the way to."""
    associate = certification_builders.certification(validity_months=24)
    network = certification_builders.certification(
        name="Network Security Professional", name_fa="متخصص امنیت شبکه", slug="network-pro", level="professional"
    )
    certification_builders.certification(
        name="Cloud Security Architect", name_fa="معمار امنیت ابری", slug="architect", prerequisites=[network]
    )
    certification_builders.issue(partner_admin, associate)
    certification_builders.issue(learner, associate)
    revoked = certification_builders.issue(learner, network)
    Credential.objects.filter(pk=revoked.pk).update(status=Credential.Status.REVOKED)


@pytest.fixture
def tier_manager(make_staff):
    return make_staff(StaffRole.TIER_MANAGER, email="tiers@vendor.example", first_name="Tara", last_name="Manager")


@pytest.fixture
def tier_standings(organization, other_organization, partner_admin, tier_manager, settings, tmp_path) -> None:
    """An active rule set with promotions waiting for approval: Parsian's two certified
    people earn it Silver (pending), with audit evidence waiting for a decision; Northwind,
    with no one certified, is held at Gold by an override."""
    settings.MEDIA_ROOT = tmp_path / "media"
    rules(definition=TIER_RULES, promotion="approval")
    associate = certification_builders.certification(validity_months=24)
    professional = certification_builders.certification(
        name="Zero Trust Professional",
        name_fa="متخصص اعتماد صفر",
        slug="zero-trust-professional",
        level="professional",
        validity_months=12,
    )
    certification_builders.issue(member(organization, first_name="Ava", last_name="Adams"), associate)
    certification_builders.issue(member(organization, first_name="Bijan", last_name="Bahrami"), professional)
    evaluate_tiers()
    submit_gate_evidence(
        organization=organization,
        gate="partner-audit",
        evidence=ContentFile(b"%PDF-1.4 audit", name="audit.pdf"),
        note="2026 audit",
        actor=partner_admin,
    )
    set_override(
        organization=other_organization,
        tier="gold",
        until=today() + timedelta(days=90),
        reason="Strategic partner",
        actor=tier_manager,
    )


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", PAGES_FOR_EVERYONE)
def test_the_pages_for_visitors_have_no_serious_accessibility_problems(axe_page: Page, path, language):
    axe_page.goto(localized(path, language))
    assert_accessible(axe_page)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", PAGES_FOR_PARTNER_ADMINS)
def test_the_pages_for_partner_admins_have_no_serious_accessibility_problems(
    axe_page: Page, path, language, organization, partner_admin, learner, team_credentials
):
    # A team with a colleague, credentials and a pending invitation, so every table has rows.
    invite_by_email(organization, partner_admin, "pending@parsian.example", language)
    sign_in(axe_page, partner_admin.email)
    axe_page.goto(localized(path, language))
    assert_accessible(axe_page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_the_invitation_sign_up_page_has_no_serious_accessibility_problems(
    axe_page: Page, language, organization, partner_admin, live_server
):
    invite_by_email(organization, partner_admin, "invitee@parsian.example", language)
    axe_page.goto(emailed_invitation_link("invitee@parsian.example", live_server.url))
    assert_accessible(axe_page)


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("path", PAGES_FOR_TIER_MANAGERS)
def test_the_tier_pages_have_no_serious_accessibility_problems(
    axe_page: Page, path, language, tier_manager, tier_standings
):
    sign_in(axe_page, tier_manager.email)
    axe_page.goto(localized(path, language))
    assert_accessible(axe_page)
