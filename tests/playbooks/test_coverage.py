"""Coverage figures: one organization by hand, marketers' views by organization and tier,
CSV exports, flat query counts, and the tier metric."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certifications.models import BusinessMetric, MetricValue
from lms.partners.models import Membership, Tier
from lms.partners.roles import StaffRole
from playbooks.coverage import (
    Figure,
    coverage_by_organization,
    coverage_metric,
    coverage_metrics,
    percent,
    playbook_totals,
    required_playbooks,
)
from playbooks.models import Acknowledgement
from playbooks.services.acknowledgements import acknowledge_playbook
from playbooks.services.coverage_metric import METRIC_CODE, record_acknowledgement_coverage
from tests.factories import OrganizationFactory
from tests.playbooks import builders
from tests.playbooks import coverage_builders as cb

pytestmark = pytest.mark.django_db

ADMIN_URL = "/admin/playbooks/message-alignment/"
CSV_URL = "/admin/playbooks/message-alignment/export.csv"
DAY = date(2026, 3, 15)


def ack(user, page) -> None:
    assert acknowledge_playbook(user=user, playbook=page, answers={}).outcome == "recorded"


@pytest.fixture
def world(make_member):
    """Gold Parsian (4 people, one inactive), Silver Zagros (2), Registered Kish (0 people).

    "Backups" (v2, everyone): Parsian 2 of 3 at v2 (one more at v1), Zagros 1 of 2.
    "Zero trust" (v1, Gold and above): Parsian 1 of 3; not asked of Zagros or Kish.
    "Unasked": no acknowledgement asked.
    """
    parsian = OrganizationFactory(name="Parsian Cloud", slug="parsian", tier=Tier.GOLD)
    zagros = OrganizationFactory(name="Zagros Data", slug="zagros", tier=Tier.SILVER)
    kish = OrganizationFactory(name="Kish Soft", slug="kish", tier=Tier.REGISTERED)
    people = {
        name: make_member(org, email=f"{name}@{org.slug}.example")
        for name, org in [("a", parsian), ("b", parsian), ("c", parsian), ("y", zagros), ("z", zagros)]
    }
    make_member(parsian, email="gone@parsian.example", is_active=False)
    backups = cb.required("Backups", version=1)
    ack(people["c"], backups)  # v1, before the new version
    backups = cb.republish(backups, message_version=2)
    zero = cb.required("Zero trust", minimum_tier=Tier.GOLD)
    builders.playbook(title="Unasked")
    for name in ("a", "b", "y"):
        ack(people[name], backups)
    ack(people["a"], zero)
    return {"parsian": parsian, "zagros": zagros, "kish": kish, "backups": backups, "zero": zero, "people": people}


def test_percent_and_the_metric_are_exact():
    assert percent(2, 3) == Decimal("66.67")
    assert percent(1, 8) == Decimal("12.50")
    assert percent(0, 0) is None
    assert coverage_metric([]) == Decimal("100.00")  # nothing to acknowledge
    assert coverage_metric([Figure(0, 0), Figure(0, 0)]) == Decimal("0.00")  # nobody to acknowledge it
    assert coverage_metric([Figure(2, 3), Figure(1, 3)]) == Decimal("50.00")


def test_figures_of_a_small_hand_made_organization(world):
    rows = {row.slug: row for row in coverage_by_organization()}
    backups, zero = str(world["backups"].translation_key), str(world["zero"].translation_key)

    parsian = rows["parsian"]
    assert parsian.members == 3
    assert parsian.figures == {backups: Figure(2, 3), zero: Figure(1, 3)}
    assert parsian.metric == Decimal("50.00")  # 3 of 6 pairs

    assert rows["zagros"].figures == {backups: Figure(1, 2)}
    assert rows["zagros"].metric == Decimal("50.00")
    assert rows["kish"].figures == {backups: Figure(0, 0)}
    assert rows["kish"].metric == Decimal("0.00")


def test_totals_by_playbook_and_tier(world):
    required = required_playbooks()
    assert [playbook.title for playbook in required] == ["Backups", "Zero trust"]
    totals = {total.playbook.title: total for total in playbook_totals(required, coverage_by_organization())}

    assert totals["Backups"].total == Figure(3, 5)
    assert totals["Backups"].organizations == 3
    assert totals["Backups"].by_tier == {Tier.GOLD: Figure(2, 3), Tier.SILVER: Figure(1, 2), Tier.REGISTERED: Figure()}
    assert totals["Zero trust"].total == Figure(1, 3)
    assert totals["Zero trust"].by_tier == {Tier.GOLD: Figure(1, 3)}


def test_marketers_see_the_admin_page_by_playbook_tier_and_organization(client, make_staff, world):
    client.force_login(make_staff(StaffRole.MARKETER))

    response = client.get(ADMIN_URL)

    assert response.status_code == 200
    html = response.content.decode()
    for text in ("By playbook", "By tier", "By organization", "Parsian Cloud", "Zagros Data", "3 of 5", "60.0%"):
        assert text in html
    filtered = client.get(ADMIN_URL, {"tier": Tier.SILVER}).content.decode()
    assert "Zagros Data" in filtered and "Parsian Cloud" not in filtered
    searched = client.get(ADMIN_URL, {"q": "parsian"}).content.decode()
    assert "Parsian Cloud" in searched and "Zagros Data" not in searched
    assert "/admin/playbooks/message-alignment/" in client.get("/admin/").content.decode()  # the menu


@pytest.mark.parametrize("role", [StaffRole.COURSE_AUTHOR, StaffRole.TIER_MANAGER])
def test_other_staff_and_partners_are_refused(client, make_staff, other_partner_admin, world, role):
    client.force_login(make_staff(role))
    for url in (ADMIN_URL, CSV_URL):
        response = client.get(url)  # Wagtail's admin turns the refusal into a redirect home with a message
        assert (response.status_code, response.get("Location")) in ((403, None), (302, "/admin/"))
        assert "Parsian" not in response.content.decode()
    assert "/admin/playbooks/message-alignment/" not in client.get("/admin/").content.decode()
    client.force_login(other_partner_admin)
    assert client.get(ADMIN_URL).status_code in (302, 403)
    assert client.get(CSV_URL).status_code in (302, 403)


def test_the_csv_export(client, site_admin, world):
    world["zagros"].name = "=HYPERLINK(1)"
    world["zagros"].save()
    client.force_login(site_admin)

    response = client.get(CSV_URL)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert rows[0] == [
        "organization",
        "name",
        "name_fa",
        "tier",
        "playbook",
        "translation_key",
        "version",
        "members",
        "acknowledged",
        "percent",
    ]
    body = {(row[0], row[4]): row for row in rows[1:]}
    assert body[("parsian", "Backups")][6:] == ["2", "3", "2", "66.67"]
    assert body[("parsian", "Zero trust")][6:] == ["1", "3", "1", "33.33"]
    assert body[("zagros", "Backups")][1] == "'=HYPERLINK(1)"
    assert body[("kish", "Backups")][6:] == ["2", "0", "0", ""]
    assert len(rows) == 1 + 4

    only = client.get(CSV_URL, {"playbook": str(world["zero"].translation_key)}).content.decode("utf-8-sig")
    assert [row[4] for row in list(csv.reader(io.StringIO(only)))[1:]] == ["Zero trust"]
    assert client.get(CSV_URL, {"tier": "diamond"}).status_code == 400


def add_organizations(make_member, count: int, page) -> None:
    for _number in range(count):
        organization = OrganizationFactory(tier=Tier.GOLD)
        for person in range(3):
            user = make_member(organization, role=Membership.Role.LEARNER)
            if person:
                ack(user, page)


def measure(callable_) -> int:
    with CaptureQueriesContext(connection) as captured:
        callable_()
    return len(captured)


def test_query_counts_are_the_same_for_few_and_many_organizations(client, site_admin, make_member, partner_admin):
    page = cb.required("Backups")
    cb.required("Zero trust", minimum_tier=Tier.GOLD)
    add_organizations(make_member, 2, page)
    client.force_login(site_admin)
    client.get(ADMIN_URL)

    small = (
        measure(lambda: coverage_by_organization()),
        measure(lambda: client.get(ADMIN_URL)),
        measure(lambda: client.get(CSV_URL)),
        measure(lambda: coverage_metrics()),
    )
    add_organizations(make_member, 12, page)
    large = (
        measure(lambda: coverage_by_organization()),
        measure(lambda: client.get(ADMIN_URL)),
        measure(lambda: client.get(CSV_URL)),
        measure(lambda: coverage_metrics()),
    )

    assert small == large
    assert small[0] == 5


def test_team_pages_query_counts_are_flat(client, partner_admin, make_member, organization):
    page = cb.required("Backups")
    cb.required("Zero trust")
    client.force_login(partner_admin)
    team = "/acknowledgements/team/parsian/"
    client.get(team)
    counts = []
    for size in (2, 12):
        while organization.memberships.count() < size:
            ack(make_member(organization), page)
        counts.append((measure(lambda: client.get(team)), measure(lambda: client.get(team + "acknowledgements.csv"))))
    assert counts[0] == counts[1]


def test_the_metric_rows_are_written_and_idempotent(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        written = record_acknowledgement_coverage(as_of=DAY)
    assert written == 3
    assert len(callbacks) == 1  # one re-evaluation for the organizations whose value changed

    metric = BusinessMetric.objects.get(code=METRIC_CODE)
    assert (metric.unit, metric.name, bool(metric.name_fa)) == ("%", "Playbook acknowledgement", True)
    values = dict(MetricValue.objects.filter(metric=metric).values_list("organization__slug", "value"))
    assert values == {"parsian": Decimal("50"), "zagros": Decimal("50"), "kish": Decimal("0")}
    assert set(MetricValue.objects.values_list("period_end", flat=True)) == {DAY}

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assert record_acknowledgement_coverage(as_of=DAY) == 0
    assert not callbacks
    assert MetricValue.objects.count() == 3

    ack(world["people"]["z"], world["backups"])  # the task refreshes Zagros for today
    record_acknowledgement_coverage(organization_ids=[world["zagros"].pk], as_of=DAY)
    assert MetricValue.objects.get(organization=world["zagros"], period_end=DAY).value == Decimal("100")
    assert MetricValue.objects.get(organization=world["parsian"], period_end=DAY).value == Decimal("50")


def test_an_acknowledgement_refreshes_its_organizations_metric(
    learner, organization, django_capture_on_commit_callbacks
):
    page = cb.required()
    with django_capture_on_commit_callbacks(execute=True):
        ack(learner, page)
    value = MetricValue.objects.get(organization=organization, metric__code=METRIC_CODE)
    assert value.value == Decimal("100")
    assert Acknowledgement.objects.count() == 1


def test_the_management_command_records_every_organization(world, capsys):
    call_command("record_acknowledgement_coverage", "--date", "2026-03-31")
    assert MetricValue.objects.filter(metric__code=METRIC_CODE, period_end=date(2026, 3, 31)).count() == 3
    assert "3 values written" in capsys.readouterr().out
    call_command("record_acknowledgement_coverage", "--date", "2026-03-31")
    assert "0 values written" in capsys.readouterr().out
