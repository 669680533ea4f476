"""`manage.py tier_rules export/import` and the service behind it: moving tier rules between
installations as JSON files, checked whole and all or nothing."""

from __future__ import annotations

import io
import json
import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from certifications.management.commands import tier_rules as command
from certifications.models import BusinessMetric, TierRuleSet, TierRuleSetVersion
from certifications.services.tier_rules import RuleImportError, export_rule_set, import_rule_file
from certifications.tiers.demo import DEFINITION
from certifications.tiers.policy import Cadence, Promotion
from certifications.tiers.schema import FORMAT, dump_rule_set, parse_rule_file, parse_rule_set
from tests.certifications import builders
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BUSINESS = {
    "tiers": [
        {"code": "registered"},
        {
            "code": "silver",
            "requirement": {
                "type": "headcount",
                "id": "silver-associates",
                "minimum": 2,
                "filter": {"certifications": ["cloud-security-associate"], "levels": ["associate"]},
            },
        },
        {
            "code": "gold",
            "requirement": {
                "type": "any_of",
                "id": "gold-any",
                "count": 1,
                "requirements": [
                    {"type": "score", "id": "gold-band", "score": "business", "minimum": "55.5"},
                    {
                        "type": "metric",
                        "id": "gold-references",
                        "source": {"metric": "customer-references", "aggregate": "latest"},
                        "minimum": 3,
                    },
                ],
            },
        },
    ],
    "scores": [
        {
            "id": "business",
            "items": [
                {
                    "label": "revenue",
                    "source": {"metric": "revenue", "window_months": 12},
                    "per_unit": "0.001",
                    "cap": 60,
                },
                {
                    "label": "people",
                    "source": {"headcount": {"competencies": ["cloud-security"]}},
                    "per_unit": 10,
                    "cap": 40,
                },
            ],
        }
    ],
}


@pytest.fixture
def catalogue() -> None:
    """The certification, competency and metrics the rules above name."""
    builders.certification()  # cloud-security-associate, of the cloud-security competency
    for code in ("revenue", "customer-references"):
        BusinessMetric.objects.create(code=code, name=code.title())


@pytest.fixture
def program(catalogue: None) -> TierRuleSet:
    rule_set = TierRuleSet.objects.create(
        name="Partner program", is_active=True, promotion="approval", demotion_grace_days=45, cadence="quarterly"
    )
    TierRuleSetVersion.objects.create(
        rule_set=rule_set, number=1, valid_from=date(2026, 1, 1), valid_until=date(2027, 1, 1), definition=DEFINITION
    )
    TierRuleSetVersion.objects.create(rule_set=rule_set, number=2, valid_from=date(2027, 1, 1), definition=BUSINESS)
    return rule_set


def rule_file(versions: list[dict[str, Any]] | None = None, **top: Any) -> str:
    data = {
        "format": FORMAT,
        "format_version": 1,
        "name": "Imported program",
        "promotion": "automatic",
        "demotion_grace_days": 30,
        "cadence": "yearly",
        "versions": versions if versions is not None else [{"valid_from": "2026-06-01", **BUSINESS}],
    } | top
    return json.dumps(data, indent=2)


def write(tmp_path: Path, text: str, name: str = "rules.json") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def snapshot() -> list[tuple[Any, ...]]:
    """Every rule set and version as it stands, to show an import changed nothing."""
    return [
        *TierRuleSet.objects.order_by("pk").values_list("pk", "name", "is_active", "promotion", "cadence"),
        *TierRuleSetVersion.objects.order_by("pk").values_list("pk", "rule_set", "number", "valid_from", "definition"),
    ]


def versions_of(rule_set: TierRuleSet) -> list[tuple[int, date, date | None, Any]]:
    return [
        (version.number, version.valid_from, version.valid_until, parse_rule_set(version.definition))
        for version in rule_set.versions.order_by("number")
    ]


def import_error(path: Path | str) -> str:
    with pytest.raises(CommandError) as caught:
        call_command("tier_rules", "import", str(path), stdout=io.StringIO())
    return str(caught.value)


# -- Export ----------------------------------------------------------------------------------


