"""When an organization would lose a tier if nobody renewed a credential or had a gate
re-approved: the date that the "at risk in 30/60/90 days" warnings come from.

Only expiries are forecast. Metrics keep their value as of `facts.as_of` (a window does not
slide forward), and nobody joins, leaves or certifies.

Each requirement holds until a day computed from the expiries: a headcount of `n` until
the n-th latest expiry among its people, a combination until the first (all of), the
`count`-th latest (any of) or the last (tracks) of its parts' days; points by a binary
search over the days their headcount items lose someone. That is exact because losing
credentials never helps a requirement (points per unit are never negative); the tests
compare it with judging the facts after every expiry day in turn. It costs about one
evaluation, and reuses the facts' index when called right after `evaluate` on them.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from datetime import date
from decimal import Decimal

from certifications.tiers.engine import NEVER, FactIndex, Holders, item_points
from certifications.tiers.rules import (
    AllOf,
    AnyOf,
    DistinctCompetencies,
    Headcount,
    HeadcountSource,
    ManualGate,
    MetricAtLeast,
    OrganizationFacts,
    Points,
    Requirement,
    RuleSet,
    ScoreAtLeast,
    Tracks,
)

__all__ = ["earliest_loss"]


def earliest_loss(rule_set: RuleSet, facts: OrganizationFacts, tier_code: str) -> date | None:
    """The first day the organization is no longer eligible for `tier_code` (or a higher
    tier) as expiries pass; None if it never loses it (always so for the first tier).
    `facts.as_of` when it is not eligible for it now, or the rules have no such tier."""
    codes = [tier.code for tier in rule_set.tiers]
    if tier_code not in codes:
        return facts.as_of
    rank = codes.index(tier_code)
    if rank == 0:
        return None
    forecast = _Forecast(rule_set, FactIndex.of(facts))
    lost = min(
        (forecast.holds_until(tier.requirement) for tier in rule_set.tiers[: rank + 1] if tier.requirement is not None),
        default=NEVER,
    )
    return None if lost == NEVER else lost


def _kth_latest(days: list[date], count: int, as_of: date) -> date:
    """The first day fewer than `count` of `days` (sorted, each the first day something is
    gone) remain: the count-th latest of them."""
    if count <= 0:
        return NEVER
    if count > len(days):
        return as_of
    return days[len(days) - count]


class _Forecast:
    """Holds-until days of requirements: the first day each is no longer met (as_of when
    it is not met now, NEVER when it never stops being met)."""

    def __init__(self, rule_set: RuleSet, index: FactIndex) -> None:
        self.rule_set = rule_set
        self.index = index
        self.as_of = index.as_of

    def holds_until(self, requirement: Requirement) -> date:
        match requirement:
            case Headcount():
                return self.headcount(requirement)
            case DistinctCompetencies():
                return self.distinct_competencies(requirement)
            case MetricAtLeast():
                return NEVER if self.index.metric(requirement.source) >= requirement.minimum else self.as_of
            case Points():
                return self.points(requirement, requirement.minimum_total)
            case ScoreAtLeast():
                return self.points(self.rule_set.score(requirement.score), requirement.minimum)
            case ManualGate():
                return self.index.gate_until.get(requirement.gate, self.as_of)
            case AllOf():
                return min((self.holds_until(child) for child in requirement.requirements), default=NEVER)
            case AnyOf():
                days = sorted(self.holds_until(child) for child in requirement.requirements)
                return _kth_latest(days, requirement.count, self.as_of)
            case Tracks():
                return max((self.holds_until(track.requirement) for track in requirement.tracks), default=self.as_of)
        raise TypeError(f"not a requirement: {requirement!r}")

    def headcount(self, rule: Headcount) -> date:
        counted = self.index.holders(rule.filter)
        day = _kth_latest(counted.expiries(), rule.minimum, self.as_of)
        for quota in rule.subquotas:
            if day == self.as_of:
                break
            counted_until = counted.until()
            quota_until = self.index.holders(quota.filter).until()
            both = sorted(
                until if until < counted_until[person] else counted_until[person]
                for person, until in quota_until.items()
                if person in counted_until
            )
            day = min(day, _kth_latest(both, quota.minimum, self.as_of))
        return day

    def distinct_competencies(self, rule: DistinctCompetencies) -> date:
        days = sorted(
            _kth_latest(holders.expiries(), rule.people_each, self.as_of)
            for holders in self.index.competencies(rule.filter).values()
        )
        return _kth_latest(days, rule.minimum, self.as_of)

    def points(self, points: Points, required: Decimal) -> date:
        """The first day the total falls below `required` (or an item to 0 when every
        item must score). The total only changes on the days a headcount item loses
        someone, and only ever falls: a binary search over those days finds it."""
        items = [
            (item, self.index.holders(item.source.filter))
            if isinstance(item.source, HeadcountSource)
            else (item, self.index.metric(item.source))
            for item in points.items
        ]

        def reached_on(day: date) -> bool:
            scores = [
                item_points(item, _count_on(value, day) if isinstance(value, Holders) else value)
                for item, value in items
            ]
            return sum(scores, Decimal(0)) >= required and not (
                points.every_item_above_zero and any(score <= 0 for score in scores)
            )

        if not reached_on(self.as_of):
            return self.as_of
        days = sorted(
            {day for _item, value in items if isinstance(value, Holders) for day in value.expiries() if day != NEVER}
        )
        first_lost = bisect_left(days, True, key=lambda day: not reached_on(day))
        return days[first_lost] if first_lost < len(days) else NEVER


def _count_on(holders: Holders, day: date) -> Decimal:
    expiries = holders.expiries()
    return Decimal(len(expiries) - bisect_right(expiries, day))
