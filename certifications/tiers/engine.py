"""The tier engine: which tier an organization's people, metrics and approvals earn it, and
why. Pure Python over the frozen data of `certifications.tiers.rules`.

What counts, as of `facts.as_of`:

- A credential or gate approval counts while `expires_on` is None or later than `as_of`:
  `expires_on` is the first day it is no longer valid.
- A metric period counts when its `period_end` lies in (as_of - window_months, as_of],
  in calendar months (the day clamped to the month's end). Several values for one period
  add up; `latest` is then the latest period's value, `average` the mean over periods.
- Headcounts count distinct people. A sub-quota counts the people its headcount counted
  who also hold a matching credential; sub-quotas need not be disjoint, so one person can
  fill "4 technical" and "4 business" (as AWS and Microsoft count).
- Distinct competencies ignore credentials without a competency.
- A points item scores min(cap, value × per_unit) at or above its threshold (below it
  the same with partial credit, else 0). A score band (`ScoreAtLeast`) compares the
  score's total with the band's minimum (the score's own `minimum_total` is not used) and
  keeps the score's "every item above zero".
- Each tier is judged on its own (`TierResult.met`). The eligible tier is the highest one
  that is met together with every tier below it; the first tier is the floor, the answer
  when nothing is met, even if it has an unmet requirement of its own.

Progress is actual/required capped at 1, and 1 when met. A headcount with sub-quotas
averages its own and its quotas'; points that need every item above zero average the
total's and the share of items that score; all-of averages its parts, any-of its `count`
best parts, and tracks take the best track's. `next_gaps` are the leaves `gaps_of` finds
under the next tier (and under an unmet floor).

Result ids: a requirement's own id; `<parent id>.<label>` for sub-quotas and points items,
`<tracks id>.<name>` for tracks.
"""

from __future__ import annotations

from calendar import monthrange
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import date
from decimal import Decimal
from operator import attrgetter

from certifications.tiers.rules import (
    Aggregate,
    AllOf,
    AnyOf,
    CredentialFact,
    CredentialFilter,
    DistinctCompetencies,
    Evaluation,
    Headcount,
    HeadcountSource,
    Kind,
    ManualGate,
    MetricAtLeast,
    MetricSource,
    OrganizationFacts,
    Points,
    PointsItem,
    Requirement,
    RequirementResult,
    RuleSet,
    ScoreAtLeast,
    SubQuota,
    TierResult,
    Track,
    Tracks,
)

__all__ = ["evaluate", "gaps_of", "months_before", "with_credentials", "without_person"]

NEVER = date.max  # the expiry of what never expires
ZERO = Decimal(0)
ONE = Decimal(1)
NOBODY: frozenset[int] = frozenset()

type CredentialKey = tuple[str, str, str]  # certification, competency, level


def evaluate(rule_set: RuleSet, facts: OrganizationFacts) -> Evaluation:
    """Judge every tier of `rule_set` on `facts` and say which tier the organization is
    eligible for, which tier is next and what stands between it and the next one."""
    return Judge(rule_set, FactIndex.of(facts)).evaluation()


def without_person(facts: OrganizationFacts, person_id: int) -> OrganizationFacts:
    """The facts without one person's credentials (what if they left?)."""
    return replace(facts, credentials=tuple(c for c in facts.credentials if c.person != person_id))


def with_credentials(facts: OrganizationFacts, credentials: Iterable[CredentialFact]) -> OrganizationFacts:
    """The facts with more credentials (what if these people certified?)."""
    return replace(facts, credentials=(*facts.credentials, *credentials))


def months_before(day: date, months: int) -> date:
    """The same day `months` calendar months earlier, clamped to that month's last day."""
    year, month_index = divmod(day.year * 12 + day.month - 1 - months, 12)
    month = month_index + 1
    return date(year, month, min(day.day, monthrange(year, month)[1]))


# -- The facts, arranged once per organization ---------------------------------------------