def test_export_then_import_into_an_empty_database_reproduces_the_rule_set_and_its_versions(
    program: TierRuleSet, tmp_path: Path
) -> None:
    path = tmp_path / "rules.json"
    expected_versions = versions_of(program)
    call_command("tier_rules", "export", str(path), stdout=io.StringIO())
    TierRuleSet.objects.all().delete()
    assert not TierRuleSetVersion.objects.exists()

    output = io.StringIO()
    call_command("tier_rules", "import", str(path), stdout=output)

    imported = TierRuleSet.objects.get()
    assert (imported.name, imported.is_active, imported.promotion, imported.demotion_grace_days, imported.cadence) == (
        "Partner program",
        True,
        "approval",
        45,
        "quarterly",
    )
    assert versions_of(imported) == expected_versions
    assert [version.definition for version in imported.versions.order_by("number")] == [
        dump_rule_set(parse_rule_set(DEFINITION)),
        dump_rule_set(parse_rule_set(BUSINESS)),
    ]
    assert "Imported “Partner program” (2 versions)." in output.getvalue()


def test_export_writes_the_active_rule_set_as_a_rule_file(program: TierRuleSet, tmp_path: Path) -> None:
    path = tmp_path / "rules.json"
    output = io.StringIO()

    call_command("tier_rules", "export", str(path), stdout=output)

    written = parse_rule_file(path.read_text(encoding="utf-8"))
    assert (written.name, written.promotion, written.demotion_grace_days, written.cadence) == (
        "Partner program",
        Promotion.APPROVAL,
        45,
        Cadence.QUARTERLY,
    )
    assert [(spec.valid_from, spec.valid_until, spec.rule_set) for spec in written.versions] == [
        (date(2026, 1, 1), date(2027, 1, 1), parse_rule_set(DEFINITION)),
        (date(2027, 1, 1), None, parse_rule_set(BUSINESS)),
    ]
    assert f"Exported “Partner program” (2 versions) to {path}." in output.getvalue()


def test_export_to_a_dash_writes_the_file_to_standard_output(program: TierRuleSet) -> None:
    output = io.StringIO()

    call_command("tier_rules", "export", "-", stdout=output)

    assert output.getvalue() == export_rule_set(program)
    assert parse_rule_file(output.getvalue()).name == "Partner program"


def test_export_by_name_writes_an_inactive_rule_set(program: TierRuleSet) -> None:
    next_year = TierRuleSet.objects.create(name="Next year", promotion="automatic", demotion_grace_days=10)
    TierRuleSetVersion.objects.create(rule_set=next_year, number=1, valid_from=date(2028, 1, 1), definition=BUSINESS)
    output = io.StringIO()

    call_command("tier_rules", "export", "-", "--name", "Next year", stdout=output)

    written = parse_rule_file(output.getvalue())
    assert (written.name, written.demotion_grace_days) == ("Next year", 10)
    assert [(spec.valid_from, spec.rule_set) for spec in written.versions] == [
        (date(2028, 1, 1), parse_rule_set(BUSINESS))
    ]


def test_export_without_an_active_rule_set_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=re.escape("No tier rule set is active.")):
        call_command("tier_rules", "export", str(tmp_path / "rules.json"))
    assert not (tmp_path / "rules.json").exists()


def test_export_of_an_unknown_name_is_refused(program: TierRuleSet) -> None:
    with pytest.raises(CommandError, match=re.escape("No tier rule set named 'Elsewhere'.")):
        call_command("tier_rules", "export", "-", "--name", "Elsewhere")


def test_export_to_a_folder_that_does_not_exist_is_refused(program: TierRuleSet, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match=r"^Cannot write .*rules\.json: No such file or directory\.$"):
        call_command("tier_rules", "export", str(tmp_path / "missing" / "rules.json"))


# -- Import ----------------------------------------------------------------------------------


