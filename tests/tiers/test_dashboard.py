"""The tier managers' dashboard at /tiers/: who may see it, its filters, search, sort and
pages, the CSV export, and the bulk decision on pending promotions."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from certifications.models import TierChange, TierRuleSet, TierRuleSetVersion, TierStanding
from certifications.services.tiers import evaluate_tiers
from lms import clock
from lms.partners.roles import StaffRole
from tests.certifications import builders
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 2, 10, 9, 0, tzinfo=UTC)
TODAY = NOW.date()
DASHBOARD = "/tiers/"
EXPORT = "/tiers/export.csv"
DECIDE = "/tiers/promotions/decide/"

DEFINITION = {
    "tiers": [
        {"code": "registered"},
        {"code": "silver", "requirement": {"type": "headcount", "id": "silver-people", "minimum": 1, "filter": {}}},
        {"code": "gold", "requirement": {"type": "headcount", "id": "gold-people", "minimum": 3, "filter": {}}},
    ],
    "scores": [],
}


def rules(*, definition: dict = DEFINITION, promotion: str = "automatic", grace: int = 30) -> TierRuleSetVersion:
    rule_set = TierRuleSet.objects.create(
        name="Program", is_active=True, promotion=promotion, demotion_grace_days=grace
    )
    return TierRuleSetVersion.objects.create(
        rule_set=rule_set, number=1, valid_from=date(2026, 1, 1), definition=definition
    )


def member(organization, **user_fields):
    return MembershipFactory(organization=organization, user=UserFactory(**user_fields)).user


def standing(organization, **fields) -> TierStanding:
    return TierStanding.objects.create(organization=organization, **fields)


def listed(response) -> list[str]:
    """The organization names of the dashboard's rows, in order."""
    return re.findall(r'<th scope="row"><a href="[^"]+">([^<]+)</a></th>', response.content.decode())


def csv_rows(response) -> list[dict[str, str]]:
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(body[1:])))


@pytest.fixture(autouse=True)
def now(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)


@pytest.fixture
def manager(make_staff):
    return make_staff(StaffRole.TIER_MANAGER, email="tiers@vendor.example")


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


# -- Who may see it --------------------------------------------------------------------------


@pytest.mark.parametrize("url", [DASHBOARD, EXPORT])
def test_anonymous_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize("who", ["learner", "partner_admin", "course_author", "marketer"])
@pytest.mark.parametrize("url", [DASHBOARD, EXPORT])
def test_people_without_tier_access_are_refused_with_a_reason(client, request, make_staff, who, url):
    staff = {"course_author": StaffRole.COURSE_AUTHOR, "marketer": StaffRole.MARKETER}
    user = make_staff(staff[who]) if who in staff else request.getfixturevalue(who)
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 403
    assert "for tier managers and site admins" in response.content.decode()


def test_the_refusal_is_in_persian_under_the_persian_address(client, learner):
    client.force_login(learner)
    response = client.get("/fa/tiers/")
    assert response.status_code == 403
    assert 'lang="fa"' in response.content.decode()


@pytest.mark.parametrize("role", [StaffRole.TIER_MANAGER, StaffRole.SITE_ADMIN])
def test_tier_managers_and_site_admins_see_every_organization(client, make_staff, role):
    evaluated = OrganizationFactory(name="Evaluated Ltd", tier="silver")
    standing(evaluated, eligible="gold", certified_people=4)
    OrganizationFactory(name="Never Evaluated")
    client.force_login(make_staff(role))
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    body = response.content.decode()
    assert listed(response) == ["Evaluated Ltd", "Never Evaluated"]
    assert "Not evaluated yet" in body
    assert 'class="badge tier-gold"' in body


def test_status_badges_say_what_is_pending_at_risk_and_overridden(manager_client):
    standing(OrganizationFactory(name="Pending Co"), eligible="gold", pending="gold")
    standing(
        OrganizationFactory(name="Risky Co", tier="gold"),
        eligible="silver",
        at_risk_since=date(2027, 1, 5),
        demote_on=date(2027, 4, 5),
    )
    standing(OrganizationFactory(name="Held Co"), override="platinum", override_until=date(2027, 6, 30))
    body = manager_client.get(DASHBOARD).content.decode()
    assert "Promotion to Gold pending" in body
    assert "At risk since 5 January 2027" in body
    assert "demotion due 5 April 2027" in body
    assert "Held at Platinum until 30 June 2027" in body


def test_dates_are_jalali_with_persian_digits_in_persian(manager_client):
    standing(
        OrganizationFactory(name="Risky Co", tier="gold"),
        at_risk_since=date(2027, 1, 5),
        forecast_loss_on=date(2027, 3, 1),
    )
    body = manager_client.get("/fa/tiers/").content.decode()
    assert "۱۵ دی ۱۴۰۵" in body  # 5 January 2027
    assert "۱۰ اسفند ۱۴۰۵" in body  # 1 March 2027


