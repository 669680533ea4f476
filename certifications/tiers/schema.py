"""The tier-rule file format of docs/tier-rules.md: JSON in, the engine's frozen rule data
(`certifications.tiers.rules`) out, and back.

Pure Python. Reading collects every problem, each with its JSON path, its line when there
is text, and a code whose English template is in `MESSAGES`; the Django layer translates
the templates and checks what needs the database (see `referenced_slugs`).
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from json.decoder import scanstring
from typing import Any

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

__all__ = [
    "FORMAT",
    "FORMAT_VERSION",
    "LEVELS",
    "MESSAGES",
    "TIER_CODES",
    "Problem",
    "References",
    "RuleFile",
    "RuleFileError",
    "RuleSetVersionSpec",
    "dump_rule_file",
    "dump_rule_set",
    "parse_rule_file",
    "parse_rule_set",
    "referenced_slugs",
]

FORMAT = "abrzad-tier-rules"
FORMAT_VERSION = 1
# The platform ladder (lms.partners.models.Tier) and the certification levels
# (certifications.models.Level), repeated here because this module cannot import Django.
TIER_CODES = ("registered", "silver", "gold", "platinum")
LEVELS = ("foundational", "associate", "professional", "specialty")
REQUIREMENT_TYPES = ("headcount", "competencies", "metric", "points", "score", "gate", "all_of", "any_of", "tracks")

MAX_NESTING = 12  # requirements inside requirements; real programs need three or four
MAX_NAME_LENGTH = 120  # TierRuleSet.name
MAX_GATE_LENGTH = 60  # GateApproval.gate
MAX_SMALL_INTEGER = 32767  # demotion grace days and version numbers are small integers in the database
MAX_WINDOW_MONTHS = 1200
MAX_NUMBER = Decimal(10) ** 15
MAX_DECIMAL_PLACES = 10
ZERO = Decimal(0)


def gettext_noop(message: str) -> str:
    """Marks a message for translation (Django's makemessages finds it by this name);
    the Django layer translates it when it shows a problem."""
    return message


# Problem codes and their English templates (`%(name)s` placeholders, filled from `Problem.params`).
MESSAGES: dict[str, str] = {
    "json_syntax": gettext_noop("This is not valid JSON (column %(column)s): %(detail)s."),
    "json_too_deep": gettext_noop("The JSON is nested too deeply to read."),
    "duplicate_key": gettext_noop("The field “%(key)s” appears more than once in this object."),
    "wrong_format": gettext_noop("This is not a tier-rules file: “format” must be “%(expected)s”."),
    "unsupported_format_version": gettext_noop(
        "Format version %(version)s is not supported; this installation reads version %(supported)s."
    ),
    "expected_object": gettext_noop("Expected an object ({…})."),
    "expected_list": gettext_noop("Expected a list ([…])."),
    "expected_string": gettext_noop("Expected a string."),
    "expected_boolean": gettext_noop("Expected true or false."),
    "expected_number": gettext_noop("Expected a number, as a JSON number or a string such as “0.25”."),
    "expected_whole_number": gettext_noop("Expected a whole number."),
    "expected_date": gettext_noop("Expected a date written YYYY-MM-DD."),
    "missing_field": gettext_noop("The field “%(field)s” is required here."),
    "unknown_field": gettext_noop("Unknown field “%(field)s”; the fields here are: %(allowed)s."),
    "not_a_choice": gettext_noop("“%(value)s” is not one of: %(choices)s."),
    "not_a_slug": gettext_noop("“%(value)s” is not a valid code: use only letters, digits, hyphens and underscores."),
    "empty_text": gettext_noop("This must not be empty."),
    "too_long": gettext_noop("This is longer than %(maximum)s characters."),
    "too_small": gettext_noop("This must be at least %(minimum)s."),
    "too_large": gettext_noop("This must be at most %(maximum)s."),
    "too_precise": gettext_noop("Use at most %(places)s decimal places."),
    "empty_list": gettext_noop("This list needs at least one entry."),
    "dates_out_of_order": gettext_noop(
        "“valid_until” (%(valid_until)s) must be later than “valid_from” (%(valid_from)s)."
    ),
    "duplicate_version_number": gettext_noop("Another version already has the number %(number)s."),
    "duplicate_version_start": gettext_noop("Another version already starts on %(valid_from)s."),
    "duplicate_tier": gettext_noop("The tier “%(code)s” is listed twice."),
    "tier_out_of_order": gettext_noop(
        "The tier “%(code)s” must come before “%(previous)s”: list the tiers in the order %(ladder)s."
    ),
    "tier_without_requirement": gettext_noop("Only the first tier may have no requirement."),
    "duplicate_id": gettext_noop("The id “%(id)s” is already used at %(first)s."),
    "duplicate_label": gettext_noop("“%(label)s” is already used by another entry of this list."),
    "unknown_score": gettext_noop("There is no score “%(score)s” in “scores”."),
    "count_above_requirements": gettext_noop(
        "“count” is %(count)s, but there are only %(available)s requirements to meet."
    ),
    "source_kind": gettext_noop("A source has either “metric” or “headcount”, exactly one of them."),
    "too_deep": gettext_noop("Requirements may be nested at most %(maximum)s levels deep."),
}


# -- Results -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a rule file or definition. `path` is a JSON path such as
    `$.versions[0].tiers[2].requirement.minimum`; `line` is its line in the text (None when
    a dict was checked); `message` is the English text of `code` with `params`."""

    path: str
    line: int | None
    code: str
    params: Mapping[str, str | int] = field(default_factory=dict, hash=False)

    @property
    def message(self) -> str:
        return MESSAGES[self.code] % self.params


class RuleFileError(ValueError):
    """The rules cannot be read; `problems` lists every problem found, in document order."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = tuple(problems)
        super().__init__("\n".join(f"{problem.path}: {problem.message}" for problem in self.problems))


@dataclass(frozen=True)
class RuleSetVersionSpec:
    """The rules valid from `valid_from` until `valid_until` (exclusive; open-ended when None)."""

    valid_from: date
    valid_until: date | None
    rule_set: RuleSet
    number: int | None = None


@dataclass(frozen=True)
class RuleFile:
    """One rule set as a file holds it: its name, its change policy and its versions."""

    name: str
    promotion: Promotion
    demotion_grace_days: int
    cadence: Cadence
    versions: tuple[RuleSetVersionSpec, ...]


@dataclass(frozen=True)
class References:
    """What the rules name that must exist in the installation, or be known to it."""

    certifications: frozenset[str]
    competencies: frozenset[str]
    metrics: frozenset[str]
    gates: frozenset[str]


# -- Reading -------------------------------------------------------------------------------


def parse_rule_file(text: str) -> RuleFile:
    """Read a whole rule file; raise `RuleFileError` with every problem and its line."""
    text = text.removeprefix("\ufeff")  # editors on Windows like to add one
    try:
        data = json.loads(text, parse_float=Decimal, parse_int=Decimal)
        lines, duplicates = _index_lines(text)
    except json.JSONDecodeError as error:
        raise RuleFileError(
            [Problem("$", error.lineno, "json_syntax", {"column": error.colno, "detail": error.msg})]
        ) from None
    except RecursionError:
        raise RuleFileError([Problem("$", None, "json_too_deep")]) from None
    checker = _Checker(lines)
    for path, key in duplicates:
        checker.report(path, "duplicate_key", key=key)
    rule_file = _read_file(checker, data)
    checker.raise_problems()
    return rule_file


def parse_rule_set(data: object, path: str = "$") -> RuleSet:
    """Read one version's definition, `{"tiers": [...], "scores": [...]}`, as stored in
    `TierRuleSetVersion.definition`; problems carry paths below `path` and no line."""
    checker = _Checker({})
    rule_set = RuleSet(tiers=())
    definition = _object(checker, data, path, required=("tiers",), optional=("scores",))
    if definition is not None:
        rule_set = _DefinitionReader(checker).rule_set(definition)
    checker.raise_problems()
    return rule_set


class _Checker:
    """Collects problems, finding each one's line from the path (or the nearest enclosing
    value's, for a field that is missing)."""

    def __init__(self, lines: Mapping[str, int]) -> None:
        self.lines = lines
        self.problems: list[Problem] = []

    def report(self, path: str, code: str, /, **params: str | int) -> None:
        self.problems.append(Problem(path, self._line(path), code, params))

    def _line(self, path: str) -> int | None:
        current: str | None = path
        while current is not None:
            if current in self.lines:
                return self.lines[current]
            current = _parent(current)
        return None

    def raise_problems(self) -> None:
        if self.problems:
            raise RuleFileError(sorted(self.problems, key=lambda problem: problem.line or 0))


@dataclass(frozen=True)
class _Object:
    """A JSON object being read at `path`."""

    checker: _Checker
    path: str
    data: dict[str, Any]

    def at(self, key: str) -> str:
        return _member(self.path, key)

    def has(self, key: str) -> bool:
        return self.data.get(key) is not None

    def get[T](self, key: str, reader: Callable[..., T], default: T, **options: Any) -> T:
        """The field read with `reader`, or `default` when it is absent. A field whose
        default is None may also be null; any other absent field was reported missing."""
        value = self.data.get(key)
        if value is None and (key not in self.data or default is None):
            return default
        return reader(self.checker, value, self.at(key), **options)


def _object(
    checker: _Checker, value: object, path: str, *, required: tuple[str, ...], optional: tuple[str, ...] = ()
) -> _Object | None:
    """The object at `path` with its fields checked, or None (reported) when it is not an object."""
    if not isinstance(value, dict):
        checker.report(path, "expected_object")
        return None
    return _fields(checker, value, path, required=required, optional=optional)


def _fields(
    checker: _Checker, value: dict[str, Any], path: str, *, required: tuple[str, ...], optional: tuple[str, ...] = ()
) -> _Object:
    """Report the missing required fields and the unknown ones."""
    for key in required:
        if key not in value:
            checker.report(path, "missing_field", field=key)
    allowed = (*required, *optional)
    for key in value:
        if key not in allowed:
            checker.report(_member(path, key), "unknown_field", field=key, allowed=", ".join(allowed))
    return _Object(checker, path, value)


def _read_file(checker: _Checker, data: object) -> RuleFile:
    placeholder = RuleFile("", Promotion.AUTOMATIC, 0, Cadence.CONTINUOUS, ())
    if not isinstance(data, dict):
        checker.report("$", "expected_object")
        return placeholder
    # Another kind of file, or a later format: say only that, not what else looks wrong.
    if data.get("format") != FORMAT:
        checker.report("$.format" if "format" in data else "$", "wrong_format", expected=FORMAT)
        return placeholder
    version = data.get("format_version", FORMAT_VERSION)
    if isinstance(version, bool) or version != FORMAT_VERSION:
        checker.report("$.format_version", "unsupported_format_version", version=str(version), supported=FORMAT_VERSION)
        return placeholder
    top = _fields(
        checker,
        data,
        "$",
        required=("format", "format_version", "name", "promotion", "demotion_grace_days", "cadence", "versions"),
    )
    promotion = top.get("promotion", _choice, Promotion.AUTOMATIC, choices=tuple(Promotion))
    cadence = top.get("cadence", _choice, Cadence.CONTINUOUS, choices=tuple(Cadence))
    return RuleFile(
        name=top.get("name", _text, "", max_length=MAX_NAME_LENGTH),
        promotion=Promotion(promotion or Promotion.AUTOMATIC),
        demotion_grace_days=top.get("demotion_grace_days", _whole, 0, maximum=MAX_SMALL_INTEGER),
        cadence=Cadence(cadence or Cadence.CONTINUOUS),
        versions=_read_versions(checker, top.get("versions", _list, []), top.at("versions")),
    )


def _read_versions(checker: _Checker, values: list[Any], path: str) -> tuple[RuleSetVersionSpec, ...]:
    specs: list[RuleSetVersionSpec] = []
    numbers: set[int] = set()
    starts: set[date] = set()
    for index, value in enumerate(values):
        version = _object(
            checker,
            value,
            _item(path, index),
            required=("valid_from", "tiers"),
            optional=("number", "valid_until", "scores"),
        )
        if version is None:
            continue
        known = len(checker.problems)
        number = version.get("number", _whole, None, minimum=1, maximum=MAX_SMALL_INTEGER)
        if number is not None and len(checker.problems) == known:
            if number in numbers:
                checker.report(version.at("number"), "duplicate_version_number", number=number)
            numbers.add(number)
        valid_from = version.get("valid_from", _date, date.min)
        valid_until = version.get("valid_until", _date, None)
        if valid_from != date.min:
            if valid_from in starts:
                checker.report(version.at("valid_from"), "duplicate_version_start", valid_from=valid_from.isoformat())
            starts.add(valid_from)
            if valid_until is not None and valid_until != date.min and valid_until <= valid_from:
                checker.report(
                    version.at("valid_until"),
                    "dates_out_of_order",
                    valid_from=valid_from.isoformat(),
                    valid_until=valid_until.isoformat(),
                )
        rule_set = _DefinitionReader(checker).rule_set(version)
        specs.append(RuleSetVersionSpec(valid_from, valid_until, rule_set, number))
    return tuple(specs)


class _DefinitionReader:
    """Reads one version's tiers and scores, keeping track of the ids it has seen (unique
    across the version) and the score names requirements refer to."""

    def __init__(self, checker: _Checker) -> None:
        self.checker = checker
        self.ids: dict[str, str] = {}  # id → the path of its first use
        self.score_references: list[tuple[str, str]] = []  # (score name, path)

    def rule_set(self, definition: _Object) -> RuleSet:
        tiers = self.tiers(definition.get("tiers", _list, []), definition.at("tiers"))
        score_values = definition.get("scores", _list, [], allow_empty=True)
        scores = tuple(
            score
            for index, value in enumerate(score_values)
            if (score := self.score(value, _item(definition.at("scores"), index))) is not None
        )
        names = {score.id for score in scores}
        for name, path in self.score_references:
            if name not in names:
                self.checker.report(path, "unknown_score", score=name)
        return RuleSet(tiers=tiers, scores=scores)

    def tiers(self, values: list[Any], path: str) -> tuple[TierRule, ...]:
        tiers: list[TierRule] = []
        seen: set[str] = set()
        highest = -1  # the ladder rank of the highest tier so far
        for index, value in enumerate(values):
            tier = _object(self.checker, value, _item(path, index), required=("code",), optional=("requirement",))
            if tier is None:
                continue
            code = tier.get("code", _choice, "", choices=TIER_CODES)
            if code in seen:
                self.checker.report(tier.at("code"), "duplicate_tier", code=code)
            elif code:
                rank = TIER_CODES.index(code)
                if rank < highest:
                    self.checker.report(
                        tier.at("code"),
                        "tier_out_of_order",
                        code=code,
                        previous=TIER_CODES[highest],
                        ladder=", ".join(TIER_CODES),
                    )
                highest = max(highest, rank)
                seen.add(code)
            if index > 0 and not tier.has("requirement"):
                self.checker.report(tier.path, "tier_without_requirement")
            requirement = tier.get("requirement", self.requirement, None)
            tiers.append(TierRule(code, requirement))
        return tuple(tiers)

    # Requirements -----------------------------------------------------------------------

    FIELDS: Mapping[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
        "headcount": (("minimum",), ("filter", "subquotas")),
        "competencies": (("minimum",), ("people_each", "filter")),
        "metric": (("source", "minimum"), ()),
        "points": (("minimum_total", "items"), ("every_item_above_zero",)),
        "score": (("score", "minimum"), ()),
        "gate": (("gate",), ("label",)),
        "all_of": (("requirements",), ()),
        "any_of": (("count", "requirements"), ()),
        "tracks": (("tracks",), ()),
    }

    def requirement(self, _checker: _Checker, value: object, path: str, depth: int = 1) -> Requirement | None:
        if not isinstance(value, dict):
            self.checker.report(path, "expected_object")
            return None
        if "type" not in value:
            self.checker.report(path, "missing_field", field="type")
            return None
        kind = _choice(self.checker, value["type"], _member(path, "type"), choices=REQUIREMENT_TYPES)
        if not kind:
            return None
        if depth > MAX_NESTING:
            self.checker.report(path, "too_deep", maximum=MAX_NESTING)
            return None
        required, optional = self.FIELDS[kind]
        rule = _fields(self.checker, value, path, required=("type", "id", *required), optional=optional)
        identifier = self.claim_id(rule)
        match kind:
            case "headcount":
                return Headcount(
                    id=identifier,
                    minimum=rule.get("minimum", _whole, 0),
                    filter=rule.get("filter", _filter, CredentialFilter()),
                    subquotas=self.subquotas(rule),
                )
            case "competencies":
                return DistinctCompetencies(
                    id=identifier,
                    minimum=rule.get("minimum", _whole, 0),
                    people_each=rule.get("people_each", _whole, 1, minimum=1),
                    filter=rule.get("filter", _filter, CredentialFilter()),
                )
            case "metric":
                return MetricAtLeast(
                    id=identifier,
                    source=rule.get("source", _metric_source, MetricSource("")),
                    minimum=rule.get("minimum", _decimal, ZERO),
                )
            case "points":
                return Points(
                    id=identifier,
                    items=self.points_items(rule),
                    minimum_total=rule.get("minimum_total", _decimal, ZERO),
                    every_item_above_zero=rule.get("every_item_above_zero", _boolean, False),
                )
            case "score":
                score = rule.get("score", _slug, "")
                if score:
                    self.score_references.append((score, rule.at("score")))
                return ScoreAtLeast(id=identifier, score=score, minimum=rule.get("minimum", _decimal, ZERO))
            case "gate":
                return ManualGate(
                    id=identifier,
                    gate=rule.get("gate", _slug, "", max_length=MAX_GATE_LENGTH),
                    label=rule.get("label", _string, ""),
                )
            case "all_of":
                return AllOf(id=identifier, requirements=self.children(rule, depth))
            case "any_of":
                children = self.children(rule, depth)
                count = rule.get("count", _whole, 1, minimum=1)
                listed = rule.data.get("requirements")
                available = len(listed) if isinstance(listed, list) else 0
                if available and count > available:
                    self.checker.report(rule.at("count"), "count_above_requirements", count=count, available=available)
                return AnyOf(id=identifier, count=count, requirements=children)
            case _:  # tracks
                return Tracks(id=identifier, tracks=self.tracks(rule, depth))

    def claim_id(self, rule: _Object) -> str:
        identifier = rule.get("id", _slug, "")
        if identifier in self.ids:
            self.checker.report(rule.at("id"), "duplicate_id", id=identifier, first=self.ids[identifier])
        elif identifier:
            self.ids[identifier] = rule.at("id")
        return identifier

    def children(self, rule: _Object, depth: int) -> tuple[Requirement, ...]:
        path = rule.at("requirements")
        return tuple(
            child
            for index, value in enumerate(rule.get("requirements", _list, []))
            if (child := self.requirement(self.checker, value, _item(path, index), depth + 1)) is not None
        )

    def tracks(self, rule: _Object, depth: int) -> tuple[Track, ...]:
        path = rule.at("tracks")
        tracks: list[Track] = []
        names = _Labels(self.checker)
        for index, value in enumerate(rule.get("tracks", _list, [])):
            track = _object(self.checker, value, _item(path, index), required=("name", "requirement"))
            if track is None:
                continue
            name = names.claim(track, "name")
            requirement = (
                self.requirement(self.checker, track.data["requirement"], track.at("requirement"), depth + 1)
                if "requirement" in track.data  # null is reported: a track needs its requirement
                else None
            )
            if requirement is not None:
                tracks.append(Track(name, requirement))
        return tuple(tracks)

    def subquotas(self, rule: _Object) -> tuple[SubQuota, ...]:
        path = rule.at("subquotas")
        quotas: list[SubQuota] = []
        labels = _Labels(self.checker)
        for index, value in enumerate(rule.get("subquotas", _list, [], allow_empty=True)):
            quota = _object(
                self.checker, value, _item(path, index), required=("label", "minimum"), optional=("filter",)
            )
            if quota is not None:
                quotas.append(
                    SubQuota(
                        label=labels.claim(quota, "label"),
                        minimum=quota.get("minimum", _whole, 0),
                        filter=quota.get("filter", _filter, CredentialFilter()),
                    )
                )
        return tuple(quotas)

    def score(self, value: object, path: str) -> Points | None:
        """A named score: a points definition without `type` or `minimum_total` (each score
        band that uses it sets its own minimum)."""
        score = _object(self.checker, value, path, required=("id", "items"), optional=("every_item_above_zero",))
        if score is None:
            return None
        return Points(
            id=self.claim_id(score),
            items=self.points_items(score),
            minimum_total=ZERO,
            every_item_above_zero=score.get("every_item_above_zero", _boolean, False),
        )

    def points_items(self, rule: _Object) -> tuple[PointsItem, ...]:
        path = rule.at("items")
        items: list[PointsItem] = []
        labels = _Labels(self.checker)
        for index, value in enumerate(rule.get("items", _list, [])):
            item = _object(
                self.checker,
                value,
                _item(path, index),
                required=("label", "source", "per_unit", "cap"),
                optional=("threshold", "partial_credit"),
            )
            if item is not None:
                items.append(
                    PointsItem(
                        label=labels.claim(item, "label"),
                        source=item.get("source", _points_source, HeadcountSource()),
                        per_unit=item.get("per_unit", _decimal, ZERO),
                        cap=item.get("cap", _decimal, ZERO),
                        threshold=item.get("threshold", _decimal, ZERO),
                        partial_credit=item.get("partial_credit", _boolean, True),
                    )
                )
        return tuple(items)


class _Labels:
    """Labels (or track names) that must differ within one list."""

    def __init__(self, checker: _Checker) -> None:
        self.checker = checker
        self.seen: set[str] = set()

    def claim(self, entry: _Object, key: str) -> str:
        label = entry.get(key, _text, "")
        if not label.strip():  # missing, not a string or blank: already reported
            return label
        if label in self.seen:
            self.checker.report(entry.at(key), "duplicate_label", label=label)
        self.seen.add(label)
        return label


# Field readers: (checker, value, path, options) → the value, or a placeholder after a problem.

_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_DECIMAL_STRING = re.compile(r"-?\d+(\.\d+)?")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _list(checker: _Checker, value: object, path: str, *, allow_empty: bool = False) -> list[Any]:
    if not isinstance(value, list):
        checker.report(path, "expected_list")
        return []
    if not value and not allow_empty:
        checker.report(path, "empty_list")
    return value


def _string(checker: _Checker, value: object, path: str) -> str:
    if not isinstance(value, str):
        checker.report(path, "expected_string")
        return ""
    return value


def _text(checker: _Checker, value: object, path: str, *, max_length: int | None = None) -> str:
    """A string that is not blank."""
    if not isinstance(value, str):
        checker.report(path, "expected_string")
        return ""
    if not value.strip():
        checker.report(path, "empty_text")
    elif max_length is not None and len(value) > max_length:
        checker.report(path, "too_long", maximum=max_length)
    return value


def _slug(checker: _Checker, value: object, path: str, *, max_length: int | None = None) -> str:
    if not isinstance(value, str):
        checker.report(path, "expected_string")
        return ""
    if not _SLUG.fullmatch(value):
        checker.report(path, "not_a_slug", value=value[:80])
        return ""
    if max_length is not None and len(value) > max_length:
        checker.report(path, "too_long", maximum=max_length)
    return value


def _choice(checker: _Checker, value: object, path: str, *, choices: tuple[str, ...]) -> str:
    if not isinstance(value, str):
        checker.report(path, "expected_string")
        return ""
    if value not in choices:
        checker.report(path, "not_a_choice", value=value[:80], choices=", ".join(choices))
        return ""
    return value


def _boolean(checker: _Checker, value: object, path: str) -> bool:
    if not isinstance(value, bool):
        checker.report(path, "expected_boolean")
        return False
    return value


def _date(checker: _Checker, value: object, path: str) -> date:
    if isinstance(value, str) and _DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            pass
    checker.report(path, "expected_date")
    return date.min


def _number(checker: _Checker, value: object, path: str) -> Decimal | None:
    """A finite number within bounds, from a JSON number or a decimal string; floats (from
    a plain `json.loads`) are read by their shortest representation, so 0.1 is 0.1."""
    number: Decimal | None = None
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int) and not isinstance(value, bool):
        number = Decimal(value)
    elif isinstance(value, float):
        number = Decimal(repr(value))
    elif isinstance(value, str) and _DECIMAL_STRING.fullmatch(value):
        number = Decimal(value)
    if number is None or not number.is_finite():
        checker.report(path, "expected_number")
        return None
    if abs(number) > MAX_NUMBER:
        checker.report(path, "too_large", maximum=str(MAX_NUMBER))
        return None
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > MAX_DECIMAL_PLACES:
        checker.report(path, "too_precise", places=MAX_DECIMAL_PLACES)
        return None
    return number


