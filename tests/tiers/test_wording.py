"""Requirements and gaps in plain words, in English and in Persian."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from django.utils import translation

from certifications.tiers.engine import evaluate
from certifications.tiers.rules import (
    Aggregate,
    CredentialFact,
    CredentialFilter,
    Headcount,
    ManualGate,
    MetricAtLeast,
    MetricSource,
    MetricValue,
    OrganizationFacts,
    Points,
    PointsItem,
    RuleSet,
    SubQuota,
    TierRule,
)
from certifications.tiers.wording import Bilingual, Metric, Names, describe_gap, describe_requirement, explain_both

AS_OF = date(2027, 3, 1)
NAMES = Names(
    certifications={"zt-pro": Bilingual("Zero Trust Professional", "متخصص اعتماد صفر")},
    competencies={"cloud-security": Bilingual("Cloud Security", "امنیت ابری")},
    metrics={"revenue": Metric(Bilingual("Partner revenue", "درآمد شریک"), "USD")},
)
CLOUD_PRO = CredentialFilter(competencies=frozenset({"cloud-security"}), levels=frozenset({"professional"}))


def gaps(requirement, facts: OrganizationFacts, language: str = "en") -> list[str]:
    rule_set = RuleSet((TierRule("registered", None), TierRule("silver", requirement)))
    with translation.override(language):
        return [describe_gap(gap, NAMES) for gap in evaluate(rule_set, facts).next_gaps]


def credential(person: int, level: str = "professional", competency: str = "cloud-security") -> CredentialFact:
    return CredentialFact(person, "zt-pro", competency, level)


def test_a_headcount_gap_names_the_competency_and_level():
    facts = OrganizationFacts(1, AS_OF, credentials=(credential(1),))
    assert gaps(Headcount("h", 3, CLOUD_PRO), facts) == [
        "2 more people certified in Cloud Security at professional level"
    ]


def test_one_person_is_singular():
    facts = OrganizationFacts(1, AS_OF, credentials=(credential(1), credential(2)))
    assert gaps(Headcount("h", 3, CLOUD_PRO), facts) == [
        "1 more person certified in Cloud Security at professional level"
    ]


def test_a_certification_filter_names_the_certification():
    rule = Headcount("h", 1, CredentialFilter(certifications=frozenset({"zt-pro"})))
    assert gaps(rule, OrganizationFacts(1, AS_OF)) == ["1 more person holding Zero Trust Professional"]


def test_a_subquota_gap_keeps_a_label_that_adds_something():
    rule = Headcount("h", 2, subquotas=(SubQuota("technical", 2, CLOUD_PRO),))
    facts = OrganizationFacts(1, AS_OF, credentials=(credential(1), credential(2, level="associate")))
    assert gaps(rule, facts) == ["1 more person certified in Cloud Security at professional level (technical)"]


def test_a_metric_gap_gives_the_amounts_and_the_window():
    rule = MetricAtLeast("m", MetricSource("revenue", Aggregate.SUM, 12), Decimal(100000))
    facts = OrganizationFacts(1, AS_OF, metrics=(MetricValue("revenue", date(2027, 1, 31), Decimal("40000.00")),))
    assert gaps(rule, facts) == ["60000 USD more Partner revenue in the last 12 months (now 40000 USD of 100000 USD)"]


def test_a_points_gap_and_a_gate():
    points = Points(
        "p",
        (PointsItem("revenue", MetricSource("revenue"), Decimal("0.001"), Decimal(50)),),
        minimum_total=Decimal(60),
    )
    facts = OrganizationFacts(1, AS_OF, metrics=(MetricValue("revenue", date(2027, 1, 31), Decimal(20000)),))
    assert gaps(points, facts) == ["40 more points (now 20 of 60)"]
    assert gaps(ManualGate("g", "audit", "Annual partner audit"), facts) == [
        "A tier manager's approval of Annual partner audit"
    ]


def test_rules_are_described_as_sentences():
    assert describe_requirement(Headcount("h", 4, CLOUD_PRO), NAMES) == (
        "At least 4 people certified in Cloud Security at professional level"
    )
    with translation.override("fa"):
        sentence = describe_requirement(Headcount("h", 4, CLOUD_PRO), NAMES)
    assert "۴" in sentence
    assert "امنیت ابری" in sentence
    assert "At least" not in sentence


@pytest.mark.parametrize("language", ["en", "fa"])
def test_explain_both_gives_every_gap_in_both_languages(language):
    rule_set = RuleSet((TierRule("registered", None), TierRule("silver", Headcount("h", 2, CLOUD_PRO))))
    evaluation = evaluate(rule_set, OrganizationFacts(1, AS_OF, credentials=(credential(1),)))
    explained = explain_both(evaluation, NAMES)
    assert set(explained) == {"en", "fa"}
    assert explained["en"] == ["1 more person certified in Cloud Security at professional level"]
    persian = explained["fa"][0]
    assert "۱" in persian
    assert "امنیت ابری" in persian
    assert "more person" not in persian