class Holders:
    """The people holding a credential, valid on as_of, that matches one filter. Each group
    maps its holders to the first day their credential is no longer valid."""

    __slots__ = ("_expiries", "_groups", "_people", "_until")

    def __init__(self, groups: list[dict[int, date]]) -> None:
        self._groups = groups
        self._people: frozenset[int] | None = None
        self._until: dict[int, date] | None = None
        self._expiries: list[date] | None = None

    def people(self) -> frozenset[int]:
        if self._people is None:
            self._people = NOBODY.union(*self._groups)
        return self._people

    def until(self) -> dict[int, date]:
        """Each holder → the first day they hold no matching credential (for the forecast)."""
        if self._until is None:
            self._until = _latest(self._groups)
        return self._until

    def expiries(self) -> list[date]:
        """Those days, in ascending order."""
        if self._expiries is None:
            self._expiries = sorted(self.until().values())
        return self._expiries


class FactIndex:
    """One organization's facts arranged for the rules: the credentials valid on `as_of`
    grouped by certification, and memoized per filter; the metric periods per metric; the
    latest expiry of each gate. Built once, used for every requirement and by the
    forecast."""

    _last: tuple[OrganizationFacts, FactIndex] | None = None

    @classmethod
    def of(cls, facts: OrganizationFacts) -> FactIndex:
        """The index of `facts`, reused when the same facts object was indexed last (the
        service evaluates, then forecasts, each organization's facts in turn)."""
        last = cls._last
        if last is not None and last[0] is facts:
            return last[1]
        index = cls(facts)
        cls._last = (facts, index)
        return index

    def __init__(self, facts: OrganizationFacts) -> None:
        as_of = facts.as_of
        self.organization = facts.organization
        self.as_of = as_of
        holders: dict[CredentialKey, dict[int, date]] = {}
        samples: dict[CredentialKey, CredentialFact] = {}
        for credential in facts.credentials:
            until = credential.expires_on or NEVER
            if until <= as_of:
                continue
            key = (credential.certification, credential.competency, credential.level)
            people = holders.get(key)
            if people is None:
                holders[key] = {credential.person: until}
                samples[key] = credential
            elif people.get(credential.person, as_of) < until:
                people[credential.person] = until
        self._holders_by_key = holders
        self._samples = samples
        self._holders: dict[CredentialFilter, Holders] = {}
        self._competencies: dict[CredentialFilter, dict[str, Holders]] = {}

        periods: dict[str, dict[date, Decimal]] = {}
        for value in facts.metrics:
            if value.period_end <= as_of:
                metric = periods.setdefault(value.metric, {})
                metric[value.period_end] = metric.get(value.period_end, ZERO) + value.value
        self._periods = periods
        self._metric_values: dict[MetricSource, Decimal] = {}

        gates: dict[str, date] = {}  # each gate approved on as_of → the day its last approval expires
        for approval in facts.gates:
            until = approval.expires_on or NEVER
            if until > gates.get(approval.gate, as_of):
                gates[approval.gate] = until
        self.gate_until = gates

    def _matching(self, credential_filter: CredentialFilter) -> list[dict[int, date]]:
        return [self._holders_by_key[key] for key, sample in self._samples.items() if credential_filter.matches(sample)]

    def holders(self, credential_filter: CredentialFilter) -> Holders:
        holders = self._holders.get(credential_filter)
        if holders is None:
            holders = Holders(self._matching(credential_filter))
            self._holders[credential_filter] = holders
        return holders

    def competencies(self, credential_filter: CredentialFilter) -> dict[str, Holders]:
        """The holders of each competency, counting credentials that match the filter."""
        competencies = self._competencies.get(credential_filter)
        if competencies is None:
            grouped: dict[str, list[dict[int, date]]] = {}
            for key, sample in self._samples.items():
                if sample.competency and credential_filter.matches(sample):
                    grouped.setdefault(sample.competency, []).append(self._holders_by_key[key])
            competencies = {name: Holders(group) for name, group in grouped.items()}
            self._competencies[credential_filter] = competencies
        return competencies

    def metric(self, source: MetricSource) -> Decimal:
        value = self._metric_values.get(source)
        if value is None:
            value = self._aggregate(source)
            self._metric_values[source] = value
        return value

    def _aggregate(self, source: MetricSource) -> Decimal:
        periods = self._periods.get(source.metric, {})
        if source.window_months is not None:
            start = months_before(self.as_of, source.window_months)
            periods = {end: value for end, value in periods.items() if end > start}
        if not periods:
            return ZERO
        if source.aggregate is Aggregate.LATEST:
            return periods[max(periods)]
        total = sum(periods.values(), ZERO)
        if source.aggregate is Aggregate.AVERAGE:
            return total / len(periods)
        return total


