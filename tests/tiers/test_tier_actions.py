"""What tier managers do by hand, business-metric imports, and the one tier gate other apps use."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile

from certifications.models import GateApproval, MetricValue, TierChange, TierStanding
from certifications.services.metrics import MetricImportError, import_metric_values
from certifications.services.tier_actions import (
    TierActionError,
    clear_override,
    decide_gate,
    decide_promotions,
    set_lock_in,
    set_override,
    submit_gate_evidence,
)
from certifications.services.tiers import evaluate_tiers
from lms import clock
from lms.partners.permissions import may_see_tier_content, tier_at_least
from lms.partners.roles import StaffRole
from tests.certifications import builders
from tests.factories import OrganizationFactory
from tests.tiers.test_evaluation_service import member, rules

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 2, 10, 9, 0, tzinfo=UTC)
TODAY = NOW.date()


@pytest.fixture(autouse=True)
def now(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)


@pytest.fixture
def manager(make_staff):
    return make_staff(StaffRole.TIER_MANAGER)


@pytest.fixture
def pending_organization():
    rules(promotion="approval")
    organization = OrganizationFactory(tier="registered")
    builders.issue(member(organization), builders.certification(validity_months=24), issued_at=NOW - timedelta(days=5))
    evaluate_tiers()
    assert TierStanding.objects.get(pk=organization.pk).pending == "silver"
    return organization


def test_approving_in_bulk_promotes_and_records_who(pending_organization, manager):
    steady = OrganizationFactory(tier="registered")
    result = decide_promotions(organization_ids=[pending_organization.pk, steady.pk], approve=True, actor=manager)
    assert result.done == (pending_organization.slug,)
    pending_organization.refresh_from_db()
    assert pending_organization.tier == "silver"
    change = TierChange.objects.get(organization=pending_organization, kind=TierChange.Kind.PROMOTED)
    assert change.actor == manager
    assert TierStanding.objects.get(pk=pending_organization.pk).pending == ""


def test_rejecting_needs_a_reason_and_is_not_raised_again(pending_organization, manager):
    with pytest.raises(TierActionError, match="Give a reason"):
        decide_promotions(organization_ids=[pending_organization.pk], approve=False, actor=manager, reason=" ")
    assert TierStanding.objects.get(pk=pending_organization.pk).pending == "silver"
    decide_promotions(organization_ids=[pending_organization.pk], approve=False, actor=manager, reason="Audit due")
    evaluate_tiers()
    standing = TierStanding.objects.get(pk=pending_organization.pk)
    assert (standing.pending, standing.rejected) == ("", "silver")
    rejection = TierChange.objects.get(kind=TierChange.Kind.PROMOTION_REJECTED)
    assert (rejection.actor, rejection.reason) == (manager, "Audit due")


def test_partner_people_and_other_staff_cannot_decide(pending_organization, partner_admin, make_staff):
    for actor in (partner_admin, make_staff(StaffRole.COURSE_AUTHOR)):
        with pytest.raises(PermissionDenied):
            decide_promotions(organization_ids=[pending_organization.pk], approve=True, actor=actor)
    pending_organization.refresh_from_db()
    assert pending_organization.tier == "registered"


def test_an_override_fixes_the_tier_until_it_is_cleared(pending_organization, manager):
    set_override(
        organization=pending_organization,
        tier="platinum",
        until=TODAY + timedelta(days=60),
        reason="Strategic partner",
        actor=manager,
    )
    evaluate_tiers()
    pending_organization.refresh_from_db()
    assert pending_organization.tier == "platinum"
    clear_override(organization=pending_organization, reason="Review done", actor=manager)
    standing = TierStanding.objects.get(pk=pending_organization.pk)
    assert standing.override == ""
    assert standing.at_risk_since == TODAY  # back under the rules, from platinum, with a grace period
    kinds = list(TierChange.objects.filter(organization=pending_organization).values_list("kind", flat=True))
    assert TierChange.Kind.OVERRIDE_SET in kinds and TierChange.Kind.OVERRIDE_ENDED in kinds


@pytest.mark.parametrize(
    ("tier", "until", "reason", "message"),
    [
        ("diamond", None, "x", "Choose one of the tiers"),
        ("gold", TODAY, "x", "must end after today"),
        ("gold", None, "", "Give a reason"),
        ("gold", None, "x" * 501, "too long"),
    ],
)
def test_bad_overrides_are_refused_and_change_nothing(pending_organization, manager, tier, until, reason, message):
    with pytest.raises(TierActionError, match=message):
        set_override(organization=pending_organization, tier=tier, until=until, reason=reason, actor=manager)
    pending_organization.refresh_from_db()
    assert pending_organization.tier == "registered"
    assert not TierChange.objects.filter(kind=TierChange.Kind.OVERRIDE_SET).exists()


def test_a_lock_in_delays_the_demotion(manager):
    rules(grace=10)
    organization = OrganizationFactory(tier="gold")
    set_lock_in(organization=organization, until=date(2027, 6, 30), reason="Contract", actor=manager)
    standing = TierStanding.objects.get(pk=organization.pk)
    assert standing.demote_on == date(2027, 6, 30)
    organization.refresh_from_db()
    assert organization.tier == "gold"


def test_gate_evidence_is_approved_with_an_expiry(manager, partner_admin, organization):
    approval = submit_gate_evidence(
        organization=organization,
        gate="partner-audit",
        evidence=ContentFile(b"%PDF-1.4", name="audit.pdf"),
        note="2027 audit",
        actor=partner_admin,
    )
    with pytest.raises(TierActionError, match="expire after today"):
        decide_gate(approval=approval, approve=True, expires_on=TODAY, reason="", actor=manager)
    decide_gate(approval=approval, approve=True, expires_on=TODAY + timedelta(days=365), reason="", actor=manager)
    approval.refresh_from_db()
    assert approval.status == GateApproval.Status.APPROVED
    assert approval.decided_by == manager
    with pytest.raises(TierActionError, match="already been decided"):
        decide_gate(approval=approval, approve=False, expires_on=None, reason="no", actor=manager)
    assert TierChange.objects.filter(kind=TierChange.Kind.GATE_APPROVED, actor=manager).count() == 1


def test_metric_values_import_all_or_nothing(manager, organization):
    from certifications.models import BusinessMetric

    BusinessMetric.objects.create(code="revenue", name="Revenue", unit="USD")
    good = f"organization,metric,period_end,value\n{organization.slug},revenue,2027-01-31,1250.50\n"
    result = import_metric_values(text=good, actor=manager)
    assert (result.rows, result.organizations) == (1, 1)
    assert MetricValue.objects.get().value == Decimal("1250.5")

    bad = (
        "organization,metric,period_end,value\n"
        f"{organization.slug},revenue,2027-02-28,10\n"
        "nobody,revenue,2027-02-28,10\n"
        f"{organization.slug},mrr,31/02/2027,ten\n"
    )
    with pytest.raises(MetricImportError) as refused:
        import_metric_values(text=bad, actor=manager)
    problems = refused.value.problems
    assert any(problem.startswith("Line 3:") and "nobody" in problem for problem in problems)
    assert sum(problem.startswith("Line 4:") for problem in problems) == 3
    assert MetricValue.objects.count() == 1  # nothing of the bad file was written


def test_metric_import_needs_the_header_and_permission(manager, partner_admin):
    with pytest.raises(MetricImportError, match="Line 1"):
        import_metric_values(text="org,value\nx,1\n", actor=manager)
    with pytest.raises(PermissionDenied):
        import_metric_values(text="organization,metric,period_end,value\n", actor=partner_admin)


@pytest.mark.parametrize(
    ("tier", "minimum", "allowed"),
    [
        ("gold", "silver", True),
        ("gold", "gold", True),
        ("silver", "gold", False),
        (None, "silver", False),
        (None, "", True),
        ("gold", "unknown", False),
    ],
)
def test_tier_at_least(tier, minimum, allowed):
    assert tier_at_least(tier, minimum) is allowed


def test_the_tier_gate_for_people(organization, learner, make_staff, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    organization.tier = "silver"
    organization.save()
    learner.refresh_from_db()
    assert may_see_tier_content(learner, "silver")
    assert not may_see_tier_content(learner, "gold")
    assert may_see_tier_content(make_staff(StaffRole.MARKETER), "platinum")
    assert not may_see_tier_content(AnonymousUser(), "silver")
    assert may_see_tier_content(AnonymousUser(), "")
