"""Tier rules, the facts they are judged on, and the results, as plain frozen data.

This module is the contract between the pure tier engine (`certifications.tiers.engine`),
the rule-file schema (`certifications.tiers.schema`) and the services that load facts from
the database. Nothing here imports Django.

Rules refer to certifications and competencies by slug and to levels by their code, so a
rule file can move between installations.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from enum import StrEnum

# -- Rules -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CredentialFilter:
    """Which active credentials count. An empty set means "any"; the sets combine with AND.

    `levels` are certification level codes: foundational, associate, professional, specialty.
    """

    certifications: frozenset[str] = frozenset()
    competencies: frozenset[str] = frozenset()
    levels: frozenset[str] = frozenset()

    def matches(self, credential: CredentialFact) -> bool:
        return (
            (not self.certifications or credential.certification in self.certifications)
            and (not self.competencies or credential.competency in self.competencies)
            and (not self.levels or credential.level in self.levels)
        )


@dataclass(frozen=True)
class SubQuota:
    """At least `minimum` of the people a headcount counted also hold a credential matching
    `filter` (for example "at least 4 of them technical")."""

    label: str
    minimum: int
    filter: CredentialFilter


@dataclass(frozen=True)
class Headcount:
    """At least `minimum` distinct people holding an active credential matching `filter`.

    A person counts once per requirement, whatever number of matching credentials they
    hold, and may count toward several requirements. Each sub-quota is checked over the
    people this headcount counted.
    """

    id: str
    minimum: int
    filter: CredentialFilter = CredentialFilter()
    subquotas: tuple[SubQuota, ...] = ()


@dataclass(frozen=True)
class DistinctCompetencies:
    """At least `minimum` distinct competencies, each held by at least `people_each` people
    (counting only credentials matching `filter`, for example professional level)."""

    id: str
    minimum: int
    people_each: int = 1
    filter: CredentialFilter = CredentialFilter()


class Aggregate(StrEnum):
    SUM = "sum"  # revenue, launched projects, references: add the periods up
    LATEST = "latest"  # MRR, PSAT: the most recent period's value
    AVERAGE = "average"  # the mean over the periods in the window


@dataclass(frozen=True)
class MetricSource:
    """A business metric's value for the organization over a trailing window.

    Periods count when their end date lies in (as_of - window_months, as_of]. With no window
    every period up to `as_of` counts. No period in the window gives 0.
    """

    metric: str
    aggregate: Aggregate = Aggregate.SUM
    window_months: int | None = None


@dataclass(frozen=True)
class MetricAtLeast:
    id: str
    source: MetricSource
    minimum: Decimal


@dataclass(frozen=True)
class HeadcountSource:
    """The number of distinct people holding a credential matching `filter`, as a points input."""

    filter: CredentialFilter = CredentialFilter()


@dataclass(frozen=True)
class PointsItem:
    """points = min(cap, value × per_unit) when value ≥ threshold; below the threshold the
    same formula when `partial_credit`, else 0."""

    label: str
    source: MetricSource | HeadcountSource
    per_unit: Decimal
    cap: Decimal
    threshold: Decimal = Decimal(0)
    partial_credit: bool = True


@dataclass(frozen=True)
class Points:
    """Weighted points over several items; met when the total reaches `minimum_total` and,
    with `every_item_above_zero`, every item scores more than 0."""

    id: str
    items: tuple[PointsItem, ...]
    minimum_total: Decimal
    every_item_above_zero: bool = False


@dataclass(frozen=True)
class ScoreAtLeast:
    """A score band: the rule set's named score (a `Points` definition in `RuleSet.scores`)
    reaches `minimum`. Tiers that share one score with rising minimums are score bands."""

    id: str
    score: str
    minimum: Decimal


@dataclass(frozen=True)
class ManualGate:
    """An approval a tier manager gives on evidence (an audit, references); met while an
    approved, unexpired approval of `gate` exists for the organization."""

    id: str
    gate: str
    label: str = ""


@dataclass(frozen=True)
class AllOf:
    id: str
    requirements: tuple[Requirement, ...]


@dataclass(frozen=True)
class AnyOf:
    """At least `count` of the requirements (count=1 is "any of")."""

    id: str
    count: int
    requirements: tuple[Requirement, ...]


@dataclass(frozen=True)
class Track:
    name: str
    requirement: Requirement


@dataclass(frozen=True)
class Tracks:
    """Alternative tracks (for example a points track and a headcount track): met when any
    track is met. The best track, the one reported, is a met one if any, then the one with
    the highest progress (see `RequirementResult.progress`)."""

    id: str
    tracks: tuple[Track, ...]


type Requirement = (
    Headcount | DistinctCompetencies | MetricAtLeast | Points | ScoreAtLeast | ManualGate | AllOf | AnyOf | Tracks
)


@dataclass(frozen=True)
class TierRule:
    """One rung of the ladder. `code` is a platform tier code (registered, silver, gold,
    platinum). A tier is eligible when its requirement and every lower tier's are met;
    `requirement=None` means always met (the entry tier)."""

    code: str
    requirement: Requirement | None


@dataclass(frozen=True)
class RuleSet:
    """Ordered tiers, lowest first, plus the named scores that `ScoreAtLeast` refers to."""

    tiers: tuple[TierRule, ...]
    scores: tuple[Points, ...] = ()

    def score(self, name: str) -> Points:
        for points in self.scores:
            if points.id == name:
                return points
        raise KeyError(name)


# -- Facts -------------------------------------------------------------------------------


@dataclass(frozen=True)
class CredentialFact:
    """One active credential of a current member. `expires_on=None` never expires."""

    person: int
    certification: str
    competency: str
    level: str
    expires_on: date | None = None


@dataclass(frozen=True)
class MetricValue:
    metric: str
    period_end: date
    value: Decimal


@dataclass(frozen=True)
class GateApproval:
    gate: str
    expires_on: date | None = None


@dataclass(frozen=True)
class OrganizationFacts:
    """Everything the engine needs about one organization, as of `as_of`."""

    organization: int
    as_of: date
    credentials: tuple[CredentialFact, ...] = ()
    metrics: tuple[MetricValue, ...] = ()
    gates: tuple[GateApproval, ...] = ()


# -- Results -----------------------------------------------------------------------------


class Kind(StrEnum):
    HEADCOUNT = "headcount"
    SUBQUOTA = "subquota"
    COMPETENCIES = "competencies"
    METRIC = "metric"
    POINTS = "points"
    POINTS_ITEM = "points_item"
    SCORE = "score"
    GATE = "gate"
    ALL_OF = "all_of"
    ANY_OF = "any_of"
    TRACKS = "tracks"
    TRACK = "track"


@dataclass(frozen=True)
class RequirementResult:
    """How one requirement fared.

    `required` and `actual` are in the requirement's own unit (people, competencies, the
    metric's unit, points, met children); `gap` is max(0, required - actual) for the
    numeric kinds and the number of unmet children for combinators. `people` are the person
    ids that counted. `progress` in [0, 1] is actual/required capped at 1 (for combinators
    the mean of the children's best progress needed), used to pick the best track.
    `rule` is the requirement (or sub-quota, points item) the result is for, so wording can
    name what is missing. A points item's `required` and `actual` are its threshold and its
    source's value; `points` is what it scored (None for every other kind).
    """

    id: str
    kind: Kind
    met: bool
    required: Decimal
    actual: Decimal
    gap: Decimal
    progress: Decimal
    rule: Requirement | SubQuota | PointsItem | Track
    people: frozenset[int] = frozenset()
    children: tuple[RequirementResult, ...] = ()
    best_track: str | None = None
    points: Decimal | None = None


@dataclass(frozen=True)
class TierResult:
    code: str
    met: bool
    result: RequirementResult | None  # None for a tier without requirements


@dataclass(frozen=True)
class Evaluation:
    """The engine's answer for one organization.

    `eligible` is the highest tier code whose requirement and every lower tier's are met
    (the first tier when none is). `next_tier` is the one above `eligible`, if any, and
    `next_gaps` the unmet leaf results that stand between the organization and it.
    """

    organization: int
    as_of: date
    eligible: str
    tiers: tuple[TierResult, ...]
    next_tier: str | None = None
    next_gaps: tuple[RequirementResult, ...] = field(default=())
