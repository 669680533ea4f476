"""The tier engine, block by block and on whole programs modelled on AWS and Microsoft (pure,
no database)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from certifications.tiers.engine import evaluate, months_before, with_credentials, without_person
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

AS_OF = date(2027, 3, 31)

# slug → (competency, level)
CATALOG = {
    "cloud-practitioner": ("cloud", "foundational"),
    "cloud-architect": ("cloud", "associate"),
    "cloud-architect-pro": ("cloud", "professional"),
    "security-specialty": ("security", "specialty"),
    "data-specialty": ("data", "specialty"),
    "data-engineer": ("data", "associate"),
    "sales-accreditation": ("sales", "foundational"),
    "business-accreditation": ("business", "foundational"),
}
TECHNICAL = CredentialFilter(competencies=frozenset({"cloud", "security", "data"}))
BUSINESS = CredentialFilter(competencies=frozenset({"sales", "business"}))
PRO_OR_SPECIALTY = CredentialFilter(levels=frozenset({"professional", "specialty"}))


def D(value: str | int) -> Decimal:
    return Decimal(value)


def holds(person: int, *slugs: str, expires_on: date | None = None) -> list[CredentialFact]:
    return [CredentialFact(person, slug, *CATALOG[slug], expires_on=expires_on) for slug in slugs]


def team(people: range | list[int], *slugs: str) -> list[CredentialFact]:
    return [credential for person in people for credential in holds(person, *slugs)]


def facts(
    credentials: list[CredentialFact] = (),
    metrics: list[MetricValue] = (),
    gates: list[GateApproval] = (),
    as_of: date = AS_OF,
) -> OrganizationFacts:
    return OrganizationFacts(7, as_of, tuple(credentials), tuple(metrics), tuple(gates))


def judge(requirement: Requirement, org: OrganizationFacts, scores: tuple[Points, ...] = ()) -> RequirementResult:
    """The requirement's result, as the only tier above the entry tier."""
    rule_set = RuleSet((TierRule("registered", None), TierRule("silver", requirement)), scores)
    result = evaluate(rule_set, org).tiers[1].result
    assert result is not None
    return result


def child(result: RequirementResult, id: str) -> RequirementResult:
    return next(child for child in result.children if child.id == id)


# -- Headcount ---------------------------------------------------------------------------

EIGHT_FOUR_FOUR = Headcount(
    "people", 8, subquotas=(SubQuota("technical", 4, TECHNICAL), SubQuota("business", 4, BUSINESS))
)
SIX_TECHNICAL_THREE_PRO = Headcount("technical", 6, filter=TECHNICAL, subquotas=(SubQuota("pro", 3, PRO_OR_SPECIALTY),))