# -- Filters, search, sort and pages ----------------------------------------------------------


@pytest.fixture
def spread():
    """Organizations in every state the filters tell apart."""
    standing(OrganizationFactory(name="Pending Co", tier="silver"), eligible="gold", pending="gold", certified_people=5)
    standing(
        OrganizationFactory(name="Risky Co", tier="gold"),
        eligible="silver",
        at_risk_since=TODAY - timedelta(days=3),
        demote_on=TODAY + timedelta(days=27),
        forecast_loss_on=TODAY + timedelta(days=20),
        certified_people=2,
    )
    standing(
        OrganizationFactory(name="Held Co", tier="platinum"),
        eligible="silver",
        override="platinum",
        forecast_loss_on=TODAY + timedelta(days=75),
        certified_people=9,
    )
    standing(OrganizationFactory(name="Steady Co", tier="silver"), eligible="silver", certified_people=1)
    OrganizationFactory(name="New Co", name_fa="شرکت تازه", tier="registered")


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("tier=silver", ["Pending Co", "Steady Co"]),
        ("eligible=silver", ["Held Co", "Risky Co", "Steady Co"]),
        ("status=pending", ["Pending Co"]),
        ("status=at_risk", ["Risky Co"]),
        ("status=override", ["Held Co"]),
        ("status=steady", ["New Co", "Steady Co"]),
        ("forecast=30", ["Risky Co"]),
        ("forecast=90", ["Held Co", "Risky Co"]),
        ("q=co", ["Held Co", "New Co", "Pending Co", "Risky Co", "Steady Co"]),
        ("q=RISKY", ["Risky Co"]),
        ("q=تازه", ["New Co"]),
        ("tier=silver&status=steady", ["Steady Co"]),
    ],
)
def test_filters_and_search_narrow_the_list(manager_client, spread, query, expected):
    assert listed(manager_client.get(f"{DASHBOARD}?{query}")) == expected


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", ["Held Co", "New Co", "Pending Co", "Risky Co", "Steady Co"]),
        ("sort=name&order=desc", ["Steady Co", "Risky Co", "Pending Co", "New Co", "Held Co"]),
        ("sort=tier", ["New Co", "Pending Co", "Steady Co", "Risky Co", "Held Co"]),
        ("sort=tier&order=desc", ["Held Co", "Risky Co", "Pending Co", "Steady Co", "New Co"]),
        # Without a forecast date last, whichever way.
        ("sort=forecast", ["Risky Co", "Held Co", "New Co", "Pending Co", "Steady Co"]),
        ("sort=forecast&order=desc", ["Held Co", "Risky Co", "New Co", "Pending Co", "Steady Co"]),
        ("sort=people&order=desc", ["Held Co", "Pending Co", "Risky Co", "Steady Co", "New Co"]),
        ("sort=people", ["New Co", "Steady Co", "Risky Co", "Pending Co", "Held Co"]),
    ],
)
def test_the_list_sorts_by_name_tier_forecast_and_people(manager_client, spread, query, expected):
    assert listed(manager_client.get(f"{DASHBOARD}?{query}")) == expected


def test_in_persian_the_list_sorts_by_the_persian_name(manager_client):
    OrganizationFactory(name="Alpha", name_fa="ی")
    OrganizationFactory(name="Beta", name_fa="الف")
    OrganizationFactory(name="Gamma", name_fa="")
    assert listed(manager_client.get("/fa/tiers/")) == ["Gamma", "الف", "ی"]


def test_a_value_that_is_not_a_choice_is_reported_and_ignored(manager_client, spread):
    response = manager_client.get(f"{DASHBOARD}?tier=diamond&status=pending")
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert listed(response) == ["Pending Co"]


def test_fifty_organizations_a_page_with_the_filters_kept_across_pages(manager_client):
    for number in range(55):
        OrganizationFactory(name=f"Org {number:02}", tier="silver")
    OrganizationFactory(name="Gold One", tier="gold")
    first = manager_client.get(f"{DASHBOARD}?tier=silver")
    assert len(listed(first)) == 50
    body = first.content.decode()
    assert "55 organizations" in body
    assert "Page 1 of 2" in body
    assert 'href="?tier=silver&amp;page=2"' in body
    second = manager_client.get(f"{DASHBOARD}?tier=silver&page=2")
    assert listed(second) == [f"Org {number:02}" for number in range(50, 55)]
    assert listed(manager_client.get(f"{DASHBOARD}?tier=silver&page=99")) == listed(second)


# -- The CSV export ---------------------------------------------------------------------------