def _latest(groups: list[dict[int, date]]) -> dict[int, date]:
    """Person → their latest expiry across the groups (a single group is used as it is)."""
    if len(groups) == 1:
        return groups[0]
    latest: dict[int, date] = {}
    for group in groups:
        for person, until in group.items():
            if latest.get(person, date.min) < until:
                latest[person] = until
    return latest


# -- Judging the rules -----------------------------------------------------------------------


def _progress(met: bool, actual: Decimal, required: Decimal) -> Decimal:
    if met:
        return ONE
    if required <= 0:
        return ZERO
    return min(ONE, max(ZERO, actual / required))


def _mean(values: list[Decimal]) -> Decimal:
    return sum(values, ZERO) / len(values) if values else ONE


def _union(results: Iterable[RequirementResult]) -> frozenset[int]:
    return NOBODY.union(*(result.people for result in results))


@dataclass(frozen=True)
class ScoreCard:
    """A points definition's items and total."""

    items: tuple[RequirementResult, ...]
    total: Decimal
    every_item_scored: bool


class Judge:
    """Judges the requirements of one rule set on one organization's facts."""

    def __init__(self, rule_set: RuleSet, index: FactIndex) -> None:
        self.rule_set = rule_set
        self.index = index
        self._scores: dict[str, ScoreCard] = {}

    def evaluation(self) -> Evaluation:
        if not self.rule_set.tiers:
            raise ValueError("a rule set needs at least one tier")
        tiers = tuple(self.tier(tier.code, tier.requirement) for tier in self.rule_set.tiers)
        eligible = _eligible_index(tiers)
        evaluation = Evaluation(self.index.organization, self.index.as_of, tiers[eligible].code, tiers)
        next_index = eligible + 1
        if next_index == len(tiers):
            return evaluation
        # Below the next tier only the floor can be unmet; its gaps stand in the way too.
        gaps = tuple(gap for tier in tiers[: next_index + 1] if tier.result is not None for gap in gaps_of(tier.result))
        return replace(evaluation, next_tier=tiers[next_index].code, next_gaps=gaps)

    def tier(self, code: str, requirement: Requirement | None) -> TierResult:
        if requirement is None:
            return TierResult(code, True, None)
        result = self.requirement(requirement)
        return TierResult(code, result.met, result)

    def requirement(self, requirement: Requirement) -> RequirementResult:
        match requirement:
            case Headcount():
                return self.headcount(requirement)
            case DistinctCompetencies():
                return self.distinct_competencies(requirement)
            case MetricAtLeast():
                return self.metric(requirement)
            case Points():
                return self.points(requirement)
            case ScoreAtLeast():
                return self.score_band(requirement)
            case ManualGate():
                return self.gate(requirement)
            case AllOf():
                return self.all_of(requirement)
            case AnyOf():
                return self.any_of(requirement)
            case Tracks():
                return self.tracks(requirement)
        raise TypeError(f"not a requirement: {requirement!r}")

    def people(self, credential_filter: CredentialFilter) -> frozenset[int]:
        return self.index.holders(credential_filter).people()

    def headcount(self, rule: Headcount) -> RequirementResult:
        counted = self.people(rule.filter)
        subquotas = tuple(self.subquota(rule, quota, counted) for quota in rule.subquotas)
        required, actual = Decimal(rule.minimum), Decimal(len(counted))
        met = actual >= required and all(quota.met for quota in subquotas)
        own = _progress(actual >= required, actual, required)
        return RequirementResult(
            id=rule.id,
            kind=Kind.HEADCOUNT,
            met=met,
            required=required,
            actual=actual,
            gap=max(ZERO, required - actual),
            progress=ONE if met else _mean([own, *(quota.progress for quota in subquotas)]),
            rule=rule,
            people=counted,
            children=subquotas,
        )

    def subquota(self, headcount: Headcount, quota: SubQuota, counted: frozenset[int]) -> RequirementResult:
        people = counted & self.people(quota.filter)
        required, actual = Decimal(quota.minimum), Decimal(len(people))
        return _leaf(f"{headcount.id}.{quota.label}", Kind.SUBQUOTA, quota, required, actual, people)

    def distinct_competencies(self, rule: DistinctCompetencies) -> RequirementResult:
        qualifying = [
            people
            for holders in self.index.competencies(rule.filter).values()
            if len(people := holders.people()) >= rule.people_each
        ]
        people = NOBODY.union(*qualifying)
        return _leaf(rule.id, Kind.COMPETENCIES, rule, Decimal(rule.minimum), Decimal(len(qualifying)), people)

    def metric(self, rule: MetricAtLeast) -> RequirementResult:
        return _leaf(rule.id, Kind.METRIC, rule, rule.minimum, self.index.metric(rule.source))

    def gate(self, rule: ManualGate) -> RequirementResult:
        approved = rule.gate in self.index.gate_until
        return _leaf(rule.id, Kind.GATE, rule, ONE, ONE if approved else ZERO)

    def score_card(self, points: Points) -> ScoreCard:
        items = tuple(self.points_item(points, item) for item in points.items)
        return ScoreCard(
            items=items,
            total=sum((_scored(item) for item in items), ZERO),
            every_item_scored=all(_scored(item) > 0 for item in items),
        )

    def points_item(self, points: Points, item: PointsItem) -> RequirementResult:
        people = NOBODY
        if isinstance(item.source, HeadcountSource):
            people = self.people(item.source.filter)
            value = Decimal(len(people))
        else:
            value = self.index.metric(item.source)
        scored = item_points(item, value)
        met = value >= item.threshold and (scored > 0 or not points.every_item_above_zero)
        return RequirementResult(
            id=f"{points.id}.{item.label}",
            kind=Kind.POINTS_ITEM,
            met=met,
            required=item.threshold,
            actual=value,
            gap=max(ZERO, item.threshold - value),
            progress=_progress(met, value, item.threshold),
            rule=item,
            people=people,
            points=scored,
        )

    def points(self, rule: Points) -> RequirementResult:
        return _points_result(rule.id, Kind.POINTS, rule, self.score_card(rule), rule.minimum_total, rule)

    def score_band(self, rule: ScoreAtLeast) -> RequirementResult:
        card = self._scores.get(rule.score)
        points = self.rule_set.score(rule.score)
        if card is None:
            card = self.score_card(points)
            self._scores[rule.score] = card
        return _points_result(rule.id, Kind.SCORE, rule, card, rule.minimum, points)

    def all_of(self, rule: AllOf) -> RequirementResult:
        children = tuple(self.requirement(child) for child in rule.requirements)
        met_count = sum(child.met for child in children)
        return RequirementResult(
            id=rule.id,
            kind=Kind.ALL_OF,
            met=met_count == len(children),
            required=Decimal(len(children)),
            actual=Decimal(met_count),
            gap=Decimal(len(children) - met_count),
            progress=_mean([child.progress for child in children]),
            rule=rule,
            people=_union(children),
            children=children,
        )

    def any_of(self, rule: AnyOf) -> RequirementResult:
        children = tuple(self.requirement(child) for child in rule.requirements)
        met_count = sum(child.met for child in children)
        met = met_count >= rule.count
        if met:
            progress = ONE
        else:  # the mean over the `count` children closest to being met (missing ones at 0)
            best = sorted((child.progress for child in children), reverse=True)[: rule.count]
            progress = sum(best, ZERO) / rule.count
        return RequirementResult(
            id=rule.id,
            kind=Kind.ANY_OF,
            met=met,
            required=Decimal(rule.count),
            actual=Decimal(met_count),
            gap=Decimal(max(0, rule.count - met_count)),
            progress=progress,
            rule=rule,
            people=_union(children),
            children=children,
        )

    def tracks(self, rule: Tracks) -> RequirementResult:
        children = tuple(self.track(rule, track) for track in rule.tracks)
        met_count = sum(child.met for child in children)
        best = _best_track(children)
        return RequirementResult(
            id=rule.id,
            kind=Kind.TRACKS,
            met=met_count > 0,
            required=ONE,
            actual=Decimal(met_count),
            gap=ZERO if met_count else ONE,
            progress=best.progress if best else ZERO,
            rule=rule,
            people=best.people if best else NOBODY,
            children=children,
            best_track=best.rule.name if best and isinstance(best.rule, Track) else None,
        )

    def track(self, tracks: Tracks, track: Track) -> RequirementResult:
        inner = self.requirement(track.requirement)
        return replace(inner, id=f"{tracks.id}.{track.name}", kind=Kind.TRACK, rule=track, children=(inner,))