def _decimal(checker: _Checker, value: object, path: str) -> Decimal:
    """A number, not negative."""
    number = _number(checker, value, path)
    if number is None:
        return ZERO
    if number < 0:
        checker.report(path, "too_small", minimum=0)
    return number


def _whole(checker: _Checker, value: object, path: str, *, minimum: int = 0, maximum: int = int(MAX_NUMBER)) -> int:
    number = _number(checker, value, path)
    if number is None:
        return minimum
    if number != number.to_integral_value():
        checker.report(path, "expected_whole_number")
        return minimum
    if number < minimum:
        checker.report(path, "too_small", minimum=minimum)
    elif number > maximum:
        checker.report(path, "too_large", maximum=maximum)
    return int(number)


def _slugs(checker: _Checker, value: object, path: str, *, choices: tuple[str, ...] | None = None) -> frozenset[str]:
    values = _list(checker, value, path, allow_empty=True)
    if choices is None:
        return frozenset(_slug(checker, entry, _item(path, index)) for index, entry in enumerate(values))
    return frozenset(_choice(checker, entry, _item(path, index), choices=choices) for index, entry in enumerate(values))


def _filter(checker: _Checker, value: object, path: str) -> CredentialFilter:
    credential_filter = _object(
        checker, value, path, required=(), optional=("certifications", "competencies", "levels")
    )
    if credential_filter is None:
        return CredentialFilter()
    return CredentialFilter(
        certifications=credential_filter.get("certifications", _slugs, frozenset()),
        competencies=credential_filter.get("competencies", _slugs, frozenset()),
        levels=credential_filter.get("levels", _slugs, frozenset(), choices=LEVELS),
    )


