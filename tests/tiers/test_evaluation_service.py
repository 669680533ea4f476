"""Evaluating tiers against the database: standings, the audit trail, re-evaluation when
credentials and memberships change, dry runs, and flat query counts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certifications.models import (
    Credential,
    HeadcountSample,
    TierChange,
    TierRuleSet,
    TierRuleSetVersion,
    TierStanding,
)
from certifications.services.status import change_credential_status
from certifications.services.tiers import NoActiveRules, evaluate_tiers
from certifications.transitions import ManualAction
from lms import clock
from lms.notifications.models import Notification
from lms.partners.models import Membership
from tests.certifications import builders
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 2, 10, 9, 0, tzinfo=UTC)

DEFINITION = {
    "tiers": [
        {"code": "registered"},
        {"code": "silver", "requirement": {"type": "headcount", "id": "silver-people", "minimum": 1, "filter": {}}},
        {
            "code": "gold",
            "requirement": {
                "type": "headcount",
                "id": "gold-people",
                "minimum": 2,
                "filter": {},
                "subquotas": [
                    {"label": "professional", "minimum": 1, "filter": {"levels": ["professional", "specialty"]}}
                ],
            },
        },
    ],
    "scores": [],
}


@pytest.fixture(autouse=True)
def now(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)


def rules(*, promotion: str = "automatic", grace: int = 30) -> TierRuleSetVersion:
    rule_set = TierRuleSet.objects.create(
        name="Program", is_active=True, promotion=promotion, demotion_grace_days=grace
    )
    return TierRuleSetVersion.objects.create(
        rule_set=rule_set, number=1, valid_from=date(2026, 1, 1), definition=DEFINITION
    )


@pytest.fixture
def certifications():
    return {
        "associate": builders.certification(validity_months=24),
        "professional": builders.certification(
            name="Zero Trust Professional",
            name_fa="متخصص اعتماد صفر",
            slug="zero-trust-professional",
            level="professional",
            validity_months=24,
        ),
    }


def member(organization, role=Membership.Role.LEARNER):
    return MembershipFactory(organization=organization, role=role).user


def test_without_rules_evaluation_is_refused_and_nothing_is_written():
    OrganizationFactory()
    with pytest.raises(NoActiveRules):
        evaluate_tiers()
    assert not TierStanding.objects.exists()
    with pytest.raises(CommandError, match="No active tier rule set"):
        call_command("evaluate_tiers")


def test_an_organization_is_promoted_with_an_audit_record(certifications):
    version = rules()
    organization = OrganizationFactory(tier="registered")
    first, second = member(organization), member(organization)
    builders.issue(first, certifications["associate"], issued_at=NOW - timedelta(days=10))
    builders.issue(second, certifications["professional"], issued_at=NOW - timedelta(days=10))

    evaluate_tiers()

    organization.refresh_from_db()
    assert organization.tier == "gold"
    standing = TierStanding.objects.get(pk=organization.pk)
    assert standing.eligible == "gold"
    assert standing.version == version
    assert standing.certified_people == 2
    change = TierChange.objects.get(organization=organization, kind=TierChange.Kind.PROMOTED)
    assert (change.from_tier, change.to_tier, change.actor) == ("registered", "gold", None)
    assert change.version == version
    assert change.snapshot["eligible"] == "gold"
    assert HeadcountSample.objects.get(organization=organization).certified_people == 2


def test_a_person_counts_once_however_many_credentials_they_hold(certifications):
    rules()
    organization = OrganizationFactory(tier="registered")
    person = member(organization)
    builders.issue(person, certifications["associate"], issued_at=NOW - timedelta(days=10))
    builders.issue(person, certifications["professional"], issued_at=NOW - timedelta(days=10))
    outcome = evaluate_tiers(organization_ids=[organization.pk])[0]
    assert outcome.evaluation.eligible == "silver"
    assert outcome.certified_people == 1


def test_a_revocation_puts_the_organization_at_risk_at_once_and_tells_its_admin(
    certifications, site_admin, django_capture_on_commit_callbacks
):
    rules(grace=30)
    organization = OrganizationFactory(tier="registered")
    admin = member(organization, Membership.Role.ADMIN)
    other = member(organization)
    builders.issue(admin, certifications["associate"], issued_at=NOW - timedelta(days=10))
    revoked = builders.issue(other, certifications["professional"], issued_at=NOW - timedelta(days=10))
    evaluate_tiers()
    organization.refresh_from_db()
    assert organization.tier == "gold"
    mail.outbox.clear()

    # The revocation's signal re-evaluates through the task queue (inline in tests).
    with django_capture_on_commit_callbacks(execute=True):
        change_credential_status(credential=revoked, action=ManualAction.REVOKE, actor=site_admin, reason="Fraud")

    organization.refresh_from_db()
    standing = TierStanding.objects.get(pk=organization.pk)
    assert organization.tier == "gold"  # the grace period holds the tier
    assert standing.eligible == "silver"
    assert standing.at_risk_since == NOW.date()
    assert standing.demote_on == NOW.date() + timedelta(days=30)
    assert TierChange.objects.filter(organization=organization, kind=TierChange.Kind.AT_RISK).count() == 1
    assert Notification.objects.filter(user=admin, kind="tier_at_risk").exists()
    assert any(admin.email in message.to for message in mail.outbox)


def test_leaving_the_organization_takes_the_person_out_of_the_count(certifications, django_capture_on_commit_callbacks):
    rules()
    organization = OrganizationFactory(tier="registered")
    person = member(organization)
    builders.issue(person, certifications["associate"], issued_at=NOW - timedelta(days=10))
    evaluate_tiers()
    assert TierStanding.objects.get(pk=organization.pk).eligible == "silver"

    with django_capture_on_commit_callbacks(execute=True):
        Membership.objects.filter(user=person).delete()

    assert TierStanding.objects.get(pk=organization.pk).eligible == "registered"


def test_approval_policy_holds_the_promotion_as_pending(certifications):
    rules(promotion="approval")
    organization = OrganizationFactory(tier="registered")
    builders.issue(member(organization), certifications["associate"], issued_at=NOW - timedelta(days=10))
    evaluate_tiers()
    organization.refresh_from_db()
    assert organization.tier == "registered"
    assert TierStanding.objects.get(pk=organization.pk).pending == "silver"
    assert TierChange.objects.filter(kind=TierChange.Kind.PROMOTION_PENDING).count() == 1
    # Evaluating again raises nothing new.
    evaluate_tiers()
    assert TierChange.objects.filter(kind=TierChange.Kind.PROMOTION_PENDING).count() == 1


def test_a_dry_run_writes_nothing(certifications):
    rules()
    organization = OrganizationFactory(tier="registered")
    builders.issue(member(organization), certifications["associate"], issued_at=NOW - timedelta(days=10))
    TierStanding.objects.all().delete()
    TierChange.objects.all().delete()
    outcomes = evaluate_tiers(dry_run=True)
    assert [outcome.evaluation.eligible for outcome in outcomes] == ["silver"]
    organization.refresh_from_db()
    assert organization.tier == "registered"
    assert not TierStanding.objects.exists()
    assert not TierChange.objects.exists()


def test_expired_credentials_do_not_count_and_the_forecast_is_the_first_expiry(certifications):
    rules()
    organization = OrganizationFactory(tier="registered")
    first, second = member(organization), member(organization)
    builders.issue(first, certifications["associate"], issued_at=NOW - timedelta(days=700))  # expires in ~30 days
    builders.issue(second, certifications["professional"], issued_at=NOW - timedelta(days=10))
    outcome = evaluate_tiers()[0]
    assert outcome.evaluation.eligible == "gold"
    expiry = Credential.objects.get(user=first).expires_at.date()
    assert outcome.forecast_loss_on == expiry


def test_an_unchanged_evaluation_writes_no_rows(certifications):
    rules()
    organization = OrganizationFactory(tier="registered")
    builders.issue(member(organization), certifications["associate"], issued_at=NOW - timedelta(days=10))
    evaluate_tiers()
    changes, samples = TierChange.objects.count(), HeadcountSample.objects.count()
    with CaptureQueriesContext(connection) as queries:
        evaluate_tiers()
    writes = [q["sql"] for q in queries.captured_queries if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE"))]
    assert writes == []
    assert (TierChange.objects.count(), HeadcountSample.objects.count()) == (changes, samples)


def _organizations_with_people(count: int, certification) -> None:
    for _ in range(count):
        organization = OrganizationFactory(tier="registered")
        for _person in range(3):
            builders.issue(member(organization), certification, issued_at=NOW - timedelta(days=10))


def test_the_full_run_uses_the_same_number_of_queries_for_3_or_15_organizations(certifications):
    rules()
    _organizations_with_people(3, certifications["associate"])
    evaluate_tiers()
    with CaptureQueriesContext(connection) as small:
        evaluate_tiers(dry_run=True)
    _organizations_with_people(12, certifications["associate"])
    evaluate_tiers()
    with CaptureQueriesContext(connection) as large:
        evaluate_tiers(dry_run=True)
    assert len(large) == len(small)


def test_the_command_prints_json_for_one_organization(certifications, capsys):
    rules()
    organization = OrganizationFactory(tier="registered")
    builders.issue(member(organization), certifications["associate"], issued_at=NOW - timedelta(days=10))
    call_command("evaluate_tiers", "--org", organization.slug, "--dry-run", "--json")
    import json

    document = json.loads(capsys.readouterr().out)
    assert document["dry_run"] is True
    [entry] = document["organizations"]
    assert entry["organization"] == organization.slug
    assert entry["eligible"] == "silver"
    assert entry["evaluation"]["gaps"]["en"]
    assert entry["evaluation"]["gaps"]["fa"]


def test_an_unknown_organization_is_a_command_error():
    rules()
    with pytest.raises(CommandError, match="No partner organization has the slug"):
        call_command("evaluate_tiers", "--org", "nobody")


def test_vendor_staff_without_an_organization_are_not_counted(certifications):
    rules()
    organization = OrganizationFactory(tier="registered")
    builders.issue(UserFactory(), certifications["associate"], issued_at=NOW - timedelta(days=10))
    assert evaluate_tiers()[0].certified_people == 0
    assert organization.pk == evaluate_tiers()[0].organization.pk


def test_an_organization_at_risk_is_forecast_for_the_tier_it_still_meets(certifications):
    """Held at Gold during the grace period but eligible for Silver: the forecast says when
    Silver would go, not "today" for the Gold it already misses."""
    rules(grace=30)
    organization = OrganizationFactory(tier="gold")
    person = member(organization)
    credential = builders.issue(person, certifications["associate"], issued_at=NOW - timedelta(days=700))
    outcome = evaluate_tiers()[0]
    assert outcome.decision.standing.current == "gold"
    assert outcome.decision.standing.at_risk_since == NOW.date()
    assert outcome.forecast_loss_on == credential.expires_at.date()


def test_a_tier_change_keeps_the_gaps_in_both_languages(certifications):
    rules()
    organization = OrganizationFactory(tier="registered")
    builders.issue(member(organization), certifications["associate"], issued_at=NOW - timedelta(days=10))
    evaluate_tiers()
    change = TierChange.objects.get(organization=organization, kind=TierChange.Kind.PROMOTED)
    assert change.snapshot["eligible"] == "silver"
    assert change.snapshot["gaps"]["en"] == [
        "1 more person certified",
        "1 more person certified at professional or specialty level",
    ]
    assert change.snapshot["gaps"]["fa"][0].startswith("۱")


def test_organizations_are_evaluated_in_batches_each_committed_on_its_own(certifications, monkeypatch):
    from certifications.services import tiers

    rules()
    organizations = [OrganizationFactory(tier="registered") for _ in range(5)]
    for organization in organizations:
        builders.issue(member(organization), certifications["associate"], issued_at=NOW - timedelta(days=10))
    monkeypatch.setattr(tiers, "BATCH_SIZE", 2)
    saved = tiers._save
    batches: list[list[int]] = []

    def save_then_fail_on_the_third(rules, outcomes, stored, on):
        batches.append([outcome.organization.pk for outcome in outcomes])
        if len(batches) == 3:
            raise RuntimeError("the database went away")
        return saved(rules, outcomes, stored, on)

    monkeypatch.setattr(tiers, "_save", save_then_fail_on_the_third)
    with pytest.raises(RuntimeError):
        evaluate_tiers()

    ids = sorted(organization.pk for organization in organizations)
    assert batches == [ids[0:2], ids[2:4], ids[4:5]]
    # The two batches before the failure stay saved; the third left nothing behind.
    assert sorted(TierStanding.objects.values_list("pk", flat=True)) == ids[:4]
    assert TierChange.objects.filter(organization_id=ids[4]).count() == 0

    monkeypatch.setattr(tiers, "_save", saved)
    outcomes = evaluate_tiers()
    assert [outcome.organization.pk for outcome in outcomes] == ids
    assert TierStanding.objects.filter(eligible="silver").count() == 5
