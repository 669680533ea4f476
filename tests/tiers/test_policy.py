"""Promotion, risk, demotion, lock-in, cadence and override decisions (pure)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from certifications.tiers.policy import (
    Cadence,
    EventKind,
    Policy,
    Promotion,
    Standing,
    approve,
    decide,
    demotion_date,
    next_boundary,
    reject,
)

LADDER = ("registered", "silver", "gold", "platinum")
TODAY = date(2027, 2, 10)


DEFAULT_POLICY = Policy()


def run(standing: Standing, eligible: str, policy: Policy = DEFAULT_POLICY, today: date = TODAY):
    return decide(ladder=LADDER, policy=policy, standing=standing, eligible=eligible, today=today)


def kinds(decision) -> list[EventKind]:
    return [event.kind for event in decision.events]


def test_automatic_promotion_takes_effect_at_once():
    decision = run(Standing(current="silver"), "platinum")
    assert decision.standing.current == "platinum"
    assert kinds(decision) == [EventKind.PROMOTED]
    assert (decision.events[0].from_tier, decision.events[0].to_tier) == ("silver", "platinum")


def test_promotion_under_approval_waits_and_is_raised_once():
    approval = Policy(promotion=Promotion.APPROVAL)
    first = run(Standing(current="silver"), "gold", approval)
    assert first.standing.current == "silver"
    assert first.standing.pending == "gold"
    assert kinds(first) == [EventKind.PROMOTION_PENDING]
    again = run(first.standing, "gold", approval)
    assert again.events == ()
    assert again.standing.pending == "gold"


def test_approving_promotes_and_rejecting_is_not_raised_again_for_that_tier():
    pending = Standing(current="silver", pending="gold")
    approved = approve(pending, TODAY)
    assert approved.standing.current == "gold"
    assert approved.standing.pending is None
    assert kinds(approved) == [EventKind.PROMOTED]

    rejected = reject(pending)
    assert rejected.pending is None and rejected.rejected == "gold"
    approval = Policy(promotion=Promotion.APPROVAL)
    assert run(rejected, "gold", approval).events == ()
    # A different eligible tier raises a new request.
    assert kinds(run(rejected, "platinum", approval)) == [EventKind.PROMOTION_PENDING]


def test_nothing_pending_cannot_be_approved_or_rejected():
    with pytest.raises(ValueError):
        approve(Standing(current="silver"), TODAY)
    with pytest.raises(ValueError):
        reject(Standing(current="silver"))


def test_losing_eligibility_puts_at_risk_then_demotes_after_the_grace_period():
    policy = Policy(grace_days=30)
    at_risk = run(Standing(current="gold"), "silver", policy)
    assert at_risk.standing.current == "gold"
    assert at_risk.standing.at_risk_since == TODAY
    assert at_risk.standing.demote_on == TODAY + timedelta(days=30)
    assert kinds(at_risk) == [EventKind.AT_RISK]

    still = run(at_risk.standing, "silver", policy, TODAY + timedelta(days=29))
    assert still.events == () and still.standing.current == "gold"

    demoted = run(at_risk.standing, "silver", policy, TODAY + timedelta(days=30))
    assert demoted.standing.current == "silver"
    assert demoted.standing.at_risk_since is None
    assert kinds(demoted) == [EventKind.DEMOTED]


def test_recovering_during_the_grace_period_ends_the_risk():
    at_risk = run(Standing(current="gold"), "silver", Policy(grace_days=30))
    recovered = run(at_risk.standing, "gold", Policy(grace_days=30), TODAY + timedelta(days=5))
    assert recovered.standing.current == "gold"
    assert recovered.standing.at_risk_since is None and recovered.standing.demote_on is None
    assert kinds(recovered) == [EventKind.RECOVERED]


def test_demotion_goes_to_the_tier_eligible_on_the_day():
    policy = Policy(grace_days=10)
    at_risk = run(Standing(current="platinum"), "gold", policy)
    demoted = run(at_risk.standing, "registered", policy, TODAY + timedelta(days=10))
    assert demoted.standing.current == "registered"


def test_lock_in_holds_the_tier_until_its_date():
    lock_in = date(2027, 6, 30)
    policy = Policy(grace_days=10)
    at_risk = run(Standing(current="gold", lock_in_until=lock_in), "silver", policy)
    assert at_risk.standing.demote_on == lock_in
    assert run(at_risk.standing, "silver", policy, date(2027, 6, 29)).standing.current == "gold"
    assert run(at_risk.standing, "silver", policy, lock_in).standing.current == "silver"


@pytest.mark.parametrize(
    ("day", "cadence", "boundary"),
    [
        (date(2027, 2, 10), Cadence.CONTINUOUS, date(2027, 2, 10)),
        (date(2027, 2, 10), Cadence.QUARTERLY, date(2027, 4, 1)),
        (date(2027, 4, 1), Cadence.QUARTERLY, date(2027, 4, 1)),
        (date(2027, 11, 15), Cadence.QUARTERLY, date(2028, 1, 1)),
        (date(2027, 12, 31), Cadence.QUARTERLY, date(2028, 1, 1)),
        (date(2027, 2, 10), Cadence.YEARLY, date(2028, 1, 1)),
        (date(2027, 1, 1), Cadence.YEARLY, date(2027, 1, 1)),
    ],
    ids=lambda value: str(value),
)
def test_cadence_boundaries(day, cadence, boundary):
    assert next_boundary(day, cadence) == boundary


def test_quarterly_cadence_delays_the_demotion_to_the_next_quarter():
    policy = Policy(grace_days=30, cadence=Cadence.QUARTERLY)
    assert demotion_date(at_risk_since=TODAY, policy=policy, lock_in_until=None) == date(2027, 4, 1)
    at_risk = run(Standing(current="gold"), "silver", policy)
    assert run(at_risk.standing, "silver", policy, date(2027, 3, 31)).standing.current == "gold"
    assert run(at_risk.standing, "silver", policy, date(2027, 4, 1)).standing.current == "silver"


def test_an_active_override_fixes_the_tier():
    standing = Standing(current="gold", override="gold", override_until=date(2027, 3, 1))
    decision = run(standing, "registered")
    assert decision.standing == standing
    assert decision.events == ()


def test_an_ended_override_hands_back_to_the_rules_with_a_grace_period():
    standing = Standing(current="gold", override="gold", override_until=date(2027, 2, 1))
    decision = run(standing, "silver", Policy(grace_days=30))
    assert kinds(decision) == [EventKind.OVERRIDE_ENDED, EventKind.AT_RISK]
    assert decision.standing.override is None
    assert decision.standing.current == "gold"


def test_with_no_grace_the_demotion_is_immediate_but_still_recorded_as_at_risk_first():
    decision = run(Standing(current="gold"), "silver", Policy(grace_days=0))
    assert kinds(decision) == [EventKind.AT_RISK, EventKind.DEMOTED]
    assert decision.standing.current == "silver"


def test_steady_state_changes_nothing():
    decision = run(Standing(current="silver"), "silver")
    assert decision.events == ()
    assert decision.standing == Standing(current="silver")