def test_the_export_has_every_filtered_row_in_the_same_order(manager_client, spread):
    response = manager_client.get(f"{EXPORT}?eligible=silver&sort=people&order=desc")
    assert response.status_code == 200
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="partner-tiers-2027-02-10.csv"'
    assert "no-store" in response["Cache-Control"]
    rows = csv_rows(response)
    assert [row["name"] for row in rows] == ["Held Co", "Risky Co", "Steady Co"]
    risky = rows[1]
    assert risky["tier"] == "gold"
    assert risky["eligible_tier"] == "silver"
    assert risky["at_risk_since"] == (TODAY - timedelta(days=3)).isoformat()
    assert risky["demotion_due"] == (TODAY + timedelta(days=27)).isoformat()
    assert risky["would_lose_tier_on"] == (TODAY + timedelta(days=20)).isoformat()
    assert risky["certified_people"] == "2"
    assert rows[0]["override_tier"] == "platinum"


def test_the_export_is_not_limited_to_one_page(manager_client):
    for number in range(60):
        OrganizationFactory(name=f"Org {number:02}")
    assert len(csv_rows(manager_client.get(EXPORT))) == 60


def test_organizations_never_evaluated_are_exported_with_empty_standing(manager_client):
    OrganizationFactory(name="New Co", name_fa="شرکت تازه", slug="new-co")
    [row] = csv_rows(manager_client.get(EXPORT))
    assert row == {
        "slug": "new-co",
        "name": "New Co",
        "name_fa": "شرکت تازه",
        "tier": "registered",
        "eligible_tier": "",
        "pending_promotion_to": "",
        "at_risk_since": "",
        "demotion_due": "",
        "override_tier": "",
        "override_until": "",
        "would_lose_tier_on": "",
        "certified_people": "0",
    }


@pytest.mark.parametrize("name", ['=HYPERLINK("http://evil.example")', "+1+2", "-2+3", "@SUM(A1)"])
def test_spreadsheet_formulas_in_names_are_neutralised(manager_client, name):
    OrganizationFactory(name=name, name_fa=name)
    [row] = csv_rows(manager_client.get(EXPORT))
    assert row["name"] == "'" + name
    assert row["name_fa"] == "'" + name


def test_an_export_with_a_bad_filter_is_refused_not_guessed(manager_client, spread):
    response = manager_client.get(f"{EXPORT}?forecast=45")
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


# -- Approving and rejecting pending promotions -----------------------------------------------


@pytest.fixture
def pending_organizations():
    """Two organizations eligible for Silver, waiting for approval, and one steady one."""
    rules(promotion="approval")
    certification = builders.certification(validity_months=24)
    made = []
    for name in ("Alpha Pending", "Beta Pending"):
        organization = OrganizationFactory(name=name, tier="registered")
        builders.issue(member(organization), certification, issued_at=NOW - timedelta(days=5))
        made.append(organization)
    OrganizationFactory(name="Gamma Steady", tier="registered")
    evaluate_tiers()
    assert set(TierStanding.objects.filter(pending="silver").values_list("pk", flat=True)) == {o.pk for o in made}
    return made


def test_only_pending_promotions_get_a_checkbox_and_the_decision_buttons(manager_client, pending_organizations):
    body = manager_client.get(DASHBOARD).content.decode()
    assert body.count('name="organizations"') == 2
    assert 'value="approve"' in body and 'value="reject"' in body
    assert "csrfmiddlewaretoken" in body


def test_approving_in_bulk_promotes_and_records_who_and_why(manager_client, manager, pending_organizations):
    alpha, beta = pending_organizations
    response = manager_client.post(
        DECIDE,
        {
            "organizations": [alpha.pk, beta.pk],
            "decision": "approve",
            "reason": "Quarterly review",
            "next": "/tiers/?status=pending",
        },
        follow=True,
    )
    assert response.redirect_chain == [("/tiers/?status=pending", 302)]
    assert "2 promotions approved: Alpha Pending, Beta Pending" in response.content.decode()
    for organization in (alpha, beta):
        organization.refresh_from_db()
        assert organization.tier == "silver"
        change = TierChange.objects.get(organization=organization, kind=TierChange.Kind.PROMOTED)
        assert (change.actor, change.reason, change.from_tier, change.to_tier) == (
            manager,
            "Quarterly review",
            "registered",
            "silver",
        )
    assert not TierStanding.objects.filter(pending__gt="").exists()


def test_rejecting_needs_a_reason_and_changes_nothing_without_one(manager_client, pending_organizations):
    alpha, _beta = pending_organizations
    response = manager_client.post(
        DECIDE, {"organizations": [alpha.pk], "decision": "reject", "reason": " "}, follow=True
    )
    assert "Give a reason" in response.content.decode()
    assert TierStanding.objects.get(pk=alpha.pk).pending == "silver"
    assert not TierChange.objects.filter(kind=TierChange.Kind.PROMOTION_REJECTED).exists()


