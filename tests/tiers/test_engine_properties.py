"""The tier engine and forecast against deliberately naive reference implementations, on
generated rule sets and facts (pure, no database)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st

from certifications.tiers.engine import evaluate, with_credentials, without_person
from certifications.tiers.forecast import earliest_loss
from certifications.tiers.rules import (
    Aggregate,
    AllOf,
    AnyOf,
    CredentialFact,
    CredentialFilter,
    DistinctCompetencies,
    GateApproval,
    Headcount,
    HeadcountSource,
    Kind,
    ManualGate,
    MetricAtLeast,
    MetricSource,
    MetricValue,
    OrganizationFacts,
    Points,
    PointsItem,
    Requirement,
    RequirementResult,
    RuleSet,
    ScoreAtLeast,
    SubQuota,
    TierRule,
    Track,
    Tracks,
)

LADDER = ("registered", "silver", "gold", "platinum")
CERTIFICATIONS = {
    "cloud-associate": ("cloud", "associate"),
    "cloud-pro": ("cloud", "professional"),
    "data-specialty": ("data", "specialty"),
    "sales": ("sales", "foundational"),
    "basics": ("", "foundational"),
}
COMPETENCIES = ("cloud", "data", "sales")
LEVELS = ("foundational", "associate", "professional", "specialty")
SCORES = ("s0", "s1")

# -- The naive reference ---------------------------------------------------------------------


def valid(expires_on: date | None, day: date) -> bool:
    return expires_on is None or expires_on > day


def matches(credential_filter: CredentialFilter, credential: CredentialFact) -> bool:
    return all(
        not wanted or value in wanted
        for wanted, value in (
            (credential_filter.certifications, credential.certification),
            (credential_filter.competencies, credential.competency),
            (credential_filter.levels, credential.level),
        )
    )


def holders(facts: OrganizationFacts, credential_filter: CredentialFilter) -> set[int]:
    return {
        credential.person
        for credential in facts.credentials
        if valid(credential.expires_on, facts.as_of) and matches(credential_filter, credential)
    }


def window_start(as_of: date, months: int) -> date:
    """Step back one month at a time."""
    year, month = as_of.year, as_of.month
    for _ in range(months):
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    following = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    last_day = (following - timedelta(days=1)).day
    return date(year, month, min(as_of.day, last_day))


def metric_value(facts: OrganizationFacts, source: MetricSource) -> Decimal:
    rows = [
        value
        for value in facts.metrics
        if value.metric == source.metric
        and value.period_end <= facts.as_of
        and (source.window_months is None or value.period_end > window_start(facts.as_of, source.window_months))
    ]
    if not rows:
        return Decimal(0)
    periods = {row.period_end for row in rows}
    if source.aggregate is Aggregate.LATEST:
        return sum((row.value for row in rows if row.period_end == max(periods)), Decimal(0))
    total = sum((row.value for row in rows), Decimal(0))
    return total / len(periods) if source.aggregate is Aggregate.AVERAGE else total


def item_points(facts: OrganizationFacts, item: PointsItem) -> Decimal:
    if isinstance(item.source, HeadcountSource):
        value = Decimal(len(holders(facts, item.source.filter)))
    else:
        value = metric_value(facts, item.source)
    if value < item.threshold and not item.partial_credit:
        return Decimal(0)
    return min(item.cap, value * item.per_unit)


def points_met(facts: OrganizationFacts, points: Points, minimum: Decimal) -> tuple[bool, Decimal]:
    scores = [item_points(facts, item) for item in points.items]
    total = sum(scores, Decimal(0))
    return total >= minimum and (not points.every_item_above_zero or all(score > 0 for score in scores)), total


def reference(rule_set: RuleSet, facts: OrganizationFacts, requirement: Requirement) -> tuple[bool, Decimal]:
    """(met, actual) of a requirement, computed from scratch."""
    match requirement:
        case Headcount():
            people = holders(facts, requirement.filter)
            quotas_met = all(
                len(people & holders(facts, quota.filter)) >= quota.minimum for quota in requirement.subquotas
            )
            return len(people) >= requirement.minimum and quotas_met, Decimal(len(people))
        case DistinctCompetencies():
            qualifying = [
                competency
                for competency in COMPETENCIES
                if len(
                    {
                        credential.person
                        for credential in facts.credentials
                        if credential.competency == competency
                        and valid(credential.expires_on, facts.as_of)
                        and matches(requirement.filter, credential)
                    }
                )
                >= requirement.people_each
            ]
            return len(qualifying) >= requirement.minimum, Decimal(len(qualifying))
        case MetricAtLeast():
            value = metric_value(facts, requirement.source)
            return value >= requirement.minimum, value
        case Points():
            return points_met(facts, requirement, requirement.minimum_total)
        case ScoreAtLeast():
            return points_met(facts, rule_set.score(requirement.score), requirement.minimum)
        case ManualGate():
            approved = any(
                gate.gate == requirement.gate and valid(gate.expires_on, facts.as_of) for gate in facts.gates
            )
            return approved, Decimal(int(approved))
        case AllOf():
            met = [reference(rule_set, facts, child)[0] for child in requirement.requirements]
            return all(met), Decimal(sum(met))
        case AnyOf():
            met = [reference(rule_set, facts, child)[0] for child in requirement.requirements]
            return sum(met) >= requirement.count, Decimal(sum(met))
        case Tracks():
            met = [reference(rule_set, facts, track.requirement)[0] for track in requirement.tracks]
            return any(met), Decimal(sum(met))
    raise TypeError(requirement)


def reference_eligible(rule_set: RuleSet, facts: OrganizationFacts) -> str:
    """Judge every tier on its own; the highest one with every tier up to it met."""
    met = [tier.requirement is None or reference(rule_set, facts, tier.requirement)[0] for tier in rule_set.tiers]
    eligible = 0
    for index in range(len(met)):
        if all(met[: index + 1]):
            eligible = index
    return rule_set.tiers[eligible].code


def linear_loss(rule_set: RuleSet, facts: OrganizationFacts, tier_code: str) -> date | None:
    """Judge the facts as they would be after each expiry day, in order."""
    codes = [tier.code for tier in rule_set.tiers]

    def eligible_for(state: OrganizationFacts) -> bool:
        return codes.index(evaluate(rule_set, state).eligible) >= codes.index(tier_code)

    if not eligible_for(facts):
        return facts.as_of
    days = sorted(
        {c.expires_on for c in facts.credentials if c.expires_on is not None and c.expires_on > facts.as_of}
        | {g.expires_on for g in facts.gates if g.expires_on is not None and g.expires_on > facts.as_of}
    )
    for day in days:
        later = replace(
            facts,
            credentials=tuple(c for c in facts.credentials if valid(c.expires_on, day)),
            gates=tuple(g for g in facts.gates if valid(g.expires_on, day)),
        )
        if not eligible_for(later):
            return day
    return None


# -- Generated rules and facts ----------------------------------------------------------------

WINDOWS = (0, 1, 3, 12, 13)
AS_OF_DAYS = (date(2027, 3, 31), date(2024, 2, 29), date(2027, 1, 15))
small = st.integers(min_value=0, max_value=5)
numbers = st.sampled_from([Decimal(0), Decimal(1), Decimal(2), Decimal(5), Decimal(10), Decimal(25)])

filters = st.builds(
    CredentialFilter,
    certifications=st.frozensets(st.sampled_from(sorted(CERTIFICATIONS)), max_size=2),
    competencies=st.frozensets(st.sampled_from(COMPETENCIES), max_size=2),
    levels=st.frozensets(st.sampled_from(LEVELS), max_size=2),
)
metric_sources = st.builds(
    MetricSource,
    metric=st.sampled_from(["revenue", "launches", "absent"]),
    aggregate=st.sampled_from(list(Aggregate)),
    window_months=st.none() | st.sampled_from(WINDOWS),
)
points_items = st.builds(
    PointsItem,
    label=st.just("item"),
    source=metric_sources | st.builds(HeadcountSource, filter=filters),
    per_unit=st.sampled_from([Decimal(0), Decimal("0.5"), Decimal(1), Decimal(3)]),
    cap=st.sampled_from([Decimal(0), Decimal(5), Decimal(10), Decimal(20)]),
    threshold=st.sampled_from([Decimal(0), Decimal(1), Decimal(2), Decimal(5)]),
    partial_credit=st.booleans(),
)


def labelled_items(items: list[PointsItem]) -> tuple[PointsItem, ...]:
    return tuple(replace(item, label=f"item{index}") for index, item in enumerate(items))


def points(id: str) -> st.SearchStrategy[Points]:
    return st.builds(
        Points,
        id=st.just(id),
        items=st.lists(points_items, max_size=3).map(labelled_items),
        minimum_total=numbers,
        every_item_above_zero=st.booleans(),
    )


subquotas = st.lists(st.builds(SubQuota, label=st.just("q"), minimum=small, filter=filters), max_size=2).map(
    lambda quotas: tuple(replace(quota, label=f"q{index}") for index, quota in enumerate(quotas))
)
leaves = st.one_of(
    st.builds(Headcount, id=st.just("headcount"), minimum=small, filter=filters, subquotas=subquotas),
    st.builds(
        DistinctCompetencies,
        id=st.just("competencies"),
        minimum=st.integers(min_value=0, max_value=3),
        people_each=st.integers(min_value=1, max_value=3),
        filter=filters,
    ),
    st.builds(MetricAtLeast, id=st.just("metric"), source=metric_sources, minimum=numbers),
    points("points"),
    st.builds(ScoreAtLeast, id=st.just("score"), score=st.sampled_from(SCORES), minimum=numbers),
    st.builds(ManualGate, id=st.just("gate"), gate=st.sampled_from(["audit", "references"])),
)


def combinations(children: st.SearchStrategy[Requirement]) -> st.SearchStrategy[Requirement]:
    parts = st.lists(children, max_size=3).map(tuple)
    return st.one_of(
        st.builds(AllOf, id=st.just("all"), requirements=parts),
        st.builds(AnyOf, id=st.just("any"), count=st.integers(min_value=0, max_value=4), requirements=parts),
        parts.map(lambda tracks: Tracks("tracks", tuple(Track(f"t{i}", track) for i, track in enumerate(tracks)))),
    )


requirements = st.recursive(leaves, combinations, max_leaves=6)


@st.composite
def rule_sets(draw: st.DrawFn) -> RuleSet:
    size = draw(st.integers(min_value=1, max_value=4))
    tiers = tuple(TierRule(code, draw(st.none() | requirements)) for code in LADDER[:size])
    return RuleSet(tiers, tuple(draw(points(name)) for name in SCORES))


@st.composite
def credentials(draw: st.DrawFn, as_of: date) -> CredentialFact:
    slug = draw(st.sampled_from(sorted(CERTIFICATIONS)))
    expires_on = draw(st.none() | st.integers(min_value=-3, max_value=40).map(lambda d: as_of + timedelta(days=d)))
    person = draw(st.integers(min_value=0, max_value=3))  # few people, so that they hold several
    return CredentialFact(person, slug, *CERTIFICATIONS[slug], expires_on=expires_on)


def period_ends(as_of: date) -> st.SearchStrategy[date]:
    """Days around window boundaries (a whole number of months before as_of), and others."""
    near_boundaries = st.builds(
        lambda months, shift: window_start(as_of, months) + timedelta(days=shift),
        st.sampled_from(WINDOWS),
        st.integers(min_value=-1, max_value=1),
    )
    return near_boundaries | st.integers(min_value=-40, max_value=500).map(lambda d: as_of - timedelta(days=d))


@st.composite
def organization_facts(draw: st.DrawFn) -> OrganizationFacts:
    as_of = draw(st.sampled_from(AS_OF_DAYS))
    metrics = draw(
        st.lists(
            st.builds(
                MetricValue,
                metric=st.sampled_from(["revenue", "launches"]),
                period_end=period_ends(as_of),
                value=st.integers(min_value=-5, max_value=50).map(Decimal),
            ),
            max_size=6,
        )
    )
    gates = draw(
        st.lists(
            st.builds(
                GateApproval,
                gate=st.sampled_from(["audit", "references"]),
                expires_on=st.none() | st.integers(min_value=-3, max_value=40).map(lambda d: as_of + timedelta(days=d)),
            ),
            max_size=3,
        )
    )
    return OrganizationFacts(
        1, as_of, tuple(draw(st.lists(credentials(as_of), max_size=14))), tuple(metrics), tuple(gates)
    )


# -- Properties ------------------------------------------------------------------------------


def assert_consistent(result: RequirementResult) -> None:
    """Progress lies in [0, 1] and is 1 when met; a numeric gap is what is missing."""
    assert Decimal(0) <= result.progress <= Decimal(1)
    assert not result.met or result.progress == 1
    if result.kind not in (Kind.ALL_OF, Kind.ANY_OF, Kind.TRACKS):
        assert result.gap == max(Decimal(0), result.required - result.actual)
    for child in result.children:
        assert_consistent(child)


def assert_matches_reference(rule_set: RuleSet, facts: OrganizationFacts, rule: Requirement, result: RequirementResult):
    assert (result.met, result.actual) == reference(rule_set, facts, rule)
    match rule:
        case AllOf() | AnyOf():
            for child_rule, child in zip(rule.requirements, result.children, strict=True):
                assert_matches_reference(rule_set, facts, child_rule, child)
        case Tracks():
            for track, child in zip(rule.tracks, result.children, strict=True):
                (inner,) = child.children
                assert (child.met, child.actual) == (inner.met, inner.actual)
                assert_matches_reference(rule_set, facts, track.requirement, inner)
            if rule.tracks:
                best = next(child for child in result.children if child.id == f"{rule.id}.{result.best_track}")
                if result.met:
                    assert best is next(child for child in result.children if child.met)
                else:
                    assert best is max(result.children, key=lambda child: child.progress)
        case Headcount():
            people = holders(facts, rule.filter)
            assert result.people == people
            for quota, quota_result in zip(rule.subquotas, result.children, strict=True):
                assert quota_result.people == people & holders(facts, quota.filter)
        case Points() | ScoreAtLeast():
            points = rule if isinstance(rule, Points) else rule_set.score(rule.score)
            assert [item.points for item in result.children] == [item_points(facts, item) for item in points.items]


@settings(max_examples=400)
@given(rule_sets(), organization_facts())
def test_engine_agrees_with_the_naive_reference(rule_set: RuleSet, facts: OrganizationFacts):
    evaluation = evaluate(rule_set, facts)
    assert evaluation.eligible == reference_eligible(rule_set, facts)
    for tier, result in zip(rule_set.tiers, evaluation.tiers, strict=True):
        assert result.code == tier.code
        if tier.requirement is None:
            assert result.met and result.result is None
        else:
            assert result.result is not None and result.met == result.result.met
            assert_matches_reference(rule_set, facts, tier.requirement, result.result)
            assert_consistent(result.result)
    codes = [tier.code for tier in rule_set.tiers]
    above = codes.index(evaluation.eligible) + 1
    assert evaluation.next_tier == (codes[above] if above < len(codes) else None)
    assert all(not gap.met for gap in evaluation.next_gaps)
    assert all(gap.kind not in (Kind.ALL_OF, Kind.TRACK) for gap in evaluation.next_gaps)
    if evaluation.next_tier is not None:
        assert evaluation.next_gaps, "something always stands between an organization and the next tier"


@given(rule_sets(), organization_facts(), st.data())
def test_adding_a_credential_never_lowers_the_eligible_tier(rule_set: RuleSet, facts: OrganizationFacts, data):
    credential = data.draw(credentials(facts.as_of))
    codes = [tier.code for tier in rule_set.tiers]
    before = codes.index(evaluate(rule_set, facts).eligible)
    after = codes.index(evaluate(rule_set, with_credentials(facts, [credential])).eligible)
    assert after >= before


@given(rule_sets(), organization_facts(), small)
def test_removing_a_person_never_raises_the_eligible_tier(rule_set: RuleSet, facts: OrganizationFacts, person: int):
    codes = [tier.code for tier in rule_set.tiers]
    without = without_person(facts, person)
    assert all(credential.person != person for credential in without.credentials)
    assert codes.index(evaluate(rule_set, without).eligible) <= codes.index(evaluate(rule_set, facts).eligible)


@settings(max_examples=400)
@given(rule_sets(), organization_facts(), st.data())
def test_forecast_agrees_with_judging_every_expiry_day_in_turn(rule_set: RuleSet, facts: OrganizationFacts, data):
    tier_code = data.draw(st.sampled_from([tier.code for tier in rule_set.tiers]))
    assert earliest_loss(rule_set, facts, tier_code) == linear_loss(rule_set, facts, tier_code)


@settings(max_examples=500)
@given(leaves, st.tuples(*(points(name) for name in SCORES)), organization_facts())
def test_each_kind_of_requirement_agrees_with_the_reference_now_and_in_the_forecast(
    rule: Requirement, scores: tuple[Points, ...], facts: OrganizationFacts
):
    rule_set = RuleSet((TierRule("registered", None), TierRule("silver", rule)), scores)
    result = evaluate(rule_set, facts).tiers[1].result
    assert result is not None
    assert_matches_reference(rule_set, facts, rule, result)
    assert_consistent(result)
    assert earliest_loss(rule_set, facts, "silver") == linear_loss(rule_set, facts, "silver")


@given(rule_sets(), organization_facts())
def test_forecast_of_the_current_tier_is_never_before_tomorrow(rule_set: RuleSet, facts: OrganizationFacts):
    loss = earliest_loss(rule_set, facts, evaluate(rule_set, facts).eligible)
    assert loss is None or loss > facts.as_of