def _metric_source(checker: _Checker, value: object, path: str) -> MetricSource:
    source = _object(checker, value, path, required=("metric",), optional=("aggregate", "window_months"))
    if source is None:
        return MetricSource("")
    aggregate = source.get("aggregate", _choice, Aggregate.SUM, choices=tuple(Aggregate))
    return MetricSource(
        metric=source.get("metric", _slug, ""),
        aggregate=Aggregate(aggregate or Aggregate.SUM),
        window_months=source.get("window_months", _whole, None, minimum=1, maximum=MAX_WINDOW_MONTHS),
    )


def _points_source(checker: _Checker, value: object, path: str) -> MetricSource | HeadcountSource:
    if not isinstance(value, dict):
        checker.report(path, "expected_object")
        return HeadcountSource()
    if ("metric" in value) == ("headcount" in value):
        checker.report(path, "source_kind")
        return HeadcountSource()
    if "metric" in value:
        return _metric_source(checker, value, path)
    source = _fields(checker, value, path, required=("headcount",))
    return HeadcountSource(source.get("headcount", _filter, CredentialFilter()))


# -- Where things are in the text ------------------------------------------------------------

_IDENTIFIER = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_LAST_STEP = re.compile(r'(?:\.[A-Za-z_][A-Za-z0-9_]*|\[\d+\]|\["(?:[^"\\]|\\.)*"\])\Z')
_NOT_WHITESPACE = re.compile(r"[^ \t\n\r]")


