"""Partner tiers through the real pages, in English and in Persian.

A tier manager finds an organization waiting for its promotion on the dashboard, filters
the list down to pending promotions, approves it in bulk, reads the organization's
breakdown and history, and overrides its tier. A partner admin reads what the next tier
needs on the team page, tries a credential for a new person on the what-if page, and
sends evidence for the rules' manual gate, which a tier manager then approves.

Set-up follows tests/tiers: the rule set of tests/tiers/test_organization_page.py (Silver
for one certified person; Gold for three with a professional among them; Platinum with a
manual gate), here with promotions waiting for a tier manager's approval.
"""

from __future__ import annotations

import io
import re
from datetime import timedelta

import pytest
from playwright.sync_api import Locator, Page, expect
from reportlab.pdfgen import canvas

from certifications.models import Credential, GateApproval, TierChange, TierStanding
from certifications.services.tiers import evaluate_tiers, today
from lms.partners.models import Membership
from lms.partners.roles import StaffRole
from tests.browser.support import LANGUAGES, expect_language, localized, sign_in
from tests.certifications import builders as certification_builders
from tests.tiers.test_dashboard import member, rules
from tests.tiers.test_organization_page import DEFINITION

PROFESSIONAL = "zero-trust-professional"
GATE = "partner-audit"
APPROVAL_REASON = "Quarterly review"
OVERRIDE_REASON = "Strategic partner for the 2027 launch"


# Set-up


@pytest.fixture(autouse=True)
def _evidence_stored_apart(settings, tmp_path) -> None:
    """Gate evidence is saved in a folder of this test's own."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def manager(make_staff):
    return make_staff(StaffRole.TIER_MANAGER, email="tiers@vendor.example", first_name="Tara", last_name="Manager")


@pytest.fixture
def team(organization) -> dict:
    """Parsian with two certified people: Silver earned, one person short of Gold."""
    rules(definition=DEFINITION, promotion="approval")
    associate = certification_builders.certification(validity_months=24)
    professional = certification_builders.certification(
        name="Zero Trust Professional",
        name_fa="متخصص اعتماد صفر",
        slug=PROFESSIONAL,
        level="professional",
        validity_months=12,
    )
    ava = member(organization, first_name="Ava", last_name="Adams")
    bijan = member(organization, first_name="Bijan", last_name="Bahrami")
    certification_builders.issue(ava, associate)
    certification_builders.issue(bijan, professional)
    return {"ava": ava, "bijan": bijan}


def speaking(user, language: str):
    user.preferred_language = language
    user.save(update_fields=["preferred_language"])
    return user


def shown_name(organization, language: str) -> str:
    return organization.name_fa if language == "fa" else organization.name


def small_pdf() -> bytes:
    """A one-page PDF, as an audit report would be sent."""
    buffer = io.BytesIO()
    document = canvas.Canvas(buffer)
    document.drawString(72, 720, "Annual partner audit: passed")
    document.showPage()
    document.save()
    return buffer.getvalue()


# Reading the pages


def organization_rows(page: Page) -> Locator:
    return page.locator("section[aria-labelledby=organizations-heading] tbody tr")


def row_of(page: Page, organization) -> Locator:
    return page.locator(f"section[aria-labelledby=organizations-heading] tr[data-organization={organization.slug}]")


def success_message(page: Page) -> Locator:
    return page.locator(".messages .success")


def chart_labels_off_the_chart(page: Page) -> list[str]:
    """The headcount chart's labels drawn (partly) outside the chart, which clips them."""
    return page.locator(".headcount-chart svg").evaluate(
        """(svg) => {
            const chart = svg.getBoundingClientRect();
            return [...svg.querySelectorAll(".chart-label")]
                .filter((label) => {
                    const box = label.getBoundingClientRect();
                    return box.left < chart.left - 0.5 || box.right > chart.right + 0.5;
                })
                .map((label) => label.textContent);
        }"""
    )


def tier_badge(tier: str) -> re.Pattern:
    return re.compile(rf"\btier-{tier}\b")


