"""The example rule files of docs/examples/tier-rules/ and the format's documentation,
docs/tier-rules.md: every example reads without problems, survives the round trip and earns
the tier it is meant to; the documentation names every requirement type and problem code
(pure, no database)."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from certifications.tiers.engine import evaluate
from certifications.tiers.rules import (
    CredentialFact,
    Evaluation,
    GateApproval,
    MetricValue,
    OrganizationFacts,
    RequirementResult,
    RuleSet,
)
from certifications.tiers.schema import MESSAGES, REQUIREMENT_TYPES, TIER_CODES, dump_rule_file, parse_rule_file

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "docs" / "examples" / "tier-rules"
DOCUMENTATION = ROOT / "docs" / "tier-rules.md"
EXAMPLE_FILES = sorted(EXAMPLES.glob("*.json"))

AS_OF = date(2026, 3, 31)
# The ends of the four quarters in the trailing twelve months, and one just before them.
QUARTERS = (date(2025, 6, 30), date(2025, 9, 30), date(2025, 12, 31), date(2026, 3, 31))
BEFORE_WINDOW = date(2025, 3, 31)


# -- Helpers ---------------------------------------------------------------------------------


def rules_on(name: str, day: date = AS_OF) -> RuleSet:
    """The rules of one example file valid on `day`."""
    rule_file = parse_rule_file((EXAMPLES / name).read_text(encoding="utf-8"))
    for version in rule_file.versions:
        if version.valid_from <= day and (version.valid_until is None or day < version.valid_until):
            return version.rule_set
    raise AssertionError(f"{name} has no version valid on {day}")


def people(first: int, count: int, certification: str, competency: str, level: str) -> list[CredentialFact]:
    return [CredentialFact(person, certification, competency, level) for person in range(first, first + count)]


def quarterly(metric: str, *values: int | str) -> list[MetricValue]:
    """One value per quarter, the latest last."""
    ends = QUARTERS[len(QUARTERS) - len(values) :]
    return [MetricValue(metric, end, Decimal(value)) for end, value in zip(ends, values, strict=True)]


def facts(
    credentials: list[CredentialFact], metrics: list[MetricValue], gates: tuple[str, ...] = ()
) -> OrganizationFacts:
    return OrganizationFacts(
        organization=1,
        as_of=AS_OF,
        credentials=tuple(credentials),
        metrics=tuple(metrics),
        gates=tuple(GateApproval(gate) for gate in gates),
    )


def result(evaluation: Evaluation, identifier: str) -> RequirementResult:
    """The result with this id anywhere in the evaluation."""
    pending = [tier.result for tier in evaluation.tiers if tier.result is not None]
    while pending:
        current = pending.pop()
        if current.id == identifier:
            return current
        pending.extend(current.children)
    raise AssertionError(f"no result {identifier!r}")


# -- Every example -----------------------------------------------------------------------------


def test_the_four_examples_are_there() -> None:
    assert [path.name for path in EXAMPLE_FILES] == [
        "aws-style.json",
        "cisco-style.json",
        "microsoft-style.json",
        "salesforce-style.json",
    ]


@pytest.mark.parametrize("path", EXAMPLE_FILES, ids=lambda path: path.name)
def test_an_example_reads_and_survives_the_round_trip(path: Path) -> None:
    rule_file = parse_rule_file(path.read_text(encoding="utf-8"))

    assert rule_file.versions
    for version in rule_file.versions:
        assert version.rule_set.tiers[0].code == TIER_CODES[0]
        assert version.rule_set.tiers[0].requirement is None
    again = parse_rule_file(dump_rule_file(rule_file))
    assert again == rule_file
    assert dump_rule_file(again) == dump_rule_file(rule_file)


# -- AWS style -----------------------------------------------------------------------------


def aws_partner(*, technical: int, business: int, launched: int, references: int) -> OrganizationFacts:
    credentials = [
        *people(1, technical, "aws-solutions-architect-associate", "cloud-architecture", "associate"),
        *people(1000, business, "aws-cloud-practitioner", "cloud-foundations", "foundational"),
    ]
    per_quarter = launched // 4
    metrics = [
        *quarterly("launched-opportunities", per_quarter, per_quarter, per_quarter, launched - 3 * per_quarter),
        MetricValue("launched-opportunities", BEFORE_WINDOW, Decimal(500)),  # outside the 12 months
        *quarterly("customer-references", 2, references),
    ]
    return facts(credentials, metrics)


def test_aws_style_counts_certified_people_launches_and_references() -> None:
    evaluation = evaluate(rules_on("aws-style.json"), aws_partner(technical=12, business=13, launched=22, references=5))

    assert evaluation.eligible == "gold"
    assert evaluation.next_tier == "platinum"
    assert result(evaluation, "gold-certified").actual == 25
    assert result(evaluation, "gold-certified.technical").actual == 12
    assert result(evaluation, "gold-launched").actual == 22
    assert result(evaluation, "gold-references").actual == 5  # the latest quarter's value
    gaps = {gap.id for gap in evaluation.next_gaps}
    assert "platinum-validation" in gaps


def test_aws_style_raised_the_bar_in_2026() -> None:
    partner = aws_partner(technical=12, business=13, launched=17, references=3)

    assert evaluate(rules_on("aws-style.json", date(2025, 12, 31)), partner).eligible == "gold"
    assert evaluate(rules_on("aws-style.json"), partner).eligible == "silver"


def test_aws_style_top_tier_needs_the_validation_checklist() -> None:
    partner = aws_partner(technical=35, business=30, launched=64, references=11)
    audited = facts(list(partner.credentials), list(partner.metrics), gates=("partner-validation-checklist",))

    assert evaluate(rules_on("aws-style.json"), partner).eligible == "gold"
    assert evaluate(rules_on("aws-style.json"), audited).eligible == "platinum"


# -- Microsoft style -------------------------------------------------------------------------


AZURE = "azure-infrastructure"


def microsoft_partner(*, advanced: int, gates: tuple[str, ...] = ()) -> OrganizationFacts:
    credentials = [
        *people(1, 3, "az-104-azure-administrator", AZURE, "associate"),
        *people(100, advanced, "az-305-azure-solutions-architect", AZURE, "professional"),
    ]
    metrics = [
        *quarterly("net-customer-adds", 2, 3, 3, 2),  # 10 customers: 3 points each, capped at 30
        *quarterly("azure-usage-growth", 9000, 15000),  # the latest, 15,000: 15 points
        *quarterly("workload-deployments", 1, 1, 1),  # 3 deployments: 12 points
    ]
    return facts(credentials, metrics, gates)


def test_microsoft_style_capability_score_reaches_the_designation() -> None:
    evaluation = evaluate(rules_on("microsoft-style.json"), microsoft_partner(advanced=3))

    assert evaluation.eligible == "silver"
    score = result(evaluation, "silver-designation")
    # 30 performance + 15 intermediate + 15 advanced + 15 usage growth + 12 deployments
    assert score.actual == 87
    assert {item.id: item.points for item in score.children} == {
        "partner-capability-score.performance: net customer adds": 30,
        "partner-capability-score.skilling: intermediate": 15,
        "partner-capability-score.skilling: advanced": 15,
        "partner-capability-score.customer success: usage growth": 15,
        "partner-capability-score.customer success: deployments": 12,
    }


def test_microsoft_style_specialization_needs_advanced_people_and_the_audit() -> None:
    rules = rules_on("microsoft-style.json")

    assert evaluate(rules, microsoft_partner(advanced=4)).eligible == "silver"
    assert evaluate(rules, microsoft_partner(advanced=4, gates=("specialization-audit",))).eligible == "gold"


def test_microsoft_style_every_area_must_score() -> None:
    partner = microsoft_partner(advanced=3)
    no_deployments = facts(
        list(partner.credentials), [value for value in partner.metrics if value.metric != "workload-deployments"]
    )

    evaluation = evaluate(rules_on("microsoft-style.json"), no_deployments)

    assert result(evaluation, "silver-designation").actual == 75  # above 70, but one area scores nothing
    assert evaluation.eligible == "registered"


# -- Salesforce style ------------------------------------------------------------------------


def salesforce_partner(*, experts: int, csat: str, projects: int) -> OrganizationFacts:
    credentials = people(1, experts, "salesforce-platform-developer", "salesforce-platform", "associate")
    metrics = [*quarterly("csat", "4.1", csat), *quarterly("completed-projects", projects)]
    return facts(credentials, metrics)


def test_salesforce_style_partner_value_score_track() -> None:
    evaluation = evaluate(rules_on("salesforce-style.json"), salesforce_partner(experts=30, csat="4.6", projects=30))

    assert evaluation.eligible == "gold"
    tracks = result(evaluation, "gold-tracks")
    assert tracks.best_track == "Partner Value Score"
    # 30 experts × 20 + CSAT 4.6 × 100 + 30 projects × 25
    assert result(evaluation, "gold-pvs").actual == 600 + 460 + 750


def test_salesforce_style_experts_and_csat_track() -> None:
    evaluation = evaluate(rules_on("salesforce-style.json"), salesforce_partner(experts=45, csat="4.6", projects=0))

    assert result(evaluation, "gold-pvs").met is False  # no projects: one item scores nothing
    assert evaluation.eligible == "gold"
    assert result(evaluation, "gold-tracks").best_track == "Certified experts and CSAT"


# -- Cisco style -----------------------------------------------------------------------------


def cisco_partner(*, psat: tuple[int, ...]) -> OrganizationFacts:
    credentials = [
        *people(1, 3, "ccna", "enterprise-networking", "associate"),
        *people(10, 3, "cyberops-associate", "security", "associate"),
        *people(20, 1, "ccnp-collaboration", "collaboration", "professional"),
    ]
    metrics = [*quarterly("psat", *psat), MetricValue("psat", BEFORE_WINDOW, Decimal(10))]
    return facts(credentials, metrics)


def test_cisco_style_specializations_and_psat_average() -> None:
    evaluation = evaluate(rules_on("cisco-style.json"), cisco_partner(psat=(82, 86, 84, 80)))

    assert evaluation.eligible == "gold"
    assert result(evaluation, "gold-specializations").actual == 2  # collaboration has one person only
    assert result(evaluation, "gold-psat").actual == 83  # the old quarter's 10 is outside the window
    assert result(evaluation, "platinum-architectures").actual == 0


def test_cisco_style_low_psat_keeps_the_partner_lower() -> None:
    evaluation = evaluate(rules_on("cisco-style.json"), cisco_partner(psat=(70, 75, 78, 81)))

    assert evaluation.eligible == "silver"


# -- The documentation -------------------------------------------------------------------------


def test_the_documentation_names_every_requirement_type_and_problem_code() -> None:
    text = DOCUMENTATION.read_text(encoding="utf-8")
    quoted = set(re.findall(r"`([^`\n]+)`", text))

    assert [kind for kind in REQUIREMENT_TYPES if f'"{kind}"' not in text and kind not in quoted] == []
    assert [code for code in MESSAGES if code not in quoted] == []


def test_the_documentation_links_every_example() -> None:
    text = DOCUMENTATION.read_text(encoding="utf-8")

    assert [path.name for path in EXAMPLE_FILES if f"examples/tier-rules/{path.name}" not in text] == []