@pytest.mark.parametrize(
    ("rule", "credentials", "met", "actual", "quotas"),
    [
        pytest.param(Headcount("h", 3), team(range(3), "cloud-architect"), True, 3, {}, id="3 people of 3"),
        pytest.param(Headcount("h", 3), team(range(2), "cloud-architect"), False, 2, {}, id="2 people of 3"),
        pytest.param(
            Headcount("h", 2),
            team([1], "cloud-architect", "cloud-architect-pro", "security-specialty"),
            False,
            1,
            {},
            id="a person with several credentials counts once",
        ),
        pytest.param(
            Headcount("h", 2, filter=CredentialFilter(certifications=frozenset({"cloud-architect-pro"}))),
            team([1, 2], "cloud-architect") + holds(3, "cloud-architect-pro"),
            False,
            1,
            {},
            id="only the named certification counts",
        ),
        pytest.param(
            Headcount(
                "h", 2, filter=CredentialFilter(competencies=frozenset({"cloud"}), levels=frozenset({"professional"}))
            ),
            holds(1, "cloud-architect-pro") + holds(2, "cloud-architect") + holds(3, "security-specialty"),
            False,
            1,
            {},
            id="competency and level combine with AND",
        ),
        pytest.param(
            EIGHT_FOUR_FOUR,
            team(range(4), "cloud-architect") + team(range(4, 8), "sales-accreditation"),
            True,
            8,
            {"people.technical": 4, "people.business": 4},
            id="8 people: 4 technical and 4 business",
        ),
        pytest.param(
            EIGHT_FOUR_FOUR,
            team(range(5), "cloud-architect") + team(range(5, 8), "sales-accreditation"),
            False,
            8,
            {"people.technical": 5, "people.business": 3},
            id="8 people: 5 technical and only 3 business",
        ),
        pytest.param(
            EIGHT_FOUR_FOUR,
            team(range(8), "cloud-architect", "business-accreditation"),
            True,
            8,
            {"people.technical": 8, "people.business": 8},
            id="8 people holding both count toward both quotas",
        ),
        pytest.param(
            EIGHT_FOUR_FOUR,
            team(range(4), "cloud-architect", "sales-accreditation"),
            False,
            4,
            {"people.technical": 4, "people.business": 4},
            id="quotas met by 4 people do not make the 8",
        ),
        pytest.param(
            SIX_TECHNICAL_THREE_PRO,
            team(range(3), "cloud-architect") + team(range(3, 6), "data-specialty"),
            True,
            6,
            {"technical.pro": 3},
            id="6 technical, 3 of them professional or specialty",
        ),
        pytest.param(
            SIX_TECHNICAL_THREE_PRO,
            team(range(4), "cloud-architect")
            + team(range(4, 6), "data-specialty")
            + team([6], "sales-accreditation", "cloud-architect-pro"),
            True,
            7,
            {"technical.pro": 3},
            id="a professional counts once toward technical and toward the quota",
        ),
        pytest.param(
            Headcount(
                "technical",
                2,
                filter=CredentialFilter(competencies=frozenset({"data"})),
                subquotas=(SubQuota("pro", 1, CredentialFilter(certifications=frozenset({"cloud-architect-pro"}))),),
            ),
            team([1, 2], "data-engineer") + holds(3, "cloud-architect-pro"),
            False,
            2,
            {"technical.pro": 0},
            id="the quota only counts people the headcount counted",
        ),
    ],
)
def test_headcount_counts_distinct_people_and_its_subquotas(
    rule: Headcount, credentials, met: bool, actual: int, quotas: dict[str, int]
):
    result = judge(rule, facts(credentials))
    assert (result.kind, result.met, result.actual) == (Kind.HEADCOUNT, met, D(actual))
    assert result.gap == max(D(0), D(rule.minimum) - D(actual))
    assert len(result.people) == actual
    assert {quota.id: int(quota.actual) for quota in result.children} == quotas
    assert all(quota.kind is Kind.SUBQUOTA and quota.people <= result.people for quota in result.children)


@pytest.mark.parametrize(
    ("expires_on", "counts"),
    [
        pytest.param(None, True, id="never expires"),
        pytest.param(date(2027, 4, 1), True, id="expires tomorrow"),
        pytest.param(AS_OF, False, id="expires today"),
        pytest.param(date(2026, 12, 31), False, id="expired"),
    ],
)
def test_a_credential_counts_until_its_expiry_day(expires_on: date | None, counts: bool):
    result = judge(Headcount("h", 1), facts(holds(1, "cloud-architect", expires_on=expires_on)))
    assert result.met is counts
    assert result.people == (frozenset({1}) if counts else frozenset())


def test_an_expired_credential_does_not_count_but_the_persons_valid_one_does():
    credentials = holds(1, "cloud-architect-pro", expires_on=date(2027, 1, 1)) + holds(1, "cloud-architect")
    pro = judge(Headcount("pro", 1, filter=PRO_OR_SPECIALTY), facts(credentials))
    anything = judge(Headcount("any", 1), facts(credentials))
    assert (pro.met, anything.met) == (False, True)


def test_a_person_counts_once_per_requirement_but_in_every_requirement():
    requirement = AllOf(
        "both",
        (
            Headcount("cloud", 2, filter=CredentialFilter(competencies=frozenset({"cloud"}))),
            Headcount("pro", 2, filter=PRO_OR_SPECIALTY),
        ),
    )
    result = judge(requirement, facts(team([1, 2], "cloud-architect-pro", "cloud-architect")))
    assert result.met
    assert [child.people for child in result.children] == [frozenset({1, 2}), frozenset({1, 2})]
    assert result.people == frozenset({1, 2})


def test_headcount_progress_counts_the_people_and_the_quotas():
    result = judge(EIGHT_FOUR_FOUR, facts(team(range(8), "cloud-architect")))
    # 8 of 8 people, 4 of 4 technical, 0 of 4 business
    assert result.progress == (D(1) + D(1) + D(0)) / 3
    assert not result.met and result.gap == 0