def test_import_creates_the_rule_set_active_with_its_versions_numbered_in_file_order(
    catalogue: None, tmp_path: Path
) -> None:
    versions = [
        {"valid_from": "2026-01-01", "valid_until": "2026-07-01", **DEFINITION},
        {"valid_from": "2026-07-01", **BUSINESS},
    ]
    path = write(tmp_path, rule_file(versions))

    call_command("tier_rules", "import", str(path), stdout=io.StringIO())

    rule_set = TierRuleSet.objects.get()
    assert (rule_set.name, rule_set.is_active, rule_set.promotion, rule_set.demotion_grace_days, rule_set.cadence) == (
        "Imported program",
        True,
        "automatic",
        30,
        "yearly",
    )
    assert versions_of(rule_set) == [
        (1, date(2026, 1, 1), date(2026, 7, 1), parse_rule_set(DEFINITION)),
        (2, date(2026, 7, 1), None, parse_rule_set(BUSINESS)),
    ]
    assert {version.note for version in rule_set.versions.all()} == {"Imported"}


def test_import_makes_the_imported_rule_set_the_only_active_one(program: TierRuleSet, tmp_path: Path) -> None:
    call_command("tier_rules", "import", str(write(tmp_path, rule_file())), stdout=io.StringIO())

    assert list(TierRuleSet.objects.filter(is_active=True).values_list("name", flat=True)) == ["Imported program"]


def test_import_with_inactive_leaves_the_active_rule_set_alone(program: TierRuleSet, tmp_path: Path) -> None:
    call_command("tier_rules", "import", str(write(tmp_path, rule_file())), "--inactive", stdout=io.StringIO())

    assert dict(TierRuleSet.objects.values_list("name", "is_active")) == {
        "Partner program": True,
        "Imported program": False,
    }


def test_importing_a_rule_set_again_keeps_its_versions_and_adds_the_new_ones_after_them(
    program: TierRuleSet, tmp_path: Path
) -> None:
    text = rule_file([{"valid_from": "2028-01-01", **BUSINESS}], name="Partner program", demotion_grace_days=5)

    call_command("tier_rules", "import", str(write(tmp_path, text)), stdout=io.StringIO())

    program.refresh_from_db()
    assert (program.demotion_grace_days, program.promotion, program.is_active) == (5, "automatic", True)
    assert [(number, valid_from) for number, valid_from, _until, _rules in versions_of(program)] == [
        (1, date(2026, 1, 1)),
        (2, date(2027, 1, 1)),
        (3, date(2028, 1, 1)),
    ]


def test_import_reads_standard_input_for_a_dash(catalogue: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(rule_file()))

    call_command("tier_rules", "import", "-", stdout=io.StringIO())

    assert TierRuleSet.objects.get().name == "Imported program"


def test_the_import_service_records_who_imported_the_versions(catalogue: None) -> None:
    actor = UserFactory()

    rule_set = import_rule_file(text=rule_file(), activate=False, actor=actor)

    assert not rule_set.is_active
    assert [version.created_by for version in rule_set.versions.all()] == [actor]


# -- Refused imports -------------------------------------------------------------------------


def test_a_bad_file_is_refused_with_each_problem_at_its_path_and_line_and_nothing_changes(
    program: TierRuleSet, tmp_path: Path
) -> None:
    text = rule_file(
        [
            {
                "valid_from": "2026-13-01",
                "tiers": [
                    {"code": "registered"},
                    {"code": "silver", "requirement": {"type": "headcount", "id": "people", "minimum": -2}},
                ],
            }
        ],
        name="Partner program",
        cadence="weekly",
    )
    lines = text.splitlines()
    before = snapshot()

    message = import_error(write(tmp_path, text))

    assert message.splitlines() == [
        f"{tmp_path / 'rules.json'} was not imported; nothing changed:",
        f"$.cadence (line {lines.index('  "cadence": "weekly",') + 1}): “weekly” is not one of: continuous, "
        "quarterly, yearly.",
        f"$.versions[0].valid_from (line {lines.index('      "valid_from": "2026-13-01",') + 1}): "
        "Expected a date written YYYY-MM-DD.",
        f"$.versions[0].tiers[1].requirement.minimum (line {lines.index('            "minimum": -2') + 1}): "
        "This must be at least 0.",
    ]
    assert snapshot() == before