def _member(path: str, key: str) -> str:
    if _IDENTIFIER.fullmatch(key):
        return f"{path}.{key}"
    return f"{path}[{json.dumps(key, ensure_ascii=False)}]"


def _item(path: str, index: int) -> str:
    return f"{path}[{index}]"


def _parent(path: str) -> str | None:
    step = _LAST_STEP.search(path)
    return path[: step.start()] if step else None


def _index_lines(text: str) -> tuple[dict[str, int], list[tuple[str, str]]]:
    """For valid JSON text: the line of every value by JSON path (an object member's is the
    line of its key), and the (path, key) of every repeated key. The last of repeated keys
    wins, as in `json.loads`."""
    newlines = [match.start() for match in re.finditer("\n", text)]
    decoder = json.JSONDecoder(parse_float=Decimal, parse_int=Decimal)
    lines: dict[str, int] = {}
    duplicates: list[tuple[str, str]] = []

    def line_at(index: int) -> int:
        return bisect_left(newlines, index) + 1

    def skip(index: int) -> int:
        match = _NOT_WHITESPACE.search(text, index)
        return match.start() if match else len(text)

    def value(index: int, path: str) -> int:
        """Index the value starting at `index`; return where it ends."""
        if text[index] == "{":
            index = skip(index + 1)
            keys: set[str] = set()
            while text[index] != "}":
                key, after = scanstring(text, index + 1)
                child = _member(path, key)
                if key in keys:
                    duplicates.append((child, key))
                keys.add(key)
                lines[child] = line_at(index)
                index = skip(value(skip(skip(after) + 1), child))  # past the colon, then the value
                if text[index] == ",":
                    index = skip(index + 1)
            return index + 1
        if text[index] == "[":
            index = skip(index + 1)
            count = 0
            while text[index] != "]":
                child = _item(path, count)
                lines[child] = line_at(index)
                index = skip(value(index, child))
                if text[index] == ",":
                    index = skip(index + 1)
                count += 1
            return index + 1
        return decoder.raw_decode(text, index)[1]

    start = skip(0)
    lines["$"] = line_at(start)
    value(start, "$")
    return lines, duplicates


