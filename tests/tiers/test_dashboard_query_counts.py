"""Query-count guards for the tier managers' pages: the dashboard and its CSV (5 vs 50
organizations, with and without standings) and one organization's page (5 vs 30 people,
with their credentials, history, headcount samples and gate evidence).

Each page is requested once before it is measured, so per-process caches are warm.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certifications.models import HeadcountSample, TierStanding
from certifications.services.tier_actions import submit_gate_evidence
from certifications.services.tiers import evaluate_tiers
from lms.partners.roles import StaffRole
from tests.certifications import builders
from tests.factories import OrganizationFactory
from tests.tiers.test_dashboard import NOW, TODAY, member, now, rules  # noqa: F401  (now: the clock fixture)
from tests.tiers.test_organization_page import DEFINITION

pytestmark = pytest.mark.django_db

MARGIN = 2
# Observed counts (SQLite, warm caches).
DASHBOARD = 7
DASHBOARD_CSV = 5
ORGANIZATION_PAGE = 22


def queries(client, url: str, *, showing: tuple[str, ...] = ()) -> int:
    """The queries of one GET of `url` (its body read whole), which must show each of `showing`."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
        body = b"".join(response.streaming_content) if response.streaming else response.content
    assert response.status_code == 200, url
    text = body.decode()
    missing = [item for item in showing if item not in text]
    assert not missing, f"{url} does not show {missing}"
    return len(captured)


def assert_flat(small: int, large: int, ceiling: int, what: str) -> None:
    assert small == large, f"{what}: {small} queries with little data, {large} with more"
    assert large <= ceiling + MARGIN, f"{what}: {large} queries, more than {ceiling} + {MARGIN}"


@pytest.fixture
def manager_client(client, make_staff):
    client.force_login(make_staff(StaffRole.TIER_MANAGER))
    return client


def add_organizations(count: int, start: int) -> None:
    """Organizations in every state; every third one never evaluated."""
    for number in range(start, start + count):
        organization = OrganizationFactory(name=f"Org {number:03}", tier="silver")
        if number % 3 == 0:
            continue
        TierStanding.objects.create(
            organization=organization,
            eligible="gold",
            pending="gold" if number % 3 == 1 else "",
            at_risk_since=TODAY if number % 3 == 2 else None,
            demote_on=TODAY + timedelta(days=30) if number % 3 == 2 else None,
            override="platinum" if number % 5 == 0 else "",
            forecast_loss_on=TODAY + timedelta(days=number),
            certified_people=number,
        )


def test_the_dashboard_5_vs_50_organizations(manager_client):
    add_organizations(5, 0)
    small = queries(manager_client, "/tiers/", showing=("Org 004", "Promotion to Gold pending"))
    add_organizations(45, 5)
    large = queries(manager_client, "/tiers/", showing=("Org 049", "At risk since"))
    assert_flat(small, large, DASHBOARD, "/tiers/")


def test_a_filtered_sorted_dashboard_5_vs_50_organizations(manager_client):
    url = "/tiers/?status=pending&sort=forecast&order=desc&q=org"
    add_organizations(5, 0)
    small = queries(manager_client, url, showing=("Org 004",))
    add_organizations(45, 5)
    large = queries(manager_client, url, showing=("Org 049",))
    assert_flat(small, large, DASHBOARD, url)


def test_the_csv_export_5_vs_50_organizations(manager_client):
    add_organizations(5, 0)
    small = queries(manager_client, "/tiers/export.csv", showing=("Org 004",))
    add_organizations(45, 5)
    large = queries(manager_client, "/tiers/export.csv", showing=("Org 049",))
    assert_flat(small, large, DASHBOARD_CSV, "/tiers/export.csv")


def test_the_organization_page_5_vs_30_people(manager_client, organization, partner_admin, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    rules(definition=DEFINITION)
    associate = builders.certification(validity_months=24)
    professional = builders.certification(
        name="Zero Trust Professional", slug="zero-trust-professional", level="professional", validity_months=12
    )
    added: list = []

    def add(count: int) -> None:
        for _ in range(count):
            number = len(added)
            person = member(organization, first_name=f"Person{number:02}", last_name="Tester")
            builders.issue(person, associate, issued_at=NOW - timedelta(days=30 + number))
            if number % 2:
                builders.issue(person, professional, issued_at=NOW - timedelta(days=30 + number))
            added.append(person)
            HeadcountSample.objects.update_or_create(
                organization=organization,
                day=TODAY - timedelta(days=200 - number),
                defaults={"certified_people": number + 1},
            )
            submit_gate_evidence(  # one waits per gate at a time: a gate each
                organization=organization,
                gate=f"partner-audit-{number}",
                evidence=ContentFile(b"%PDF-1.4", name=f"audit-{number}.pdf"),
                note="",
                actor=partner_admin,
            )
        evaluate_tiers()  # standings and history grow too

    url = f"/tiers/{organization.slug}/"
    add(5)
    small = queries(manager_client, url, showing=("Person04 Tester", "<svg"))
    add(25)
    large = queries(manager_client, url, showing=("Person29 Tester",))
    assert_flat(small, large, ORGANIZATION_PAGE, url)