def test_a_file_that_is_not_json_is_refused_with_its_line_and_column(program: TierRuleSet, tmp_path: Path) -> None:
    before = snapshot()

    message = import_error(write(tmp_path, '{\n  "format": "abrzad-tier-rules",\n  "name" "x"\n}'))

    assert message.endswith(
        "nothing changed:\n$ (line 3): This is not valid JSON (column 10): Expecting ':' delimiter."
    )
    assert snapshot() == before


def test_a_file_of_another_kind_is_refused(tmp_path: Path) -> None:
    message = import_error(write(tmp_path, json.dumps({"format": "abrzad-courses", "courses": []})))

    assert message.endswith("$.format (line 1): This is not a tier-rules file: “format” must be “abrzad-tier-rules”.")
    assert not TierRuleSet.objects.exists()


def test_a_file_naming_unknown_certifications_competencies_and_metrics_is_refused_and_nothing_changes(
    program: TierRuleSet, tmp_path: Path
) -> None:
    headcount = {
        "type": "headcount",
        "id": "people",
        "minimum": 1,
        "filter": {"certifications": ["cloud-security-associate", "ghost-cert"], "competencies": ["quantum"]},
    }
    metric = {"type": "metric", "id": "nps", "source": {"metric": "nps"}, "minimum": 50}
    versions = [
        {"valid_from": "2026-01-01", "tiers": [{"code": "registered"}, {"code": "silver", "requirement": headcount}]},
        {"valid_from": "2027-01-01", "tiers": [{"code": "registered"}, {"code": "gold", "requirement": metric}]},
    ]
    before = snapshot()

    message = import_error(write(tmp_path, rule_file(versions)))

    assert message.splitlines()[1:] == [
        "The rules name the business metric “nps”, which does not exist here.",
        "The rules name the certification “ghost-cert”, which does not exist here.",
        "The rules name the competency “quantum”, which does not exist here.",
    ]
    assert snapshot() == before


def test_the_import_service_reports_each_unknown_reference_once(catalogue: None) -> None:
    metric = {"type": "metric", "id": "nps", "source": {"metric": "nps"}, "minimum": 50}
    version = {"tiers": [{"code": "registered", "requirement": metric}]}
    text = rule_file([{"valid_from": "2026-01-01", **version}, {"valid_from": "2027-01-01", **version}])

    with pytest.raises(RuleImportError) as caught:
        import_rule_file(text=text)

    assert caught.value.problems == ["The rules name the business metric “nps”, which does not exist here."]
    assert not TierRuleSet.objects.exists()


def test_an_oversized_file_is_refused_without_being_read(program: TierRuleSet, tmp_path: Path) -> None:
    text = rule_file()
    path = write(tmp_path, text + " " * (command.MAX_FILE_BYTES - len(text) + 1))
    assert path.stat().st_size == command.MAX_FILE_BYTES + 1
    before = snapshot()

    assert import_error(path) == f"{path} is larger than 2 MB."
    assert snapshot() == before


def test_a_file_of_exactly_the_size_limit_is_imported(catalogue: None, tmp_path: Path) -> None:
    text = rule_file()
    path = write(tmp_path, text + " " * (command.MAX_FILE_BYTES - len(text)))

    call_command("tier_rules", "import", str(path), stdout=io.StringIO())

    assert TierRuleSet.objects.get().name == "Imported program"


def test_oversized_standard_input_is_refused(catalogue: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(rule_file() + " " * command.MAX_FILE_BYTES))

    assert import_error("-") == "The input is larger than 2 MB."
    assert not TierRuleSet.objects.exists()


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "nowhere.json"

    assert import_error(path) == f"{path} does not exist."


def test_a_file_that_is_not_utf8_text_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "rules.json"
    path.write_bytes(rule_file().replace("Imported program", "Programme été").encode("latin-1"))

    assert import_error(path) == f"{path} is not UTF-8 text."
    assert not TierRuleSet.objects.exists()


def test_a_folder_is_refused_as_unreadable(tmp_path: Path) -> None:
    assert import_error(tmp_path).startswith(f"Cannot read {tmp_path}: ")