def test_rejecting_with_a_reason_records_the_rejection(manager_client, manager, pending_organizations):
    alpha, beta = pending_organizations
    response = manager_client.post(
        DECIDE, {"organizations": [alpha.pk], "decision": "reject", "reason": "Audit first"}, follow=True
    )
    assert "1 promotion rejected: Alpha Pending" in response.content.decode()
    stored = TierStanding.objects.get(pk=alpha.pk)
    assert (stored.pending, stored.rejected) == ("", "silver")
    rejection = TierChange.objects.get(kind=TierChange.Kind.PROMOTION_REJECTED)
    assert (rejection.organization, rejection.actor, rejection.reason) == (alpha, manager, "Audit first")
    assert TierStanding.objects.get(pk=beta.pk).pending == "silver"


def test_organizations_with_nothing_pending_are_reported_as_skipped(manager_client, pending_organizations):
    alpha, _beta = pending_organizations
    steady = OrganizationFactory(name="Delta Steady")
    standing(steady)
    response = manager_client.post(DECIDE, {"organizations": [alpha.pk, steady.pk], "decision": "approve"}, follow=True)
    body = response.content.decode()
    assert "1 promotion approved: Alpha Pending" in body
    assert "No promotion was pending for: Delta Steady" in body


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"decision": "approve"}, "Choose at least one organization"),
        ({"organizations": "999999", "decision": "approve"}, "no longer exists"),
        ({"organizations": "not-a-number", "decision": "approve"}, "no longer exists"),
        ({"organizations": "ALPHA", "decision": "promote"}, "Select a valid choice"),
        ({"organizations": "ALPHA", "decision": "approve", "reason": "x" * 501}, "at most 500 characters"),
    ],
)
def test_bad_decisions_are_refused_with_a_message_and_change_nothing(
    manager_client, pending_organizations, data, message
):
    alpha, _beta = pending_organizations
    if data.get("organizations") == "ALPHA":
        data = {**data, "organizations": alpha.pk}
    response = manager_client.post(DECIDE, data, follow=True)
    assert response.status_code == 200
    assert message in response.content.decode()
    alpha.refresh_from_db()
    assert alpha.tier == "registered"
    assert not TierChange.objects.filter(actor__isnull=False).exists()


def test_a_next_address_off_the_dashboard_is_not_followed(manager_client, pending_organizations):
    alpha, _beta = pending_organizations
    for target in ("https://evil.example/tiers/", "/admin/"):
        response = manager_client.post(DECIDE, {"organizations": [alpha.pk], "decision": "approve", "next": target})
        assert response["Location"] == "/tiers/"


@pytest.mark.parametrize("who", ["learner", "partner_admin", "course_author", "viewer"])
def test_only_tier_managers_can_decide(client, request, make_staff, pending_organizations, who):
    if who == "course_author":
        user = make_staff(StaffRole.COURSE_AUTHOR)
    elif who == "viewer":  # may see the tiers, not change them
        user = UserFactory(is_staff=True)
        user.user_permissions.add(Permission.objects.get(codename="view_tierstanding"))
    else:
        user = request.getfixturevalue(who)
    client.force_login(user)
    alpha, _beta = pending_organizations
    response = client.post(DECIDE, {"organizations": [alpha.pk], "decision": "approve"})
    assert response.status_code == 403
    alpha.refresh_from_db()
    assert alpha.tier == "registered"


def test_a_viewer_without_the_manage_permission_sees_no_decision_form(client, pending_organizations):
    viewer = UserFactory(is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_tierstanding"))
    client.force_login(viewer)
    response = client.get(DASHBOARD)
    assert response.status_code == 200
    assert 'name="organizations"' not in response.content.decode()


def test_deciding_needs_a_post_with_the_csrf_token(manager, pending_organizations):
    alpha, _beta = pending_organizations
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(manager)
    assert strict.get(DECIDE).status_code == 405
    assert strict.post(DECIDE, {"organizations": [alpha.pk], "decision": "approve"}).status_code == 403
    alpha.refresh_from_db()
    assert alpha.tier == "registered"


def test_anonymous_decisions_go_to_sign_in(client, pending_organizations):
    alpha, _beta = pending_organizations
    response = client.post(DECIDE, {"organizations": [alpha.pk], "decision": "approve"})
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_partner_member_given_the_tier_managers_group_still_sees_no_tiers(client, partner_admin):
    """Groups are for vendor staff: a partner admin put in the group by mistake is refused."""
    partner_admin.groups.add(Group.objects.get(name=StaffRole.TIER_MANAGER.value))
    client.force_login(partner_admin)
    assert client.get(DASHBOARD).status_code == 403