def _points_result(
    id: str, kind: Kind, rule: Requirement, card: ScoreCard, required: Decimal, points: Points
) -> RequirementResult:
    """A points rule or score band: met when the total reaches `required` and, if the
    points definition says so, every item scores. Progress then also counts the share of
    items that score."""
    reaches = card.total >= required
    met = reaches and (card.every_item_scored or not points.every_item_above_zero)
    progress = _progress(reaches, card.total, required)
    if not met and points.every_item_above_zero and card.items:
        scored = sum(1 for item in card.items if _scored(item) > 0)
        progress = _mean([progress, Decimal(scored) / len(card.items)])
    return RequirementResult(
        id=id,
        kind=kind,
        met=met,
        required=required,
        actual=card.total,
        gap=max(ZERO, required - card.total),
        progress=ONE if met else progress,
        rule=rule,
        people=_union(card.items),
        children=card.items,
    )


def _scored(item: RequirementResult) -> Decimal:
    return item.points if item.points is not None else ZERO


def item_points(item: PointsItem, value: Decimal) -> Decimal:
    if value >= item.threshold or item.partial_credit:
        return min(item.cap, value * item.per_unit)
    return ZERO


def _leaf(
    id: str,
    kind: Kind,
    rule: Requirement | SubQuota,
    required: Decimal,
    actual: Decimal,
    people: frozenset[int] = NOBODY,
) -> RequirementResult:
    met = actual >= required
    return RequirementResult(
        id=id,
        kind=kind,
        met=met,
        required=required,
        actual=actual,
        gap=max(ZERO, required - actual),
        progress=_progress(met, actual, required),
        rule=rule,
        people=people,
    )