# -- Distinct competencies -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("rule", "credentials", "met", "actual"),
    [
        pytest.param(
            DistinctCompetencies("c", 3),
            holds(1, "cloud-architect") + holds(2, "data-engineer") + holds(3, "security-specialty"),
            True,
            3,
            id="3 competencies of 3",
        ),
        pytest.param(
            DistinctCompetencies("c", 3),
            holds(1, "cloud-architect", "cloud-architect-pro") + holds(2, "data-engineer"),
            False,
            2,
            id="two credentials in one competency are one competency",
        ),
        pytest.param(
            DistinctCompetencies("c", 2, people_each=2),
            team([1, 2], "cloud-architect") + team([3, 4], "data-engineer") + holds(5, "security-specialty"),
            True,
            2,
            id="2 competencies with 2 people each",
        ),
        pytest.param(
            DistinctCompetencies("c", 2, people_each=2),
            team([1, 2], "cloud-architect") + holds(3, "data-engineer", "data-specialty"),
            False,
            1,
            id="one person with two credentials is not 2 people",
        ),
        pytest.param(
            DistinctCompetencies("c", 2, people_each=1, filter=PRO_OR_SPECIALTY),
            holds(1, "cloud-architect") + holds(2, "data-engineer") + holds(3, "security-specialty"),
            False,
            1,
            id="only professional or specialty credentials count",
        ),
        pytest.param(
            DistinctCompetencies("c", 1),
            [CredentialFact(1, "partner-basics", "", "foundational")],
            False,
            0,
            id="a credential without a competency is none",
        ),
        pytest.param(
            DistinctCompetencies("c", 2, people_each=2),
            team([1, 2], "cloud-architect") + holds(3, "data-engineer") + holds(4, "data-engineer", expires_on=AS_OF),
            False,
            1,
            id="an expired credential leaves its competency short",
        ),
    ],
)
def test_distinct_competencies_count_competencies_with_enough_people(
    rule: DistinctCompetencies, credentials, met: bool, actual: int
):
    result = judge(rule, facts(credentials))
    assert (result.kind, result.met, result.actual, result.required) == (
        Kind.COMPETENCIES,
        met,
        D(actual),
        D(rule.minimum),
    )


def test_distinct_competencies_name_the_people_of_the_competencies_that_count():
    rule = DistinctCompetencies("c", 1, people_each=2)
    result = judge(rule, facts(team([1, 2], "cloud-architect") + holds(3, "data-engineer")))
    assert result.people == frozenset({1, 2})


# -- Metrics -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        pytest.param(date(2027, 3, 31), 12, date(2026, 3, 31), id="a year"),
        pytest.param(date(2027, 3, 31), 1, date(2027, 2, 28), id="clamped to February"),
        pytest.param(date(2024, 3, 31), 1, date(2024, 2, 29), id="clamped to a leap February"),
        pytest.param(date(2024, 2, 29), 12, date(2023, 2, 28), id="from a leap day"),
        pytest.param(date(2027, 1, 15), 1, date(2026, 12, 15), id="across a year"),
        pytest.param(date(2027, 1, 31), 13, date(2025, 12, 31), id="more than a year"),
        pytest.param(date(2027, 5, 31), 0, date(2027, 5, 31), id="no months"),
    ],
)
def test_months_before_clamps_to_the_end_of_the_month(day: date, months: int, expected: date):
    assert months_before(day, months) == expected


def revenue(*periods: tuple[date, int]) -> list[MetricValue]:
    return [MetricValue("revenue", end, D(value)) for end, value in periods]


MONTHLY = revenue(
    (date(2026, 3, 31), 1000),  # just outside a 12-month window ending 2027-03-31
    (date(2026, 4, 1), 10),
    (date(2026, 9, 30), 20),
    (date(2027, 3, 31), 30),
    (date(2027, 4, 30), 5000),  # after as_of
)


@pytest.mark.parametrize(
    ("source", "metrics", "as_of", "actual"),
    [
        pytest.param(MetricSource("revenue", Aggregate.SUM), MONTHLY, AS_OF, 1060, id="sum of everything up to as_of"),
        pytest.param(MetricSource("revenue", Aggregate.SUM, 12), MONTHLY, AS_OF, 60, id="sum over 12 months"),
        pytest.param(MetricSource("revenue", Aggregate.LATEST, 12), MONTHLY, AS_OF, 30, id="latest"),
        pytest.param(MetricSource("revenue", Aggregate.AVERAGE, 12), MONTHLY, AS_OF, 20, id="average over periods"),
        pytest.param(MetricSource("revenue", Aggregate.SUM, 12), MONTHLY, date(2027, 3, 30), 1030, id="a day earlier"),
        pytest.param(MetricSource("revenue", Aggregate.SUM, 12), [], AS_OF, 0, id="no periods give 0"),
        pytest.param(
            MetricSource("revenue", Aggregate.AVERAGE, 3),
            MONTHLY,
            AS_OF,
            30,
            id="average of the one period in 3 months",
        ),
        pytest.param(
            MetricSource("revenue", Aggregate.SUM, 12),
            revenue((date(2023, 2, 28), 1), (date(2023, 3, 1), 2), (date(2024, 2, 29), 4)),
            date(2024, 2, 29),
            6,
            id="window from a leap day",
        ),
        pytest.param(
            MetricSource("revenue", Aggregate.LATEST),
            revenue((date(2027, 3, 31), 30), (date(2027, 3, 31), 12), (date(2027, 2, 28), 99)),
            AS_OF,
            42,
            id="values of one period add up",
        ),
        pytest.param(MetricSource("csat", Aggregate.SUM), MONTHLY, AS_OF, 0, id="another metric's values do not count"),
    ],
)
def test_metric_values_aggregate_the_periods_in_the_window(source: MetricSource, metrics, as_of: date, actual: int):
    result = judge(MetricAtLeast("m", source, D(60)), facts(metrics=metrics, as_of=as_of))
    assert (result.kind, result.actual, result.met) == (Kind.METRIC, D(actual), actual >= 60)
    assert result.gap == max(D(0), D(60) - D(actual))