# -- Writing -------------------------------------------------------------------------------


def dump_rule_file(rule_file: RuleFile) -> str:
    """The file text: keys in a fixed order, two-space indents, fields at their default
    left out, whole numbers as JSON numbers and other decimals as strings."""
    data: dict[str, Any] = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "name": rule_file.name,
        "promotion": str(rule_file.promotion),
        "demotion_grace_days": rule_file.demotion_grace_days,
        "cadence": str(rule_file.cadence),
        "versions": [_dump_version(version) for version in rule_file.versions],
    }
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def dump_rule_set(rule_set: RuleSet) -> dict[str, Any]:
    """One version's definition as plain JSON data (no Decimal), for a JSONField."""
    data: dict[str, Any] = {"tiers": [_dump_tier(tier) for tier in rule_set.tiers]}
    if rule_set.scores:
        data["scores"] = [_dump_score(score) for score in rule_set.scores]
    return data


def _dump_version(version: RuleSetVersionSpec) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if version.number is not None:
        data["number"] = version.number
    data["valid_from"] = version.valid_from.isoformat()
    if version.valid_until is not None:
        data["valid_until"] = version.valid_until.isoformat()
    return data | dump_rule_set(version.rule_set)


def _dump_tier(tier: TierRule) -> dict[str, Any]:
    data: dict[str, Any] = {"code": tier.code}
    if tier.requirement is not None:
        data["requirement"] = _dump_requirement(tier.requirement)
    return data


