"""What happens to an organization's tier once the engine has said which tier it is eligible for.

Pure Python: promotions (automatic or held for approval), demotions after a grace period
and a lock-in, at the next cadence boundary, and manual overrides.

- A promotion takes effect at once under the automatic policy; under the approval policy
  it waits, pending, until a tier manager approves it. A rejected promotion is not raised
  again for the same tier until the eligible tier changes.
- A demotion never happens at once: the organization is first "at risk". It is demoted
  when the grace period has run out, not before its lock-in date, and at the start of the
  next quarter or year under those cadences. Becoming eligible again ends the risk.
- A manual override fixes the tier until it expires; nothing else changes it meanwhile.
  `Standing.current` is then the overriding tier. When the override ends, the rules take
  over from that tier: a lower eligible tier puts the organization at risk, a higher one
  promotes it.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from enum import StrEnum


class Promotion(StrEnum):
    AUTOMATIC = "automatic"
    APPROVAL = "approval"


class Cadence(StrEnum):
    CONTINUOUS = "continuous"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"


@dataclass(frozen=True)
class Policy:
    promotion: Promotion = Promotion.AUTOMATIC
    grace_days: int = 90
    cadence: Cadence = Cadence.CONTINUOUS


class EventKind(StrEnum):
    PROMOTED = "promoted"
    PROMOTION_PENDING = "promotion_pending"
    DEMOTED = "demoted"
    AT_RISK = "at_risk"
    RECOVERED = "recovered"
    OVERRIDE_ENDED = "override_ended"


@dataclass(frozen=True)
class Standing:
    """An organization's tier state between evaluations."""

    current: str
    pending: str | None = None
    rejected: str | None = None
    at_risk_since: date | None = None
    demote_on: date | None = None
    lock_in_until: date | None = None
    override: str | None = None
    override_until: date | None = None

    def override_active(self, today: date) -> bool:
        return self.override is not None and (self.override_until is None or today < self.override_until)


@dataclass(frozen=True)
class Event:
    kind: EventKind
    from_tier: str
    to_tier: str
    effective_on: date


@dataclass(frozen=True)
class Decision:
    standing: Standing
    events: tuple[Event, ...] = ()


def next_boundary(day: date, cadence: Cadence) -> date:
    """`day` itself when it starts a period of the cadence, else the next period's start."""
    if cadence is Cadence.CONTINUOUS:
        return day
    if cadence is Cadence.YEARLY:
        return day if (day.month, day.day) == (1, 1) else date(day.year + 1, 1, 1)
    quarter_start_month = 3 * ((day.month - 1) // 3) + 1
    if day.day == 1 and day.month == quarter_start_month:
        return day
    month = quarter_start_month + 3
    return date(day.year + (month > 12), (month - 1) % 12 + 1, 1)


def demotion_date(*, at_risk_since: date, policy: Policy, lock_in_until: date | None) -> date:
    earliest = at_risk_since + timedelta(days=policy.grace_days)
    if lock_in_until is not None and lock_in_until > earliest:
        earliest = lock_in_until
    return next_boundary(earliest, policy.cadence)


def decide(*, ladder: tuple[str, ...], policy: Policy, standing: Standing, eligible: str, today: date) -> Decision:
    """The new standing and what happened, given the tier the organization is eligible for."""
    if standing.override_active(today):
        return Decision(standing)
    events: list[Event] = []
    if standing.override is not None:
        events.append(Event(EventKind.OVERRIDE_ENDED, standing.override, standing.current, today))
        standing = replace(standing, override=None, override_until=None)
    rank = ladder.index
    current = standing.current
    if standing.rejected is not None and standing.rejected != eligible:
        standing = replace(standing, rejected=None)

    if rank(eligible) == rank(current):
        if standing.at_risk_since is not None:
            events.append(Event(EventKind.RECOVERED, current, current, today))
        standing = replace(standing, pending=None, at_risk_since=None, demote_on=None)
    elif rank(eligible) > rank(current):
        if standing.at_risk_since is not None:
            events.append(Event(EventKind.RECOVERED, current, current, today))
        standing = replace(standing, at_risk_since=None, demote_on=None)
        if policy.promotion is Promotion.AUTOMATIC:
            events.append(Event(EventKind.PROMOTED, current, eligible, today))
            standing = replace(standing, current=eligible, pending=None, rejected=None)
        elif standing.rejected == eligible:
            standing = replace(standing, pending=None)
        elif standing.pending != eligible:
            events.append(Event(EventKind.PROMOTION_PENDING, current, eligible, today))
            standing = replace(standing, pending=eligible)
    else:
        standing = replace(standing, pending=None)
        if standing.at_risk_since is None:
            demote_on = demotion_date(at_risk_since=today, policy=policy, lock_in_until=standing.lock_in_until)
            events.append(Event(EventKind.AT_RISK, current, eligible, demote_on))
            standing = replace(standing, at_risk_since=today, demote_on=demote_on)
        else:
            demote_on = demotion_date(
                at_risk_since=standing.at_risk_since, policy=policy, lock_in_until=standing.lock_in_until
            )
            standing = replace(standing, demote_on=demote_on)
        if today >= demote_on:
            events.append(Event(EventKind.DEMOTED, current, eligible, today))
            standing = replace(standing, current=eligible, at_risk_since=None, demote_on=None)
    return Decision(standing, tuple(events))


def approve(standing: Standing, today: date) -> Decision:
    """A tier manager approves the pending promotion."""
    if standing.pending is None:
        raise ValueError("no promotion is pending")
    event = Event(EventKind.PROMOTED, standing.current, standing.pending, today)
    return Decision(replace(standing, current=standing.pending, pending=None, rejected=None), (event,))


def reject(standing: Standing) -> Standing:
    """A tier manager rejects the pending promotion; it is not raised again for that tier."""
    if standing.pending is None:
        raise ValueError("no promotion is pending")
    return replace(standing, rejected=standing.pending, pending=None)