# -- Points ------------------------------------------------------------------------------

PEOPLE_ITEM = PointsItem("people", HeadcountSource(TECHNICAL), per_unit=D(5), cap=D(25), threshold=D(2))
REVENUE_ITEM = PointsItem("revenue", MetricSource("revenue", Aggregate.SUM, 12), per_unit=D("0.01"), cap=D(40))
LAUNCH_ITEM = PointsItem(
    "launches", MetricSource("launches", Aggregate.SUM, 12), D(10), D(30), threshold=D(3), partial_credit=False
)


@pytest.mark.parametrize(
    ("item", "credentials", "points"),
    [
        pytest.param(PEOPLE_ITEM, team(range(3), "cloud-architect"), 15, id="at the threshold: value × per unit"),
        pytest.param(PEOPLE_ITEM, team(range(9), "cloud-architect"), 25, id="capped"),
        pytest.param(PEOPLE_ITEM, team([1], "cloud-architect"), 5, id="below the threshold with partial credit"),
        pytest.param(
            PointsItem("people", HeadcountSource(TECHNICAL), D(5), D(25), threshold=D(2), partial_credit=False),
            team([1], "cloud-architect"),
            0,
            id="below the threshold without partial credit",
        ),
        pytest.param(
            PointsItem("people", HeadcountSource(TECHNICAL), D(5), D(25), threshold=D(2), partial_credit=False),
            team([1, 2], "cloud-architect"),
            10,
            id="at the threshold without partial credit",
        ),
        pytest.param(REVENUE_ITEM, [], 0, id="no revenue"),
    ],
)
def test_a_points_item_scores_by_threshold_partial_credit_and_cap(item: PointsItem, credentials, points: int):
    result = judge(Points("p", (item,), minimum_total=D(10)), facts(credentials))
    (scored,) = result.children
    assert (scored.kind, scored.points, result.actual) == (Kind.POINTS_ITEM, D(points), D(points))
    assert (scored.required, scored.met) == (item.threshold, scored.actual >= item.threshold)
    assert result.met is (points >= 10)


@pytest.mark.parametrize(
    ("every_item_above_zero", "credentials", "revenue_value", "met", "total"),
    [
        pytest.param(False, team(range(4), "cloud-architect"), 3000, True, 50, id="total reached"),
        pytest.param(False, team(range(4), "cloud-architect"), 0, False, 20, id="total short"),
        pytest.param(False, [], 6000, True, 40, id="one item alone can reach the total"),
        pytest.param(True, [], 6000, False, 40, id="every item must score"),
        pytest.param(True, team([1], "cloud-architect"), 6000, True, 45, id="every item scores"),
    ],
)
def test_points_need_the_minimum_total_and_maybe_every_item_above_zero(
    every_item_above_zero: bool, credentials, revenue_value: int, met: bool, total: int
):
    rule = Points("p", (PEOPLE_ITEM, REVENUE_ITEM), minimum_total=D(40), every_item_above_zero=every_item_above_zero)
    result = judge(rule, facts(credentials, revenue((date(2027, 1, 31), revenue_value))))
    assert (result.kind, result.met, result.actual, result.gap) == (
        Kind.POINTS,
        met,
        D(total),
        max(D(0), D(40) - D(total)),
    )
    assert [item.id for item in result.children] == ["p.people", "p.revenue"]


