"""When a tier would be lost if nothing were renewed (pure, no database)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

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
    ManualGate,
    MetricAtLeast,
    MetricSource,
    MetricValue,
    OrganizationFacts,
    Points,
    PointsItem,
    Requirement,
    RuleSet,
    ScoreAtLeast,
    SubQuota,
    TierRule,
    Track,
    Tracks,
)

AS_OF = date(2027, 3, 31)
MAY, JUNE, JULY, AUGUST = date(2027, 5, 1), date(2027, 6, 1), date(2027, 7, 1), date(2027, 8, 1)
CLOUD = CredentialFilter(competencies=frozenset({"cloud"}))
SALES = CredentialFilter(competencies=frozenset({"sales"}))


def cloud(person: int, expires_on: date | None) -> CredentialFact:
    return CredentialFact(person, "cloud-architect", "cloud", "associate", expires_on)


def sales(person: int, expires_on: date | None) -> CredentialFact:
    return CredentialFact(person, "sales-accreditation", "sales", "foundational", expires_on)


def data(person: int, expires_on: date | None) -> CredentialFact:
    return CredentialFact(person, "data-engineer", "data", "associate", expires_on)


def organization(credentials=(), gates=(), metrics=()) -> OrganizationFacts:
    return OrganizationFacts(3, AS_OF, tuple(credentials), tuple(metrics), tuple(gates))


def ladder(silver: Requirement | None, gold: Requirement | None, scores: tuple[Points, ...] = ()) -> RuleSet:
    return RuleSet((TierRule("registered", None), TierRule("silver", silver), TierRule("gold", gold)), scores)


THREE_CLOUD = Headcount("cloud", 3, filter=CLOUD)
STAGGERED = [cloud(1, MAY), cloud(2, JUNE), cloud(3, JULY), cloud(4, None)]


@pytest.mark.parametrize(
    ("gold", "credentials", "gates", "loss"),
    [
        pytest.param(THREE_CLOUD, STAGGERED, [], JUNE, id="headcount: when the third-latest expires"),
        pytest.param(THREE_CLOUD, [cloud(p, None) for p in range(3)], [], None, id="headcount: never expiring"),
        pytest.param(
            THREE_CLOUD,
            [*STAGGERED, cloud(1, AUGUST)],
            [],
            JULY,
            id="headcount: a person holds on until their last credential expires",
        ),
        pytest.param(THREE_CLOUD, STAGGERED[:2], [], AS_OF, id="not eligible now"),
        pytest.param(
            Headcount("team", 3, subquotas=(SubQuota("sales", 2, SALES),)),
            [cloud(1, None), cloud(2, None), cloud(3, None), sales(1, MAY), sales(2, JULY), sales(3, AUGUST)],
            [],
            JULY,
            id="sub-quota: when too few counted people still hold one",
        ),
        pytest.param(
            Headcount("team", 1, filter=CLOUD, subquotas=(SubQuota("sales", 2, SALES),)),
            [cloud(1, MAY), cloud(2, None), sales(1, AUGUST), sales(2, AUGUST)],
            [],
            MAY,
            id="sub-quota: a person stops counting when their headcount credential expires",
        ),
        pytest.param(
            DistinctCompetencies("spread", 2, people_each=2),
            [cloud(1, MAY), cloud(2, JULY), data(3, JUNE), data(4, AUGUST), sales(5, None), sales(6, None)],
            [],
            JUNE,
            id="competencies: when the second competency falls below 2 people",
        ),
        pytest.param(ManualGate("audit", "audit"), [], [GateApproval("audit", AUGUST)], AUGUST, id="gate expiry"),
        pytest.param(
            ManualGate("audit", "audit"),
            [],
            [GateApproval("audit", MAY), GateApproval("audit", None)],
            None,
            id="gate approved for good",
        ),
        pytest.param(
            AllOf("gold", (THREE_CLOUD, ManualGate("audit", "audit"))),
            STAGGERED,
            [GateApproval("audit", MAY)],
            MAY,
            id="all of: the first part lost",
        ),
        pytest.param(
            AnyOf(
                "gold",
                2,
                (
                    Headcount("a", 1, filter=CredentialFilter(certifications=frozenset({"data-engineer"}))),
                    ManualGate("audit", "audit"),
                    THREE_CLOUD,
                ),
            ),
            [*STAGGERED, data(9, AUGUST)],
            [GateApproval("audit", JULY)],
            JULY,
            id="any of 2: the second-latest part",
        ),
        pytest.param(
            Tracks("gold", (Track("people", THREE_CLOUD), Track("audit", ManualGate("audit", "audit")))),
            STAGGERED,
            [GateApproval("audit", JULY)],
            JULY,
            id="tracks: the last track lost",
        ),
        pytest.param(
            MetricAtLeast("revenue", MetricSource("revenue", Aggregate.SUM, 12), Decimal(100)),
            [],
            [],
            None,
            id="metrics are not forecast",
        ),
    ],
)
def test_earliest_loss_for_each_kind_of_requirement(gold: Requirement, credentials, gates, loss: date | None):
    metrics = [MetricValue("revenue", date(2026, 4, 30), Decimal(100))]  # leaves a 12-month window in a month
    assert earliest_loss(ladder(None, gold), organization(credentials, gates, metrics), "gold") == loss


def test_a_tier_is_lost_with_any_tier_below_it():
    rule_set = ladder(ManualGate("audit", "audit"), THREE_CLOUD)
    org = organization(STAGGERED, [GateApproval("audit", MAY)])
    assert earliest_loss(rule_set, org, "gold") == MAY
    assert earliest_loss(rule_set, org, "silver") == MAY


def test_the_floor_is_never_lost_and_an_unknown_tier_is_not_held():
    rule_set = RuleSet((TierRule("registered", THREE_CLOUD), TierRule("silver", None)))
    org = organization(STAGGERED)
    assert earliest_loss(rule_set, org, "registered") is None
    assert earliest_loss(rule_set, org, "silver") == JUNE
    assert earliest_loss(rule_set, org, "platinum") == AS_OF


PEOPLE_POINTS = Points(
    "capability",
    (
        PointsItem("cloud", HeadcountSource(CLOUD), per_unit=Decimal(10), cap=Decimal(40)),
        PointsItem("sales", HeadcountSource(SALES), per_unit=Decimal(5), cap=Decimal(10)),
    ),
    minimum_total=Decimal(0),
    every_item_above_zero=True,
)


@pytest.mark.parametrize(
    ("minimum", "credentials", "loss"),
    [
        pytest.param(40, [*STAGGERED, sales(8, None)], MAY, id="the total falls below the band"),
        pytest.param(25, [*STAGGERED, sales(8, None)], JULY, id="a lower band holds longer"),
        pytest.param(10, [*STAGGERED, sales(8, AUGUST)], AUGUST, id="an item falling to 0"),
        pytest.param(10, [*STAGGERED, sales(8, None)], None, id="never below"),
        pytest.param(50, [*STAGGERED, sales(8, None)], AS_OF, id="below the band now"),
    ],
)
def test_a_score_band_is_lost_when_the_total_or_an_item_falls(minimum: int, credentials, loss: date | None):
    rule_set = ladder(None, ScoreAtLeast("band", "capability", Decimal(minimum)), scores=(PEOPLE_POINTS,))
    assert earliest_loss(rule_set, organization(credentials), "gold") == loss