def _best_track(tracks: tuple[RequirementResult, ...]) -> RequirementResult | None:
    """The first met track, else the first with the highest progress."""
    for track in tracks:
        if track.met:
            return track
    return max(tracks, key=attrgetter("progress"), default=None)


def _eligible_index(tiers: tuple[TierResult, ...]) -> int:
    eligible = 0
    for index, tier in enumerate(tiers):
        if not tier.met:
            break
        eligible = index
    return eligible


def gaps_of(result: RequirementResult) -> Iterator[RequirementResult]:
    """The unmet leaf results that keep `result` from being met: for any-of, those of the
    unmet children closest to being met, as many as are missing; for tracks, the best
    track's. A headcount, points or score is itself a gap when its number falls short, and
    its unmet sub-quotas or items are gaps too. An any-of asking for more parts than it has,
    and tracks without any track, can never be met: they are gaps themselves."""
    if result.met:
        return
    match result.kind:
        case Kind.ALL_OF | Kind.TRACK:
            for child in result.children:
                yield from gaps_of(child)
        case Kind.ANY_OF:
            unmet = sorted(
                (child for child in result.children if not child.met), key=attrgetter("progress"), reverse=True
            )
            for child in unmet[: int(result.gap)]:
                yield from gaps_of(child)
            if len(unmet) < result.gap:  # asks for more parts than it has
                yield result
        case Kind.TRACKS:
            best = next(
                (
                    child
                    for child in result.children
                    if isinstance(child.rule, Track) and child.rule.name == result.best_track
                ),
                None,
            )
            if best is None:  # no tracks at all
                yield result
            else:
                yield from gaps_of(best)
        case Kind.HEADCOUNT | Kind.POINTS | Kind.SCORE:
            if result.actual < result.required:
                yield result
            for child in result.children:
                yield from gaps_of(child)
        case _:
            yield result