def test_a_points_item_that_scores_nothing_is_unmet_when_every_item_must_score():
    rule = Points("p", (PEOPLE_ITEM, REVENUE_ITEM), minimum_total=D(40), every_item_above_zero=True)
    result = judge(rule, facts(metrics=revenue((date(2027, 1, 31), 6000))))
    people, money = result.children
    assert (people.met, money.met) == (False, True)
    assert result.progress == (D(1) + D("0.5")) / 2  # the total is reached; one item of two scores


# -- Microsoft-like points program -------------------------------------------------------

# Solutions Partner style: 100 points possible, 70 needed, each category above zero.
CAPABILITY = Points(
    "capability",
    (
        PointsItem("performance", MetricSource("net_customer_adds", Aggregate.SUM, 12), D(2), D(30)),
        PointsItem(
            "skilling-intermediate",
            HeadcountSource(CredentialFilter(levels=frozenset({"associate"}))),
            D(5),
            D(20),
        ),
        PointsItem("skilling-advanced", HeadcountSource(PRO_OR_SPECIALTY), D(10), D(20)),
        PointsItem(
            "customer-success",
            MetricSource("deployments", Aggregate.SUM, 12),
            D(2),
            D(30),
            threshold=D(3),
            partial_credit=False,
        ),
    ),
    minimum_total=D(0),
    every_item_above_zero=True,
)
MICROSOFT = RuleSet(
    tiers=(
        TierRule("registered", None),
        TierRule("silver", ScoreAtLeast("silver-score", "capability", D(50))),
        TierRule("gold", ScoreAtLeast("gold-score", "capability", D(70))),
        TierRule(
            "platinum",
            AllOf("platinum", (ScoreAtLeast("platinum-score", "capability", D(90)), ManualGate("audit", "audit"))),
        ),
    ),
    scores=(CAPABILITY,),
)


def microsoft_partner(*, customers: int, associates: int, professionals: int, deployments: int, audited: bool = False):
    credentials = team(range(associates), "cloud-architect") + team(range(100, 100 + professionals), "data-specialty")
    metrics = [
        MetricValue("net_customer_adds", date(2026, 12, 31), D(customers)),
        MetricValue("deployments", date(2027, 2, 28), D(deployments)),
    ]
    gates = [GateApproval("audit", date(2028, 1, 1))] if audited else []
    return facts(credentials, metrics, gates)


@pytest.mark.parametrize(
    ("partner", "eligible", "score"),
    [
        pytest.param(
            {"customers": 10, "associates": 2, "professionals": 1, "deployments": 5}, "silver", 50, id="silver"
        ),
        pytest.param({"customers": 15, "associates": 4, "professionals": 2, "deployments": 5}, "gold", 80, id="gold"),
        pytest.param(
            {"customers": 15, "associates": 4, "professionals": 2, "deployments": 15},
            "gold",
            100,
            id="platinum score, no audit",
        ),
        pytest.param(
            {"customers": 15, "associates": 4, "professionals": 2, "deployments": 15, "audited": True},
            "platinum",
            100,
            id="platinum",
        ),
        pytest.param(
            {"customers": 15, "associates": 4, "professionals": 2, "deployments": 2},
            "registered",
            70,
            id="customer success below its threshold scores 0",
        ),
    ],
)
def test_microsoft_like_score_bands(partner: dict, eligible: str, score: int):
    evaluation = evaluate(MICROSOFT, microsoft_partner(**partner))
    assert evaluation.eligible == eligible
    silver = evaluation.tiers[1].result
    assert silver is not None and silver.kind is Kind.SCORE and silver.actual == D(score)


def test_score_bands_share_one_score_and_name_its_items():
    evaluation = evaluate(MICROSOFT, microsoft_partner(customers=15, associates=4, professionals=2, deployments=5))
    gold = evaluation.tiers[2].result
    assert gold is not None
    assert [(item.id, item.points) for item in gold.children] == [
        ("capability.performance", D(30)),
        ("capability.skilling-intermediate", D(20)),
        ("capability.skilling-advanced", D(20)),
        ("capability.customer-success", D(10)),
    ]
    assert evaluation.next_tier == "platinum"
    assert [gap.id for gap in evaluation.next_gaps] == ["platinum-score", "audit"]


def test_a_score_item_at_zero_is_a_gap_even_when_the_total_is_reached():
    evaluation = evaluate(MICROSOFT, microsoft_partner(customers=15, associates=4, professionals=2, deployments=2))
    assert evaluation.eligible == "registered"
    assert [gap.id for gap in evaluation.next_gaps] == ["capability.customer-success"]
    (gap,) = evaluation.next_gaps
    assert (gap.required, gap.actual, gap.gap) == (D(3), D(2), D(1))