def _dump_requirement(requirement: Requirement) -> dict[str, Any]:
    match requirement:
        case Headcount():
            data = {"type": "headcount", "id": requirement.id, "minimum": requirement.minimum}
            data |= _dump_filter_field(requirement.filter)
            if requirement.subquotas:
                data["subquotas"] = [
                    {"label": quota.label, "minimum": quota.minimum, **_dump_filter_field(quota.filter)}
                    for quota in requirement.subquotas
                ]
            return data
        case DistinctCompetencies():
            data = {"type": "competencies", "id": requirement.id, "minimum": requirement.minimum}
            if requirement.people_each != 1:
                data["people_each"] = requirement.people_each
            return data | _dump_filter_field(requirement.filter)
        case MetricAtLeast():
            return {
                "type": "metric",
                "id": requirement.id,
                "source": _dump_source(requirement.source),
                "minimum": _dump_number(requirement.minimum),
            }
        case Points():
            data = {"type": "points", "id": requirement.id, "minimum_total": _dump_number(requirement.minimum_total)}
            return data | _dump_points(requirement)
        case ScoreAtLeast():
            return {
                "type": "score",
                "id": requirement.id,
                "score": requirement.score,
                "minimum": _dump_number(requirement.minimum),
            }
        case ManualGate():
            data = {"type": "gate", "id": requirement.id, "gate": requirement.gate}
            if requirement.label:
                data["label"] = requirement.label
            return data
        case AllOf():
            return {
                "type": "all_of",
                "id": requirement.id,
                "requirements": [_dump_requirement(child) for child in requirement.requirements],
            }
        case AnyOf():
            return {
                "type": "any_of",
                "id": requirement.id,
                "count": requirement.count,
                "requirements": [_dump_requirement(child) for child in requirement.requirements],
            }
        case Tracks():
            return {
                "type": "tracks",
                "id": requirement.id,
                "tracks": [
                    {"name": track.name, "requirement": _dump_requirement(track.requirement)}
                    for track in requirement.tracks
                ],
            }
    raise TypeError(f"not a requirement: {requirement!r}")