# The journeys


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_tier_manager_approves_a_pending_promotion_and_overrides_the_tier(
    new_context, manager, organization, other_organization, team, language
):
    evaluate_tiers()
    assert TierStanding.objects.get(pk=organization.pk).pending == "silver"
    speaking(manager, language)
    name = shown_name(organization, language)

    # The dashboard lists every organization with its current and eligible tier and its status.
    page = new_context().new_page()
    sign_in(page, manager.email, language=language)
    dashboard_url = localized("/tiers/", language)
    page.goto(dashboard_url)
    expect_language(page, language)
    expect(organization_rows(page)).to_have_count(2)
    ours = row_of(page, organization)
    expect(ours.locator("th a")).to_have_text(name)
    expect(ours.locator("[data-column=current-tier] .badge")).to_have_class(tier_badge("registered"))
    expect(ours.locator("[data-column=eligible-tier] .badge")).to_have_class(tier_badge("silver"))
    expect(ours.locator(".tier-status .badge.state-pending")).to_be_visible()
    steady = row_of(page, other_organization)
    expect(steady.locator(".tier-status .badge")).to_have_count(0)
    expect(steady.locator("input[name=organizations]")).to_have_count(0)  # nothing to decide

    # Filtered to pending promotions, only Parsian is left.
    filters = page.locator("main form.catalog-filters")
    filters.locator("select[name=status]").select_option("pending")
    filters.locator("button[type=submit]").click()
    expect(page).to_have_url(re.compile(rf"^[^?]*{re.escape(dashboard_url)}\?(.*&)?status=pending(&|$)"))
    expect(organization_rows(page)).to_have_count(1)
    expect(ours).to_be_visible()

    # Chosen and approved with the bulk decision form.
    ours.locator("input[type=checkbox][name=organizations]").check()
    decision = page.locator("main fieldset.tier-decision")
    decision.locator("input[name=reason]").fill(APPROVAL_REASON)
    decision.locator("button[name=decision][value=approve]").click()
    expect(success_message(page)).to_contain_text(name)
    expect(page).to_have_url(re.compile(r"status=pending"))  # back on the filtered list
    expect(organization_rows(page)).to_have_count(0)  # no longer pending
    organization.refresh_from_db()
    assert organization.tier == "silver"
    promotion = TierChange.objects.get(organization=organization, kind=TierChange.Kind.PROMOTED)
    assert (promotion.actor, promotion.reason, promotion.from_tier, promotion.to_tier) == (
        manager,
        APPROVAL_REASON,
        "registered",
        "silver",
    )

    # The organization's page: its breakdown names the people who counted,
    page.goto(dashboard_url)
    row_of(page, organization).locator("th a").click()
    expect(page).to_have_url(localized(f"/tiers/{organization.slug}/", language))
    expect_language(page, language)
    expect(page.locator("main h1")).to_have_text(name)
    silver = page.locator("section[aria-labelledby=requirements-heading] section[aria-labelledby=rung-silver]")
    people = silver.locator("details.requirement-people")
    people.locator("summary").click()
    expect(people.locator("p")).to_contain_text(team["ava"].display_name)
    expect(people.locator("p")).to_contain_text(team["bijan"].display_name)

    # its headcount chart runs left to right in both languages with every label on it,
    expect(page.locator(".headcount-chart .chart-point")).not_to_have_count(0)
    assert chart_labels_off_the_chart(page) == []

    # and its history the approval, by the manager, with the reason.
    approval_row = page.locator("section[aria-labelledby=history-heading] tbody tr").filter(
        has_text=manager.display_name
    )
    expect(approval_row).to_have_count(1)
    expect(approval_row).to_contain_text(APPROVAL_REASON)

    # The tier manager holds the organization at Gold for three months.
    until = today() + timedelta(days=90)
    override = page.locator("main form[action$='/override/']")
    override.locator("select[name=tier]").select_option("gold")
    override.locator("input[name=until]").fill(until.isoformat())
    override.locator("input[name=reason]").fill(OVERRIDE_REASON)
    override.locator("button[type=submit]").click()
    expect(success_message(page)).to_contain_text(name)
    expect(page).to_have_url(localized(f"/tiers/{organization.slug}/", language))
    expect(page.locator(".page-head .badge.state-override")).to_be_visible()
    change = TierChange.objects.get(organization=organization, kind=TierChange.Kind.OVERRIDE_SET)
    assert (change.actor, change.to_tier, change.reason) == (manager, "gold", OVERRIDE_REASON)
    standing = TierStanding.objects.get(pk=organization.pk)
    assert (standing.override, standing.override_until) == ("gold", until)
    override_row = page.locator("section[aria-labelledby=history-heading] tbody tr").filter(has_text=OVERRIDE_REASON)
    expect(override_row).to_have_count(1)


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_partner_admin_tries_a_what_if_and_sends_evidence_that_a_tier_manager_approves(
    new_context, partner_admin, manager, organization, team, language
):
    speaking(partner_admin, language)
    speaking(manager, language)
    team_url = localized(f"/partner/{organization.slug}/", language)
    what_if_url = localized(f"/tiers/{organization.slug}/what-if/", language)
    credentials, memberships = Credential.objects.count(), Membership.objects.count()

    # The team page's tier section: Silver earned, and what Gold still needs.
    page = new_context().new_page()
    sign_in(page, partner_admin.email, language=language)
    page.goto(team_url)
    expect_language(page, language)
    section = page.locator("section[aria-labelledby=team-tier-heading]")
    expect(section.locator(".badge").last).to_have_class(tier_badge("silver"))
    expect(section.locator("ul.tier-gaps li").first).to_be_visible()

    # What if a new person earned the professional certification?
    section.locator("a[href$='/what-if/']").click()
    expect(page).to_have_url(what_if_url)
    expect_language(page, language)
    eligible = page.locator("tr[data-result=eligible] td .badge")
    expect(eligible).to_have_count(2)  # today, and with the changes
    expect(eligible.nth(0)).to_have_class(tier_badge("silver"))
    expect(eligible.nth(1)).to_have_class(tier_badge("silver"))
    scenario = page.locator("main form.tier-form")
    scenario.locator("select[name=grant_person]").select_option("new")
    scenario.locator("select[name=grant_certification]").select_option(PROFESSIONAL)
    scenario.locator("button[type=submit]").click()
    expect(page).to_have_url(f"{what_if_url}?add=new%3A{PROFESSIONAL}")
    expect(scenario.locator(".what-if-additions li")).to_have_count(1)
    expect(eligible.nth(0)).to_have_class(tier_badge("silver"))
    expect(eligible.nth(1)).to_have_class(tier_badge("gold"))
    assert (Credential.objects.count(), Membership.objects.count()) == (credentials, memberships)  # nothing saved

    # Evidence for the audit gate, sent through the team page's link.
    page.goto(team_url)
    section.locator("a[href$='/gates/submit/']").click()
    expect(page).to_have_url(localized(f"/tiers/{organization.slug}/gates/submit/", language))
    expect_language(page, language)
    evidence_form = page.locator("main form[enctype='multipart/form-data']")
    evidence_form.locator("select[name=gate]").select_option(GATE)
    evidence_form.locator("input[name=evidence]").set_input_files(
        files=[{"name": "audit-2026.pdf", "mimeType": "application/pdf", "buffer": small_pdf()}]
    )
    evidence_form.locator("input[name=note]").fill("Audit report 2026")
    evidence_form.locator("button[type=submit]").click()
    expect(page).to_have_url(team_url)
    expect(success_message(page)).to_be_visible()
    approval = GateApproval.objects.get(organization=organization, gate=GATE)
    assert (approval.status, approval.submitted_by, approval.note) == (
        GateApproval.Status.PENDING,
        partner_admin,
        "Audit report 2026",
    )
    with approval.evidence.open("rb") as stored:
        assert stored.read().startswith(b"%PDF-")

    # A tier manager approves it on the organization's page, until a year from now.
    reviewer = new_context().new_page()
    sign_in(reviewer, manager.email, language=language)
    reviewer.goto(localized(f"/tiers/{organization.slug}/", language))
    expect_language(reviewer, language)
    gates = reviewer.locator("section[aria-labelledby=gates-heading]")
    expect(gates.locator(".badge.state-pending")).to_have_count(1)
    expires_on = today() + timedelta(days=365)
    decision = gates.locator(f"form[action$='/gates/{approval.pk}/decide/']")
    decision.locator(f"input[name=gate-{approval.pk}-expires_on]").fill(expires_on.isoformat())
    decision.locator("button[value=approve]").click()
    expect(success_message(reviewer)).to_contain_text(shown_name(organization, language))
    expect(gates.locator(".badge.state-ok")).to_have_count(1)
    expect(gates.locator("form")).to_have_count(0)  # decided: no form any more
    approval.refresh_from_db()
    assert (approval.status, approval.decided_by, approval.expires_on) == (
        GateApproval.Status.APPROVED,
        manager,
        expires_on,
    )
    gate_change = TierChange.objects.get(organization=organization, kind=TierChange.Kind.GATE_APPROVED)
    assert gate_change.actor == manager