# -- Manual gates ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("gates", "met"),
    [
        pytest.param([GateApproval("audit")], True, id="approved without expiry"),
        pytest.param([GateApproval("audit", date(2027, 4, 1))], True, id="expires tomorrow"),
        pytest.param([GateApproval("audit", AS_OF)], False, id="expires today"),
        pytest.param([GateApproval("audit", date(2026, 3, 31))], False, id="expired"),
        pytest.param(
            [GateApproval("audit", date(2026, 3, 31)), GateApproval("audit", date(2028, 3, 31))],
            True,
            id="re-approved",
        ),
        pytest.param([GateApproval("references")], False, id="another gate"),
        pytest.param([], False, id="never approved"),
    ],
)
def test_a_manual_gate_is_met_while_an_approval_is_valid(gates: list[GateApproval], met: bool):
    result = judge(ManualGate("audit-gate", "audit", "Technical audit"), facts(gates=gates))
    assert (result.kind, result.met, result.actual, result.required) == (Kind.GATE, met, D(int(met)), D(1))


# -- Combinations ------------------------------------------------------------------------

ONE_CLOUD = Headcount("cloud", 1, filter=CredentialFilter(competencies=frozenset({"cloud"})))
TWO_DATA = Headcount("data", 2, filter=CredentialFilter(competencies=frozenset({"data"})))
FOUR_SECURITY = Headcount("security", 4, filter=CredentialFilter(competencies=frozenset({"security"})))
AUDIT = ManualGate("audit", "audit")
SOME = holds(1, "cloud-architect") + holds(2, "data-engineer") + team([3, 4, 5], "security-specialty")


@pytest.mark.parametrize(
    ("requirement", "met", "actual", "gap", "progress"),
    [
        pytest.param(AllOf("all", (ONE_CLOUD,)), True, 1, 0, 1, id="all of one met"),
        pytest.param(AllOf("all", (ONE_CLOUD, TWO_DATA)), False, 1, 1, (1 + D("0.5")) / 2, id="all of, one unmet"),
        pytest.param(AllOf("all", ()), True, 0, 0, 1, id="all of nothing"),
        pytest.param(AnyOf("any", 1, (TWO_DATA, ONE_CLOUD)), True, 1, 0, 1, id="any of"),
        pytest.param(
            AnyOf("any", 2, (ONE_CLOUD, TWO_DATA, FOUR_SECURITY, AUDIT)),
            False,
            1,
            1,
            (1 + D("0.75")) / 2,
            id="2 of 4 with 1 met",
        ),
        pytest.param(
            AnyOf("any", 2, (ONE_CLOUD, Headcount("one-data", 1, filter=TWO_DATA.filter), AUDIT)),
            True,
            2,
            0,
            1,
            id="2 of 3 met",
        ),
        pytest.param(AnyOf("any", 3, (ONE_CLOUD, TWO_DATA)), False, 1, 2, (1 + D("0.5")) / 3, id="3 of only 2"),
        pytest.param(AnyOf("any", 0, (TWO_DATA,)), True, 0, 0, 1, id="0 of 1"),
    ],
)
def test_all_of_needs_every_part_and_any_of_count_parts(
    requirement: Requirement, met: bool, actual: int, gap: int, progress
):
    result = judge(requirement, facts(SOME))
    assert (result.met, result.actual, result.gap, result.progress) == (met, D(actual), D(gap), D(progress))


@pytest.mark.parametrize(
    ("tracks", "met", "best"),
    [
        pytest.param((Track("data", TWO_DATA), Track("cloud", ONE_CLOUD)), True, "cloud", id="the met track"),
        pytest.param(
            (Track("cloud", ONE_CLOUD), Track("cloud-again", ONE_CLOUD)), True, "cloud", id="the first met track"
        ),
        pytest.param(
            (Track("data", TWO_DATA), Track("security", FOUR_SECURITY)), False, "security", id="highest progress"
        ),
        pytest.param(
            (Track("data", TWO_DATA), Track("data-again", TWO_DATA)), False, "data", id="first of equal progress"
        ),
        pytest.param(
            (Track("security", FOUR_SECURITY), Track("points", Points("p", (PEOPLE_ITEM,), D(5)))),
            True,
            "points",
            id="a met track beats higher progress",
        ),
    ],
)
def test_tracks_report_the_best_track(tracks: tuple[Track, ...], met: bool, best: str):
    result = judge(Tracks("tracks", tracks), facts(SOME))
    assert (result.kind, result.met, result.best_track) == (Kind.TRACKS, met, best)
    assert [child.kind for child in result.children] == [Kind.TRACK] * len(tracks)
    best_child = next(child for child in result.children if child.id == f"tracks.{best}")
    assert result.progress == best_child.progress
    assert result.people == best_child.people


