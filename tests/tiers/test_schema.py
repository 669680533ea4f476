"""The tier-rule file format (certifications.tiers.schema): reading, writing, the round trip
between them, and the problems a bad file is reported with (pure, no database)."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certifications.tiers.demo import DEFINITION
from certifications.tiers.policy import Cadence, Promotion
from certifications.tiers.rules import (
    Aggregate,
    AllOf,
    AnyOf,
    CredentialFilter,
    DistinctCompetencies,
    Headcount,
    HeadcountSource,
    ManualGate,
    MetricAtLeast,
    MetricSource,
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
from certifications.tiers.schema import (
    FORMAT,
    LEVELS,
    MAX_GATE_LENGTH,
    MAX_NAME_LENGTH,
    MAX_SMALL_INTEGER,
    MAX_WINDOW_MONTHS,
    MESSAGES,
    TIER_CODES,
    Problem,
    References,
    RuleFile,
    RuleFileError,
    RuleSetVersionSpec,
    dump_rule_file,
    dump_rule_set,
    parse_rule_file,
    parse_rule_set,
    referenced_slugs,
)

# -- Helpers ---------------------------------------------------------------------------------


def file_text(versions: list[dict[str, Any]], **top: Any) -> str:
    data = {
        "format": FORMAT,
        "format_version": 1,
        "name": "Partner program",
        "promotion": "approval",
        "demotion_grace_days": 60,
        "cadence": "continuous",
        "versions": versions,
    } | top
    return json.dumps(data, ensure_ascii=False, indent=2)


def problems_of(text: str) -> list[Problem]:
    with pytest.raises(RuleFileError) as caught:
        parse_rule_file(text)
    return list(caught.value.problems)


def lines_of(text: str, marker: str) -> list[int]:
    """The lines (from 1) of `text` that contain `marker`."""
    return [number for number, line in enumerate(text.splitlines(), start=1) if marker in line]


def line_of(text: str, marker: str | tuple[str, int]) -> int:
    """The line of the one line of `text` that contains `marker`, or (marker, offset): the
    line that many lines after it."""
    marker, offset = marker if isinstance(marker, tuple) else (marker, 0)
    found = lines_of(text, marker)
    assert len(found) == 1, f"{marker!r} is on lines {found}"
    return found[0] + offset


def round_trip(rule_file: RuleFile) -> RuleFile:
    return parse_rule_file(dump_rule_file(rule_file))


ANY = CredentialFilter()
CLOUD = CredentialFilter(competencies=frozenset({"cloud-security"}))


# -- Round trips -----------------------------------------------------------------------------


def test_the_demo_definition_reads_and_survives_a_dump_and_parse_round_trip() -> None:
    rule_file = parse_rule_file(file_text([{"number": 1, "valid_from": "2026-01-01", **DEFINITION}]))

    assert round_trip(rule_file) == rule_file
    version = rule_file.versions[0]
    assert (version.number, version.valid_from, version.valid_until) == (1, date(2026, 1, 1), None)
    assert [tier.code for tier in version.rule_set.tiers] == ["registered", "silver", "gold", "platinum"]
    assert version.rule_set.tiers[0].requirement is None
    gold = version.rule_set.tiers[2].requirement
    assert isinstance(gold, Tracks)
    headcount, points = (track.requirement for track in gold.tracks)
    assert headcount == Headcount(
        id="gold-headcount", minimum=2, filter=ANY, subquotas=(SubQuota("cloud security", 1, CLOUD),)
    )
    assert points == Points(
        id="gold-points",
        items=(
            PointsItem(
                label="revenue",
                source=MetricSource("revenue", Aggregate.SUM, 12),
                per_unit=Decimal("0.0002"),
                cap=Decimal(40),
            ),
            PointsItem(
                label="certified people",
                source=HeadcountSource(ANY),
                per_unit=Decimal(20),
                cap=Decimal(40),
                threshold=Decimal(1),
                partial_credit=False,
            ),
        ),
        minimum_total=Decimal(60),
        every_item_above_zero=True,
    )


def test_the_demo_definition_stored_in_a_version_survives_dump_rule_set_and_parse_rule_set() -> None:
    rule_set = parse_rule_set(DEFINITION)

    stored = dump_rule_set(rule_set)

    assert parse_rule_set(stored) == rule_set
    assert json.loads(json.dumps(stored)) == stored  # plain JSON data, no Decimal


EVERY_KIND = RuleSet(
    tiers=(
        TierRule("registered", None),
        TierRule(
            "silver",
            Headcount(
                id="silver-people",
                minimum=3,
                filter=CredentialFilter(levels=frozenset({"associate", "professional"})),
                subquotas=(
                    SubQuota("cloud", 2, CLOUD),
                    SubQuota("zero trust", 1, CredentialFilter(certifications=frozenset({"zero-trust-pro"}))),
                ),
            ),
        ),
        TierRule(
            "gold",
            AllOf(
                id="gold-all",
                requirements=(
                    DistinctCompetencies(id="gold-breadth", minimum=2, people_each=3, filter=CLOUD),
                    MetricAtLeast(
                        id="gold-mrr",
                        source=MetricSource("mrr", Aggregate.LATEST, 3),
                        minimum=Decimal("1500.75"),
                    ),
                    MetricAtLeast(id="gold-psat", source=MetricSource("psat", Aggregate.AVERAGE), minimum=Decimal(80)),
                    Points(
                        id="gold-points",
                        items=(
                            PointsItem(
                                label="revenue",
                                source=MetricSource("revenue", window_months=12),
                                per_unit=Decimal("0.001"),
                                cap=Decimal(50),
                                threshold=Decimal("10000.5"),
                                partial_credit=False,
                            ),
                            PointsItem(
                                label="people",
                                source=HeadcountSource(CredentialFilter(levels=frozenset({"specialty"}))),
                                per_unit=Decimal(10),
                                cap=Decimal("30.25"),
                            ),
                        ),
                        minimum_total=Decimal("40.5"),
                        every_item_above_zero=True,
                    ),
                ),
            ),
        ),
        TierRule(
            "platinum",
            Tracks(
                id="platinum-tracks",
                tracks=(
                    Track(
                        "Business",
                        AnyOf(
                            id="platinum-any",
                            count=2,
                            requirements=(
                                ScoreAtLeast(id="platinum-band", score="business", minimum=Decimal(75)),
                                ManualGate(id="platinum-audit", gate="partner-audit", label="Annual audit"),
                                ManualGate(id="platinum-review", gate="exec-review"),
                            ),
                        ),
                    ),
                    Track("Certification", Headcount(id="platinum-people", minimum=10)),
                ),
            ),
        ),
    ),
    scores=(
        Points(
            id="business",
            items=(
                PointsItem(
                    label="references",
                    source=MetricSource("customer-references"),
                    per_unit=Decimal(5),
                    cap=Decimal(25),
                ),
            ),
            minimum_total=Decimal(0),
        ),
    ),
)

EVERY_KIND_FILE = RuleFile(
    name="Programme 2026 — شریک",
    promotion=Promotion.AUTOMATIC,
    demotion_grace_days=90,
    cadence=Cadence.QUARTERLY,
    versions=(
        RuleSetVersionSpec(date(2026, 1, 1), date(2027, 1, 1), EVERY_KIND, number=1),
        RuleSetVersionSpec(date(2027, 1, 1), None, RuleSet(tiers=(TierRule("registered", None),))),
    ),
)


def test_rules_of_every_requirement_type_survive_a_dump_and_parse_round_trip() -> None:
    assert round_trip(EVERY_KIND_FILE) == EVERY_KIND_FILE


def test_a_dump_writes_fields_in_a_fixed_order_and_leaves_defaults_out() -> None:
    data = json.loads(dump_rule_file(EVERY_KIND_FILE))

    assert list(data) == [
        "format",
        "format_version",
        "name",
        "promotion",
        "demotion_grace_days",
        "cadence",
        "versions",
    ]
    first, second = data["versions"]
    assert list(first) == ["number", "valid_from", "valid_until", "tiers", "scores"]
    assert second == {"valid_from": "2027-01-01", "tiers": [{"code": "registered"}]}
    gold = first["tiers"][2]["requirement"]["requirements"]
    assert gold[2] == {
        "type": "metric",
        "id": "gold-psat",
        "source": {"metric": "psat", "aggregate": "average"},
        "minimum": 80,
    }
    revenue, people = gold[3]["items"]
    assert revenue["per_unit"] == "0.001"  # decimals as strings, whole numbers as numbers
    assert revenue["threshold"] == "10000.5"
    assert revenue["partial_credit"] is False
    assert people == {
        "label": "people",
        "source": {"headcount": {"levels": ["specialty"]}},
        "per_unit": 10,
        "cap": "30.25",
    }
    platinum = first["tiers"][3]["requirement"]["tracks"]
    assert platinum[1]["requirement"] == {"type": "headcount", "id": "platinum-people", "minimum": 10}
    assert platinum[0]["requirement"]["requirements"][2] == {
        "type": "gate",
        "id": "platinum-review",
        "gate": "exec-review",
    }


def test_reading_skips_a_leading_byte_order_mark() -> None:
    assert parse_rule_file("\ufeff" + dump_rule_file(EVERY_KIND_FILE)) == EVERY_KIND_FILE


# -- Round trips of generated rules ----------------------------------------------------------

slugs = st.from_regex(r"[-a-zA-Z0-9_]{1,12}", fullmatch=True)
texts = st.text(min_size=1, max_size=30).filter(str.strip)
amounts = st.one_of(
    st.integers(0, 10**15).map(Decimal),
    st.builds(lambda digits, places: Decimal(digits).scaleb(-places), st.integers(0, 10**8), st.integers(0, 10)),
)
filters = st.builds(
    CredentialFilter,
    certifications=st.frozensets(slugs, max_size=3),
    competencies=st.frozensets(slugs, max_size=3),
    levels=st.frozensets(st.sampled_from(LEVELS)),
)
metric_sources = st.builds(
    MetricSource,
    metric=slugs,
    aggregate=st.sampled_from(Aggregate),
    window_months=st.none() | st.integers(1, MAX_WINDOW_MONTHS),
)
points_items = st.lists(
    st.builds(
        PointsItem,
        label=texts,
        source=metric_sources | st.builds(HeadcountSource, filter=filters),
        per_unit=amounts,
        cap=amounts,
        threshold=amounts,
        partial_credit=st.booleans(),
    ),
    min_size=1,
    max_size=3,
    unique_by=lambda item: item.label,
)
# Ids are placeholders here; `number_ids` makes them unique across a version.
subquotas = st.lists(
    st.builds(SubQuota, label=texts, minimum=st.integers(0, 50), filter=filters),
    max_size=3,
    unique_by=lambda quota: quota.label,
).map(tuple)


def leaves(score_names: tuple[str, ...]) -> st.SearchStrategy[Requirement]:
    options: list[st.SearchStrategy[Requirement]] = [
        st.builds(Headcount, id=st.just(""), minimum=st.integers(0, 100), filter=filters, subquotas=subquotas),
        st.builds(
            DistinctCompetencies,
            id=st.just(""),
            minimum=st.integers(0, 20),
            people_each=st.integers(1, 20),
            filter=filters,
        ),
        st.builds(MetricAtLeast, id=st.just(""), source=metric_sources, minimum=amounts),
        st.builds(
            Points,
            id=st.just(""),
            items=points_items.map(tuple),
            minimum_total=amounts,
            every_item_above_zero=st.booleans(),
        ),
        st.builds(
            ManualGate,
            id=st.just(""),
            gate=st.from_regex(rf"[-a-zA-Z0-9_]{{1,{MAX_GATE_LENGTH}}}", fullmatch=True),
            label=st.text(max_size=30),
        ),
    ]
    if score_names:
        options.append(st.builds(ScoreAtLeast, id=st.just(""), score=st.sampled_from(score_names), minimum=amounts))
    return st.one_of(options)


def any_of(children: list[Requirement]) -> st.SearchStrategy[AnyOf]:
    return st.integers(1, len(children)).map(lambda count: AnyOf(id="", count=count, requirements=tuple(children)))


def requirements(score_names: tuple[str, ...]) -> st.SearchStrategy[Requirement]:
    def extend(inner: st.SearchStrategy[Requirement]) -> st.SearchStrategy[Requirement]:
        children = st.lists(inner, min_size=1, max_size=3)
        tracks = st.lists(
            st.builds(Track, name=texts, requirement=inner), min_size=1, max_size=3, unique_by=lambda track: track.name
        )
        return st.one_of(
            children.map(lambda found: AllOf(id="", requirements=tuple(found))),
            children.flatmap(any_of),
            tracks.map(lambda found: Tracks(id="", tracks=tuple(found))),
        )

    return st.recursive(leaves(score_names), extend, max_leaves=8)


def number_ids(rule_set: RuleSet) -> RuleSet:
    """The rule set with every requirement and score given a distinct id."""
    counter = iter(range(10**6))

    def renumber(requirement: Requirement) -> Requirement:
        match requirement:
            case AllOf() | AnyOf():
                requirement = replace(requirement, requirements=tuple(map(renumber, requirement.requirements)))
            case Tracks():
                requirement = replace(
                    requirement,
                    tracks=tuple(
                        replace(track, requirement=renumber(track.requirement)) for track in requirement.tracks
                    ),
                )
        return replace(requirement, id=f"r{next(counter)}")

    tiers = tuple(
        replace(tier, requirement=None if tier.requirement is None else renumber(tier.requirement))
        for tier in rule_set.tiers
    )
    return replace(rule_set, tiers=tiers)


@st.composite
def rule_sets(draw: st.DrawFn) -> RuleSet:
    score_names = tuple(f"score-{index}" for index in range(draw(st.integers(0, 2))))
    scores = tuple(
        Points(
            id=name,
            items=tuple(draw(points_items)),
            minimum_total=Decimal(0),
            every_item_above_zero=draw(st.booleans()),
        )
        for name in score_names
    )
    codes = sorted(draw(st.sets(st.sampled_from(TIER_CODES), min_size=1)), key=TIER_CODES.index)
    tiers = tuple(
        TierRule(
            code,
            draw(st.none() | requirements(score_names)) if index == 0 else draw(requirements(score_names)),
        )
        for index, code in enumerate(codes)
    )
    return number_ids(RuleSet(tiers=tiers, scores=scores))


@st.composite
def rule_files(draw: st.DrawFn) -> RuleFile:
    starts = draw(st.lists(st.dates(date(2000, 1, 1), date(2100, 1, 1)), min_size=1, max_size=3, unique=True))
    numbers = draw(st.lists(st.integers(1, MAX_SMALL_INTEGER), min_size=len(starts), max_size=len(starts), unique=True))
    versions = tuple(
        RuleSetVersionSpec(
            valid_from=start,
            valid_until=draw(st.none() | st.integers(1, 3650).map(lambda days, start=start: start + timedelta(days))),
            rule_set=draw(rule_sets()),
            number=draw(st.none() | st.just(number)),
        )
        for start, number in zip(starts, numbers, strict=True)
    )
    return RuleFile(
        name=draw(st.text(min_size=1, max_size=MAX_NAME_LENGTH).filter(str.strip)),
        promotion=draw(st.sampled_from(Promotion)),
        demotion_grace_days=draw(st.integers(0, MAX_SMALL_INTEGER)),
        cadence=draw(st.sampled_from(Cadence)),
        versions=versions,
    )


@given(rule_files())
def test_any_valid_rule_file_survives_a_dump_and_parse_round_trip(rule_file: RuleFile) -> None:
    assert round_trip(rule_file) == rule_file


@given(rule_sets())
def test_any_valid_rule_set_survives_dump_rule_set_and_parse_rule_set(rule_set: RuleSet) -> None:
    stored = dump_rule_set(rule_set)
    assert parse_rule_set(json.loads(json.dumps(stored))) == rule_set


# -- Problems --------------------------------------------------------------------------------

VALID = """\
{
  "format": "abrzad-tier-rules",
  "format_version": 1,
  "name": "Partner program",
  "promotion": "automatic",
  "demotion_grace_days": 30,
  "cadence": "quarterly",
  "versions": [
    {
      "number": 1,
      "valid_from": "2026-01-01",
      "valid_until": "2027-01-01",
      "tiers": [
        {"code": "registered"},
        {"code": "silver", "requirement": {"type": "headcount", "id": "silver-people", "minimum": 1}},
        {
          "code": "gold",
          "requirement": {
            "type": "any_of",
            "id": "gold-any",
            "count": 1,
            "requirements": [
              {
                "type": "metric", "id": "gold-revenue", "minimum": "1000.5",
                "source": {"metric": "revenue", "window_months": 12}
              },
              {"type": "score", "id": "gold-band", "score": "business", "minimum": 50}
            ]
          }
        }
      ],
      "scores": [
        {
          "id": "business",
          "items": [{"label": "revenue", "source": {"metric": "revenue"}, "per_unit": "0.01", "cap": 100}]
        }
      ]
    },
    {
      "number": 2,
      "valid_from": "2027-01-01",
      "tiers": [{"code": "registered"}]
    }
  ]
}
"""


def test_the_valid_example_reads_as_the_rules_it_spells_out() -> None:
    business = Points(
        id="business",
        items=(PointsItem("revenue", MetricSource("revenue"), per_unit=Decimal("0.01"), cap=Decimal(100)),),
        minimum_total=Decimal(0),
    )
    gold = AnyOf(
        id="gold-any",
        count=1,
        requirements=(
            MetricAtLeast("gold-revenue", MetricSource("revenue", window_months=12), Decimal("1000.5")),
            ScoreAtLeast("gold-band", "business", Decimal(50)),
        ),
    )
    assert parse_rule_file(VALID) == RuleFile(
        name="Partner program",
        promotion=Promotion.AUTOMATIC,
        demotion_grace_days=30,
        cadence=Cadence.QUARTERLY,
        versions=(
            RuleSetVersionSpec(
                date(2026, 1, 1),
                date(2027, 1, 1),
                RuleSet(
                    tiers=(
                        TierRule("registered", None),
                        TierRule("silver", Headcount("silver-people", 1)),
                        TierRule("gold", gold),
                    ),
                    scores=(business,),
                ),
                number=1,
            ),
            RuleSetVersionSpec(date(2027, 1, 1), None, RuleSet(tiers=(TierRule("registered", None),)), number=2),
        ),
    )


SILVER = "$.versions[0].tiers[1].requirement"
GOLD = "$.versions[0].tiers[2].requirement"

# (what is wrong, text to replace, its replacement, code, path, marker of the expected line, params)
BAD_INPUTS = [
    (
        "a missing field",
        '"id": "silver-people", "minimum": 1}',
        '"id": "silver-people"}',
        "missing_field",
        SILVER,
        '"code": "silver"',
        {"field": "minimum"},
    ),
    (
        "an unknown field",
        '"cadence": "quarterly",',
        '"cadence": "quarterly",\n  "colour": "blue",',
        "unknown_field",
        "$.colour",
        '"colour"',
        {"field": "colour"},
    ),
    (
        "an unknown field whose name is not an identifier",
        '"id": "silver-people",',
        '"id": "silver-people", "min people": 2,',
        "unknown_field",
        SILVER + '["min people"]',
        '"min people"',
        {"field": "min people"},
    ),
    (
        "a string for a number",
        '"demotion_grace_days": 30',
        '"demotion_grace_days": "thirty"',
        "expected_number",
        "$.demotion_grace_days",
        '"demotion_grace_days"',
        {},
    ),
    (
        "a number for a string",
        '"name": "Partner program"',
        '"name": 7',
        "expected_string",
        "$.name",
        '"name"',
        {},
    ),
    (
        "a fraction for a whole number",
        '"minimum": 1}',
        '"minimum": 1.5}',
        "expected_whole_number",
        SILVER + ".minimum",
        '"code": "silver"',
        {},
    ),
    (
        "an object for a list",
        '"tiers": [{"code": "registered"}]',
        '"tiers": {"code": "registered"}',
        "expected_list",
        "$.versions[1].tiers",
        '"tiers": {',
        {},
    ),
    (
        "a date that does not exist",
        '"valid_from": "2026-01-01"',
        '"valid_from": "2026-02-30"',
        "expected_date",
        "$.versions[0].valid_from",
        '"2026-02-30"',
        {},
    ),
    (
        "a date in another format",
        '"valid_until": "2027-01-01"',
        '"valid_until": "01/01/2027"',
        "expected_date",
        "$.versions[0].valid_until",
        '"01/01/2027"',
        {},  # and nothing about the dates' order
    ),
    (
        "the end of a version before its start",
        '"valid_until": "2027-01-01"',
        '"valid_until": "2025-06-01"',
        "dates_out_of_order",
        "$.versions[0].valid_until",
        '"2025-06-01"',
        {"valid_from": "2026-01-01", "valid_until": "2025-06-01"},
    ),
    (
        "a key given twice",
        '"name": "Partner program",',
        '"name": "Partner program",\n  "name": "Other program",',
        "duplicate_key",
        "$.name",
        '"Other program"',
        {"key": "name"},
    ),
    (
        "an id used twice",
        '"id": "gold-band"',
        '"id": "gold-revenue"',
        "duplicate_id",
        GOLD + ".requirements[1].id",
        '"type": "score"',
        {"id": "gold-revenue", "first": GOLD + ".requirements[0].id"},
    ),
    (
        "a score id that a requirement already uses",
        '"id": "gold-band"',
        '"id": "business"',
        "duplicate_id",
        "$.versions[0].scores[0].id",
        ('"items"', -1),
        {"id": "business", "first": GOLD + ".requirements[1].id"},
    ),
    (
        "a tier out of order",
        '"code": "silver"',
        '"code": "platinum"',
        "tier_out_of_order",
        "$.versions[0].tiers[2].code",
        '"code": "gold"',
        {"code": "gold", "previous": "platinum", "ladder": "registered, silver, gold, platinum"},
    ),
    (
        "a tier listed twice",
        '"code": "gold"',
        '"code": "silver"',
        "duplicate_tier",
        "$.versions[0].tiers[2].code",
        ('"type": "any_of"', -2),
        {"code": "silver"},
    ),
    (
        "a tier that is not on the ladder",
        '"code": "gold"',
        '"code": "diamond"',
        "not_a_choice",
        "$.versions[0].tiers[2].code",
        '"code": "diamond"',
        {"value": "diamond", "choices": "registered, silver, gold, platinum"},
    ),
    (
        "a later tier without a requirement",
        '"tiers": [{"code": "registered"}]',
        '"tiers": [{"code": "registered"}, {"code": "gold"}]',
        "tier_without_requirement",
        "$.versions[1].tiers[1]",
        '{"code": "gold"}',
        {},
    ),
    (
        "a negative amount of points per unit",
        '"per_unit": "0.01"',
        '"per_unit": "-0.01"',
        "too_small",
        "$.versions[0].scores[0].items[0].per_unit",
        '"per_unit"',
        {"minimum": 0},
    ),
    (
        "a count above the number of requirements",
        '"count": 1',
        '"count": 3',
        "count_above_requirements",
        GOLD + ".count",
        '"count": 3',
        {"count": 3, "available": 2},
    ),
    (
        "a count of zero",
        '"count": 1',
        '"count": 0',
        "too_small",
        GOLD + ".count",
        '"count": 0',
        {"minimum": 1},
    ),
    (
        "a score that does not exist",
        '"score": "business"',
        '"score": "loyalty"',
        "unknown_score",
        GOLD + ".requirements[1].score",
        '"loyalty"',
        {"score": "loyalty"},
    ),
    (
        "a requirement type that does not exist",
        '"type": "any_of"',
        '"type": "some_of"',
        "not_a_choice",
        GOLD + ".type",
        '"some_of"',
        {"value": "some_of"},
    ),
    (
        "an id that is not a slug",
        '"id": "silver-people"',
        '"id": "silver people"',
        "not_a_slug",
        SILVER + ".id",
        '"code": "silver"',
        {"value": "silver people"},
    ),
    (
        "a cadence that does not exist",
        '"cadence": "quarterly"',
        '"cadence": "weekly"',
        "not_a_choice",
        "$.cadence",
        '"cadence"',
        {"value": "weekly", "choices": "continuous, quarterly, yearly"},
    ),
    (
        "a window of no months",
        '"window_months": 12',
        '"window_months": 0',
        "too_small",
        GOLD + ".requirements[0].source.window_months",
        '"window_months"',
        {"minimum": 1},
    ),
    (
        "a number with too many decimal places",
        '"minimum": "1000.5"',
        '"minimum": "1000.12345678901"',
        "too_precise",
        GOLD + ".requirements[0].minimum",
        '"1000.12345678901"',
        {"places": 10},
    ),
    (
        "a points source with both a metric and a headcount",
        '"source": {"metric": "revenue"}',
        '"source": {"metric": "revenue", "headcount": {}}',
        "source_kind",
        "$.versions[0].scores[0].items[0].source",
        '"headcount": {}',
        {},
    ),
    (
        "a version number used twice",
        '"number": 2',
        '"number": 1',
        "duplicate_version_number",
        "$.versions[1].number",
        ('"valid_from": "2027-01-01"', -1),
        {"number": 1},
    ),
    (
        "a grace period too long for the database",
        '"demotion_grace_days": 30',
        '"demotion_grace_days": 40000',
        "too_large",
        "$.demotion_grace_days",
        '"demotion_grace_days"',
        {"maximum": MAX_SMALL_INTEGER},
    ),
    (
        "an empty list of tiers",
        '"tiers": [{"code": "registered"}]',
        '"tiers": []',
        "empty_list",
        "$.versions[1].tiers",
        '"tiers": []',
        {},
    ),
    (
        "a blank name",
        '"name": "Partner program"',
        '"name": "   "',
        "empty_text",
        "$.name",
        '"name"',
        {},
    ),
    (
        "another kind of file",
        '"format": "abrzad-tier-rules"',
        '"format": "abrzad-courses"',
        "wrong_format",
        "$.format",
        '"format"',
        {"expected": FORMAT},
    ),
    (
        "a later format version",
        '"format_version": 1',
        '"format_version": 2',
        "unsupported_format_version",
        "$.format_version",
        '"format_version"',
        {"version": "2", "supported": 1},
    ),
]


@pytest.mark.parametrize(
    ("old", "new", "code", "path", "marker", "params"),
    [pytest.param(*case[1:], id=case[0]) for case in BAD_INPUTS],
)
def test_a_bad_file_is_refused_with_the_problem_code_its_json_path_and_its_line(
    old: str, new: str, code: str, path: str, marker: str | tuple[str, int], params: dict[str, str | int]
) -> None:
    assert VALID.count(old) == 1
    text = VALID.replace(old, new)

    [problem] = problems_of(text)

    assert (problem.code, problem.path, problem.line) == (code, path, line_of(text, marker))
    assert params.items() <= dict(problem.params).items()
    assert problem.message == MESSAGES[code] % problem.params


def test_invalid_json_is_refused_with_its_line_and_column() -> None:
    text = VALID.replace('"number": 2,', '"number": 2')

    [problem] = problems_of(text)

    assert (problem.code, problem.path, problem.line) == (
        "json_syntax",
        "$",
        line_of(text, '"valid_from": "2027-01-01"'),
    )
    assert problem.params["column"] == 7
    assert "column 7" in problem.message


def test_a_file_that_is_not_an_object_is_refused() -> None:
    assert [(problem.code, problem.path, problem.line) for problem in problems_of("\n[1, 2]")] == [
        ("expected_object", "$", 2)
    ]


def test_a_file_without_a_format_says_only_that_it_is_not_a_rule_file() -> None:
    assert [(problem.code, problem.path) for problem in problems_of('{"name": 3, "versions": "x"}')] == [
        ("wrong_format", "$")
    ]


def test_json_nested_too_deeply_to_read_is_refused() -> None:
    assert [problem.code for problem in problems_of("[" * 100_000 + "]" * 100_000)] == ["json_too_deep"]


def test_requirements_nested_too_deeply_are_refused() -> None:
    requirement: dict[str, Any] = {"type": "gate", "id": "r13", "gate": "audit"}
    for level in range(12, 0, -1):
        requirement = {"type": "all_of", "id": f"r{level}", "requirements": [requirement]}
    text = file_text([{"valid_from": "2026-01-01", "tiers": [{"code": "registered", "requirement": requirement}]}])

    [problem] = problems_of(text)

    assert problem.code == "too_deep"
    assert problem.path == "$.versions[0].tiers[0].requirement" + ".requirements[0]" * 12
    assert problem.line == line_of(text, ('"r13"', -2))  # where the innermost object begins


def test_every_problem_in_a_file_is_reported_in_line_order() -> None:
    text = (
        VALID.replace('"cadence": "quarterly"', '"cadence": "weekly"')
        .replace('"id": "gold-band"', '"id": "gold-revenue"')
        .replace('"per_unit": "0.01"', '"per_unit": "-0.01"')
    )

    problems = problems_of(text)

    assert [(problem.code, problem.path, problem.line) for problem in problems] == [
        ("not_a_choice", "$.cadence", line_of(text, '"cadence"')),
        ("duplicate_id", GOLD + ".requirements[1].id", line_of(text, '"type": "score"')),
        ("too_small", "$.versions[0].scores[0].items[0].per_unit", line_of(text, '"per_unit"')),
    ]


def test_problems_in_sibling_entries_are_each_reported_once() -> None:
    """Two points items without a label are two problems, not also a "duplicate label"."""
    item = {"source": {"metric": "revenue"}, "per_unit": 1, "cap": 1}
    points = {"type": "points", "id": "p", "minimum_total": 1, "items": [item, item]}
    text = file_text([{"valid_from": "2026-01-01", "tiers": [{"code": "registered", "requirement": points}]}])

    problems = problems_of(text)

    assert [(problem.code, problem.path) for problem in problems] == [
        ("missing_field", "$.versions[0].tiers[0].requirement.items[0]"),
        ("missing_field", "$.versions[0].tiers[0].requirement.items[1]"),
    ]


def test_labels_repeated_within_one_list_are_refused() -> None:
    quota = {"label": "cloud", "minimum": 1}
    headcount = {"type": "headcount", "id": "h", "minimum": 2, "subquotas": [quota, quota]}
    text = file_text([{"valid_from": "2026-01-01", "tiers": [{"code": "registered", "requirement": headcount}]}])

    [problem] = problems_of(text)

    assert (problem.code, problem.path) == ("duplicate_label", "$.versions[0].tiers[0].requirement.subquotas[1].label")
    assert problem.line == lines_of(text, '"label"')[1]  # the second quota's


def test_a_rule_file_error_lists_every_problem_with_its_path_and_message() -> None:
    text = VALID.replace('"count": 1', '"count": 3').replace('"cadence": "quarterly"', '"cadence": "weekly"')

    with pytest.raises(RuleFileError) as caught:
        parse_rule_file(text)

    assert str(caught.value) == (
        "$.cadence: “weekly” is not one of: continuous, quarterly, yearly.\n"
        f"{GOLD}.count: “count” is 3, but there are only 2 requirements to meet."
    )


def test_a_stored_definition_is_checked_with_paths_and_without_lines() -> None:
    definition = {"tiers": [{"code": "registered"}, {"code": "silver", "requirement": {"type": "gate", "id": "g"}}]}

    with pytest.raises(RuleFileError) as caught:
        parse_rule_set(definition, "$.definition")

    assert caught.value.problems == (
        Problem("$.definition.tiers[1].requirement", None, "missing_field", {"field": "gate"}),
    )


def test_a_stored_definition_that_is_not_an_object_is_refused() -> None:
    with pytest.raises(RuleFileError) as caught:
        parse_rule_set([])

    assert [(problem.code, problem.path) for problem in caught.value.problems] == [("expected_object", "$")]


def test_every_problem_code_has_an_english_template() -> None:
    for code, template in MESSAGES.items():
        assert template.strip(), code
    assert {case[3] for case in BAD_INPUTS} <= set(MESSAGES)


# -- References ------------------------------------------------------------------------------


def test_referenced_slugs_collects_what_the_rules_name_at_every_depth() -> None:
    assert referenced_slugs(EVERY_KIND) == References(
        certifications=frozenset({"zero-trust-pro"}),
        competencies=frozenset({"cloud-security"}),
        metrics=frozenset({"mrr", "psat", "revenue", "customer-references"}),
        gates=frozenset({"partner-audit", "exec-review"}),
    )


def test_referenced_slugs_of_the_demo_rules() -> None:
    assert referenced_slugs(parse_rule_set(DEFINITION)) == References(
        certifications=frozenset(),
        competencies=frozenset({"cloud-security"}),
        metrics=frozenset({"revenue"}),
        gates=frozenset({"partner-audit"}),
    )


def test_referenced_slugs_include_headcount_sources_of_points_and_scores() -> None:
    source = HeadcountSource(CredentialFilter(certifications=frozenset({"cert-a"}), competencies=frozenset({"data"})))
    score = Points(id="s", items=(PointsItem("people", source, Decimal(1), Decimal(10)),), minimum_total=Decimal(0))
    rule_set = RuleSet(tiers=(TierRule("registered", ScoreAtLeast("band", "s", Decimal(5))),), scores=(score,))

    assert referenced_slugs(rule_set) == References(
        certifications=frozenset({"cert-a"}),
        competencies=frozenset({"data"}),
        metrics=frozenset(),
        gates=frozenset(),
    )


def test_referenced_slugs_of_rules_without_requirements_are_empty() -> None:
    empty = frozenset[str]()
    assert referenced_slugs(RuleSet(tiers=(TierRule("registered", None),))) == References(empty, empty, empty, empty)


def test_a_track_with_a_null_requirement_is_refused_not_dropped() -> None:
    track_rules = {
        "type": "tracks",
        "id": "gold-tracks",
        "tracks": [
            {"name": "a", "requirement": None},
            {"name": "b", "requirement": {"type": "gate", "id": "g", "gate": "x"}},
        ],
    }
    tiers = [{"code": "registered"}, {"code": "silver", "requirement": track_rules}]
    text = file_text([{"valid_from": "2026-01-01", "tiers": tiers}])

    [problem] = problems_of(text)

    assert problem.code == "expected_object"
    assert problem.path == "$.versions[0].tiers[1].requirement.tracks[0].requirement"


def test_problems_read_in_persian_for_a_persian_reader(db) -> None:
    from django.utils import translation

    from certifications.services.tier_rules import problem_text

    [problem] = problems_of(file_text([{"valid_from": "2026-01-01", "tiers": [{"code": "registered", "x": 1}]}]))
    with translation.override("fa"):
        text = problem_text(problem)
    assert text.startswith("$.versions[0].tiers[0].x")
    assert "Unknown field" not in text