def _dump_score(score: Points) -> dict[str, Any]:
    return {"id": score.id} | _dump_points(score)


def _dump_points(points: Points) -> dict[str, Any]:
    data: dict[str, Any] = {}
    if points.every_item_above_zero:
        data["every_item_above_zero"] = True
    data["items"] = [_dump_points_item(item) for item in points.items]
    return data


def _dump_points_item(item: PointsItem) -> dict[str, Any]:
    data: dict[str, Any] = {
        "label": item.label,
        "source": _dump_source(item.source),
        "per_unit": _dump_number(item.per_unit),
        "cap": _dump_number(item.cap),
    }
    if item.threshold:
        data["threshold"] = _dump_number(item.threshold)
    if not item.partial_credit:
        data["partial_credit"] = False
    return data


def _dump_source(source: MetricSource | HeadcountSource) -> dict[str, Any]:
    if isinstance(source, HeadcountSource):
        return {"headcount": _dump_filter(source.filter)}
    data: dict[str, Any] = {"metric": source.metric}
    if source.aggregate != Aggregate.SUM:
        data["aggregate"] = str(source.aggregate)
    if source.window_months is not None:
        data["window_months"] = source.window_months
    return data


def _dump_filter_field(credential_filter: CredentialFilter) -> dict[str, Any]:
    data = _dump_filter(credential_filter)
    return {"filter": data} if data else {}