# -- The ladder ----------------------------------------------------------------------------


def ladder(silver: Requirement | None, gold: Requirement | None, platinum: Requirement | None = None) -> RuleSet:
    return RuleSet(
        (
            TierRule("registered", None),
            TierRule("silver", silver),
            TierRule("gold", gold),
            TierRule("platinum", platinum),
        )
    )


@pytest.mark.parametrize(
    ("rule_set", "eligible", "met", "next_tier"),
    [
        pytest.param(ladder(ONE_CLOUD, TWO_DATA, AUDIT), "silver", [True, True, False, False], "gold", id="silver"),
        pytest.param(
            ladder(TWO_DATA, ONE_CLOUD, ONE_CLOUD),
            "registered",
            [True, False, True, True],
            "silver",
            id="higher tiers met but silver not",
        ),
        pytest.param(ladder(ONE_CLOUD, ONE_CLOUD, ONE_CLOUD), "platinum", [True, True, True, True], None, id="the top"),
        pytest.param(ladder(ONE_CLOUD, None, TWO_DATA), "gold", [True, True, True, False], "platinum", id="gold free"),
        pytest.param(
            RuleSet((TierRule("registered", TWO_DATA), TierRule("silver", ONE_CLOUD))),
            "registered",
            [False, True],
            "silver",
            id="the first tier is the floor",
        ),
    ],
)
def test_eligibility_needs_every_lower_tier(rule_set: RuleSet, eligible: str, met: list[bool], next_tier: str | None):
    evaluation = evaluate(rule_set, facts(SOME))
    assert evaluation.eligible == eligible
    assert [tier.met for tier in evaluation.tiers] == met
    assert evaluation.next_tier == next_tier
    assert (evaluation.organization, evaluation.as_of) == (7, AS_OF)


def test_a_rule_set_without_tiers_is_refused():
    with pytest.raises(ValueError):
        evaluate(RuleSet(()), facts())


@pytest.mark.parametrize(
    ("gold", "gaps"),
    [
        pytest.param(AllOf("gold", (ONE_CLOUD, TWO_DATA, AUDIT)), ["data", "audit"], id="all of: every unmet part"),
        pytest.param(
            AnyOf("gold", 2, (ONE_CLOUD, AUDIT, FOUR_SECURITY, TWO_DATA)),
            ["security"],
            id="any of: the closest missing part",
        ),
        pytest.param(
            AnyOf("gold", 3, (AUDIT, FOUR_SECURITY, TWO_DATA)),
            ["security", "data", "audit"],
            id="any of: as many as are missing",
        ),
        pytest.param(
            Tracks("gold", (Track("audit", AUDIT), Track("people", AllOf("people", (TWO_DATA, FOUR_SECURITY))))),
            ["data", "security"],
            id="tracks: the best track's gaps only",
        ),
        pytest.param(EIGHT_FOUR_FOUR, ["people", "people.business"], id="headcount and its unmet quota"),
        pytest.param(
            Headcount("team", 4, subquotas=(SubQuota("business", 1, BUSINESS), SubQuota("cloud", 1, ONE_CLOUD.filter))),
            ["team.business"],
            id="only the unmet quota",
        ),
        pytest.param(
            Points("points", (PEOPLE_ITEM, REVENUE_ITEM, LAUNCH_ITEM), D(40)),
            ["points", "points.launches"],
            id="points and the item below its threshold",
        ),
    ],
)
def test_next_gaps_are_the_unmet_leaves_that_matter(gold: Requirement, gaps: list[str]):
    evaluation = evaluate(ladder(ONE_CLOUD, gold), facts(SOME))
    assert (evaluation.eligible, evaluation.next_tier) == ("silver", "gold")
    assert [gap.id for gap in evaluation.next_gaps] == gaps
    assert all(not gap.met for gap in evaluation.next_gaps)


def test_below_the_next_tier_an_unmet_floor_is_a_gap_too():
    rule_set = RuleSet((TierRule("registered", AUDIT), TierRule("silver", TWO_DATA)))
    evaluation = evaluate(rule_set, facts(SOME))
    assert [gap.id for gap in evaluation.next_gaps] == ["audit", "data"]


def test_at_the_top_there_are_no_gaps():
    evaluation = evaluate(ladder(ONE_CLOUD, ONE_CLOUD, ONE_CLOUD), facts(SOME))
    assert (evaluation.next_tier, evaluation.next_gaps) == (None, ())


# -- AWS-like program ------------------------------------------------------------------------