def _dump_filter(credential_filter: CredentialFilter) -> dict[str, list[str]]:
    data: dict[str, list[str]] = {}
    for key in ("certifications", "competencies", "levels"):
        values: frozenset[str] = getattr(credential_filter, key)
        if values:
            data[key] = sorted(values)
    return data


def _dump_number(number: Decimal) -> int | str:
    if number == number.to_integral_value():
        return int(number)
    return format(number, "f")


# -- References ------------------------------------------------------------------------------


def referenced_slugs(rule_set: RuleSet) -> References:
    """The certifications, competencies, metrics and gates the rules name, for the checks
    that need the database."""
    certifications: set[str] = set()
    competencies: set[str] = set()
    metrics: set[str] = set()
    gates: set[str] = set()

    def add_filter(credential_filter: CredentialFilter) -> None:
        certifications.update(credential_filter.certifications)
        competencies.update(credential_filter.competencies)

    def add_points(points: Points) -> None:
        for item in points.items:
            if isinstance(item.source, HeadcountSource):
                add_filter(item.source.filter)
            else:
                metrics.add(item.source.metric)

    for requirement in _requirements(rule_set):
        match requirement:
            case Headcount():
                add_filter(requirement.filter)
                for quota in requirement.subquotas:
                    add_filter(quota.filter)
            case DistinctCompetencies():
                add_filter(requirement.filter)
            case MetricAtLeast():
                metrics.add(requirement.source.metric)
            case Points():
                add_points(requirement)
            case ManualGate():
                gates.add(requirement.gate)
    for score in rule_set.scores:
        add_points(score)
    return References(frozenset(certifications), frozenset(competencies), frozenset(metrics), frozenset(gates))


def _requirements(rule_set: RuleSet) -> Iterator[Requirement]:
    """Every requirement of every tier, nested ones included."""
    pending = [tier.requirement for tier in rule_set.tiers if tier.requirement is not None]
    while pending:
        requirement = pending.pop()
        yield requirement
        match requirement:
            case AllOf() | AnyOf():
                pending.extend(requirement.requirements)
            case Tracks():
                pending.extend(track.requirement for track in requirement.tracks)