# Select, Advanced and Premier style: technical and business people, launched
# opportunities and references, and an audit with annual re-approval for the top tier.
PROFESSIONAL = CredentialFilter(levels=frozenset({"professional", "specialty"}))
AWS = RuleSet(
    tiers=(
        TierRule("registered", None),
        TierRule(
            "silver",
            AllOf(
                "select",
                (
                    Headcount(
                        "select-people",
                        4,
                        subquotas=(SubQuota("technical", 2, TECHNICAL), SubQuota("business", 2, BUSINESS)),
                    ),
                    MetricAtLeast("select-launches", MetricSource("launched_opportunities", Aggregate.SUM, 12), D(1)),
                ),
            ),
        ),
        TierRule(
            "gold",
            AllOf(
                "advanced",
                (
                    Headcount(
                        "advanced-technical",
                        6,
                        filter=TECHNICAL,
                        subquotas=(SubQuota("professional", 3, PROFESSIONAL),),
                    ),
                    Headcount("advanced-business", 4, filter=BUSINESS),
                    MetricAtLeast(
                        "advanced-launches", MetricSource("launched_opportunities", Aggregate.SUM, 12), D(20)
                    ),
                    MetricAtLeast("advanced-references", MetricSource("customer_references", Aggregate.SUM), D(4)),
                ),
            ),
        ),
        TierRule(
            "platinum",
            AllOf(
                "premier",
                (
                    Headcount(
                        "premier-technical",
                        25,
                        filter=TECHNICAL,
                        subquotas=(SubQuota("professional", 10, PROFESSIONAL),),
                    ),
                    DistinctCompetencies("premier-competencies", 3, people_each=2, filter=PROFESSIONAL),
                    MetricAtLeast(
                        "premier-launches", MetricSource("launched_opportunities", Aggregate.SUM, 12), D(100)
                    ),
                    ManualGate("premier-audit", "technical_audit"),
                ),
            ),
        ),
    )
)


def aws_partner(launches: int) -> OrganizationFacts:
    credentials = (
        team(range(4), "cloud-architect")
        + team(range(4, 6), "cloud-architect-pro")
        + holds(6, "security-specialty")
        + holds(7, "data-specialty", expires_on=date(2027, 3, 1))  # lapsed: not counted
        + team(range(10, 14), "sales-accreditation")
    )
    metrics = [
        MetricValue("launched_opportunities", date(2026, 6, 30), D(launches)),
        MetricValue("launched_opportunities", date(2025, 12, 31), D(50)),  # outside the window
        MetricValue("customer_references", date(2025, 6, 30), D(4)),
    ]
    return facts(credentials, metrics)


def test_aws_like_partner_reaches_advanced_but_not_premier():
    evaluation = evaluate(AWS, aws_partner(launches=25))
    assert evaluation.eligible == "gold"
    gold = evaluation.tiers[2].result
    assert gold is not None
    technical = child(gold, "advanced-technical")
    assert (technical.actual, child(technical, "advanced-technical.professional").actual) == (D(7), D(3))
    assert evaluation.next_tier == "platinum"
    assert [(gap.id, gap.gap) for gap in evaluation.next_gaps] == [
        ("premier-technical", D(18)),
        ("premier-technical.professional", D(7)),
        ("premier-competencies", D(2)),
        ("premier-launches", D(75)),
        ("premier-audit", D(1)),
    ]


def test_aws_like_partner_with_too_few_launches_in_the_last_year_stays_select():
    evaluation = evaluate(AWS, aws_partner(launches=19))
    assert evaluation.eligible == "silver"
    assert [(gap.id, gap.actual) for gap in evaluation.next_gaps] == [("advanced-launches", D(19))]


# -- What if -----------------------------------------------------------------------------


def test_without_a_person_their_credentials_no_longer_count():
    org = aws_partner(launches=25)
    lighter = without_person(org, 5)
    assert all(credential.person != 5 for credential in lighter.credentials)
    assert len(lighter.credentials) == len(org.credentials) - 1
    assert evaluate(AWS, lighter).eligible == "silver"  # the third professional left
    assert evaluate(AWS, org).eligible == "gold"  # the facts themselves are unchanged


def test_with_credentials_adds_them():
    org = aws_partner(launches=25)
    richer = with_credentials(org, holds(20, "sales-accreditation"))
    assert richer.credentials[:-1] == org.credentials
    assert richer.credentials[-1] == CredentialFact(20, "sales-accreditation", "sales", "foundational")
    business = evaluate(AWS, richer).tiers[2].result
    assert business is not None and child(business, "advanced-business").actual == D(5)
