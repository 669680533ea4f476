"""Reads for the tier managers' pages.

The dashboard lists every organization with its standing: one query for a page of rows
(organizations left-joined to their standing, so those never evaluated show too) and one
to count them, however many organizations there are. The organization page evaluates
one organization live and arranges the result for reading: each requirement with its
sentence and the people it counted, the next tier's gaps, the history, the headcount
samples and the gate evidence.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from enum import StrEnum

from django.db.models import Case, F, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Coalesce
from django.utils import formats, translation

from certifications.models import GateApproval, HeadcountSample, TierChange, TierStanding
from certifications.services.tiers import LADDER, NoActiveRules, Outcome, evaluate_tiers
from certifications.tiers.rules import Kind, RequirementResult, Track
from certifications.tiers.wording import describe_gap, describe_requirement, load_names
from lms.accounts.models import User
from lms.charts import Frame, Tick, value_ticks
from lms.i18n import local_digits, local_list
from lms.partners.models import Organization

PAGE_SIZE = 50
FORECAST_WINDOWS = (30, 60, 90)
HISTORY_LIMIT = 100
GATE_LIMIT = 20
HEADCOUNT_SAMPLES = 120


class Status(StrEnum):
    PENDING = "pending"
    AT_RISK = "at_risk"
    OVERRIDE = "override"
    STEADY = "steady"


class Sort(StrEnum):
    NAME = "name"
    TIER = "tier"
    FORECAST = "forecast"
    PEOPLE = "people"


@dataclass(frozen=True)
class DashboardFilters:
    """What the dashboard (and its CSV) is narrowed to; empty values mean "any"."""

    tier: str = ""
    eligible: str = ""
    status: str = ""
    forecast_within: int | None = None  # days: would lose its tier within them
    search: str = ""
    sort: str = Sort.NAME
    descending: bool = False


# -- The dashboard ---------------------------------------------------------------------------


def _tier_rank(field: str) -> Case:
    """The tier's place on the ladder (codes do not sort alphabetically)."""
    return Case(
        *(When(**{field: code}, then=Value(rank)) for rank, code in enumerate(LADDER)),
        default=Value(-1),
        output_field=IntegerField(),
    )


def _display_name():
    """What the reader sees as the name: the Persian one in Persian, where there is one."""
    if translation.get_language() == "fa":
        return F("persian_sort_name")
    return F("name")


def _status_filter(status: str) -> Q:
    pending = Q(tier_standing__pending__gt="")
    at_risk = Q(tier_standing__at_risk_since__isnull=False)
    override = Q(tier_standing__override__gt="")
    match status:
        case Status.PENDING:
            return pending
        case Status.AT_RISK:
            return at_risk
        case Status.OVERRIDE:
            return override
        case Status.STEADY:
            return ~(pending | at_risk | override)  # organizations never evaluated included
    return Q()


def dashboard_organizations(*, filters: DashboardFilters, today: date) -> QuerySet[Organization]:
    """Every organization matching `filters`, with its standing (None where it has not been
    evaluated yet) in the same query, sorted as asked; ties by name, then id."""
    rows = Organization.objects.select_related("tier_standing")
    if filters.search:
        rows = rows.filter(Q(name__icontains=filters.search) | Q(name_fa__icontains=filters.search))
    if filters.tier:
        rows = rows.filter(tier=filters.tier)
    if filters.eligible:
        rows = rows.filter(tier_standing__eligible=filters.eligible)
    if filters.status:
        rows = rows.filter(_status_filter(filters.status))
    if filters.forecast_within is not None:
        rows = rows.filter(tier_standing__forecast_loss_on__lte=today + timedelta(days=filters.forecast_within))
    rows = rows.annotate(display_name_sort=_display_name())
    return rows.order_by(*_ordering(filters))


def _ordering(filters: DashboardFilters) -> list:
    descending = filters.descending
    name = F("display_name_sort").desc() if descending and filters.sort == Sort.NAME else F("display_name_sort").asc()
    match filters.sort:
        case Sort.TIER:
            key = _tier_rank("tier")
            first = key.desc() if descending else key.asc()
        case Sort.FORECAST:
            # Organizations without a forecast date come last whichever way the dates run.
            date_field = F("tier_standing__forecast_loss_on")
            first = date_field.desc(nulls_last=True) if descending else date_field.asc(nulls_last=True)
        case Sort.PEOPLE:
            people = Coalesce("tier_standing__certified_people", Value(0))
            first = people.desc() if descending else people.asc()
        case _:
            return [name, "pk"]
    return [first, name, "pk"]


@dataclass(frozen=True)
class DashboardRow:
    organization: Organization
    standing: TierStanding | None

    @property
    def eligible(self) -> str:
        return self.standing.eligible if self.standing else ""

    @property
    def pending(self) -> str:
        return self.standing.pending if self.standing else ""

    @property
    def at_risk(self) -> bool:
        return self.standing is not None and self.standing.at_risk_since is not None

    @property
    def overridden(self) -> bool:
        return bool(self.standing and self.standing.override)

    @property
    def steady(self) -> bool:
        return not (self.pending or self.at_risk or self.overridden)

    @property
    def forecast_loss_on(self) -> date | None:
        return self.standing.forecast_loss_on if self.standing else None

    @property
    def certified_people(self) -> int:
        return self.standing.certified_people if self.standing else 0


def dashboard_rows(organizations: Iterable[Organization]) -> Iterator[DashboardRow]:
    """Rows of `dashboard_organizations` (no further queries)."""
    for organization in organizations:
        yield DashboardRow(organization, getattr(organization, "tier_standing", None))


# -- One organization -------------------------------------------------------------------------


def organization_with_standing(*, slug: str) -> Organization | None:
    return Organization.objects.select_related("tier_standing").filter(slug=slug).first()


def standing_of(organization: Organization) -> TierStanding | None:
    """The standing loaded with `organization_with_standing` (None if never evaluated)."""
    return getattr(organization, "tier_standing", None)


def amount(value: Decimal | None) -> str:
    """A requirement's number as people read it: grouped, at most two decimals, in the
    reader's digits."""
    if value is None:
        return ""
    value = value.normalize()
    if value == value.to_integral():
        shown = formats.number_format(int(value), force_grouping=True)
    else:
        shown = formats.number_format(value, decimal_pos=2, force_grouping=True)
    return local_digits(shown)


@dataclass(frozen=True)
class RequirementView:
    """One requirement's result, ready to read."""

    result: RequirementResult
    sentence: str
    people: tuple[str, ...]  # the names of the people counted
    children: tuple[RequirementView, ...]
    best_track: bool  # the track reported for its parent "tracks" requirement

    @property
    def required(self) -> str:
        return amount(self.result.required)

    @property
    def actual(self) -> str:
        return amount(self.result.actual)

    @property
    def gap(self) -> str:
        return amount(self.result.gap)

    @property
    def points(self) -> str:
        return amount(self.result.points)

    @property
    def is_combinator(self) -> bool:
        return self.result.kind in (Kind.ALL_OF, Kind.ANY_OF, Kind.TRACKS)

    @property
    def is_points_item(self) -> bool:
        """Its figures are the measured value, the threshold for full credit and the points."""
        return self.result.kind == Kind.POINTS_ITEM

    @property
    def shows_figures(self) -> bool:
        """A gate is simply met or not; a track repeats the figures of what it holds."""
        return self.result.kind not in (Kind.GATE, Kind.TRACK)

    @property
    def people_list(self) -> str:
        return local_list(self.people)


@dataclass(frozen=True)
class TierView:
    code: str
    met: bool
    requirement: RequirementView | None  # None for a tier without requirements
    is_current: bool
    is_eligible: bool
    is_next: bool


@dataclass(frozen=True)
class Breakdown:
    outcome: Outcome
    tiers: tuple[TierView, ...]
    next_tier: str | None
    next_gaps: tuple[str, ...]  # one sentence per gap

    @property
    def eligible(self) -> str:
        return self.outcome.evaluation.eligible

    @property
    def forecast_loss_on(self) -> date | None:
        return self.outcome.forecast_loss_on


def _people_in(results: Iterable[RequirementResult | None]) -> set[int]:
    people: set[int] = set()
    pending = [result for result in results if result is not None]
    while pending:
        result = pending.pop()
        people |= result.people
        pending.extend(result.children)
    return people


def _names(person_ids: set[int]) -> dict[int, str]:
    if not person_ids:
        return {}
    return {
        person.pk: person.display_name
        for person in User.objects.filter(pk__in=person_ids).only("pk", "first_name", "last_name", "email")
    }


def _requirement_view(
    result: RequirementResult, names, people: dict[int, str], *, best_track: bool = False
) -> RequirementView:
    best = result.best_track
    children = tuple(
        _requirement_view(
            child,
            names,
            people,
            best_track=best is not None and isinstance(child.rule, Track) and child.rule.name == best,
        )
        for child in result.children
    )
    return RequirementView(
        result=result,
        sentence=describe_requirement(result.rule, names),
        people=tuple(sorted((people.get(person, "") for person in result.people), key=str.casefold)),
        children=children,
        best_track=best_track,
    )


def organization_breakdown(*, organization: Organization) -> Breakdown | None:
    """The live evaluation of one organization, requirement by requirement (nothing is
    saved); None when no rule set is active. A fixed number of queries whatever the
    number of people or credentials."""
    try:
        outcome = evaluate_tiers(organization_ids=[organization.pk], dry_run=True)[0]
    except NoActiveRules:
        return None
    evaluation = outcome.evaluation
    names = load_names()
    people = _names(_people_in(tier.result for tier in evaluation.tiers))
    tiers = tuple(
        TierView(
            code=tier.code,
            met=tier.met,
            requirement=_requirement_view(tier.result, names, people) if tier.result is not None else None,
            is_current=tier.code == organization.tier,
            is_eligible=tier.code == evaluation.eligible,
            is_next=tier.code == evaluation.next_tier,
        )
        for tier in evaluation.tiers
    )
    return Breakdown(
        outcome=outcome,
        tiers=tiers,
        next_tier=evaluation.next_tier,
        next_gaps=tuple(describe_gap(gap, names) for gap in evaluation.next_gaps),
    )


def tier_history(*, organization: Organization, limit: int = HISTORY_LIMIT) -> list[TierChange]:
    """The latest tier changes, newest first, with who made them and the rules' version."""
    return list(
        TierChange.objects.filter(organization=organization)
        .select_related("actor", "version")
        .order_by("-created_at", "-pk")[:limit]
    )


def gate_approvals(*, organization: Organization, limit: int = GATE_LIMIT) -> list[GateApproval]:
    """The latest gate evidence, pending first, then by submission, newest first."""
    pending_first = Case(When(status=GateApproval.Status.PENDING, then=Value(0)), default=Value(1))
    return list(
        GateApproval.objects.filter(organization=organization)
        .select_related("submitted_by", "decided_by")
        .order_by(pending_first, "-submitted_at", "-pk")[:limit]
    )


def organization_gate_approval(*, organization: Organization, pk: int) -> GateApproval | None:
    return GateApproval.objects.filter(organization=organization, pk=pk).first()


def headcount_samples(*, organization: Organization, limit: int = HEADCOUNT_SAMPLES) -> list[HeadcountSample]:
    """The latest samples of certified people, oldest first."""
    latest = HeadcountSample.objects.filter(organization=organization).order_by("-day")[:limit]
    return list(reversed(latest))


# -- The headcount chart ---------------------------------------------------------------------


@dataclass(frozen=True)
class ChartPoint:
    x: float
    y: float
    day: date
    certified_people: int


ChartTick = Tick  # the shared chart geometry's tick (lms.charts)


@dataclass(frozen=True)
class HeadcountChart:
    """Certified people over time as a step line (the count holds until the next sample),
    in SVG user units; the template draws it and lists the same samples as a table."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int
    path: str
    points: tuple[ChartPoint, ...]
    ticks: tuple[ChartTick, ...]
    first_day: date
    last_day: date


CHART_WIDTH, CHART_HEIGHT = 640, 180
CHART_MARGINS = {"left": 40, "right": 12, "top": 12, "bottom": 28}
CHART_FRAME = Frame.with_margins(CHART_WIDTH, CHART_HEIGHT, **CHART_MARGINS)


def headcount_chart(samples: list[HeadcountSample], *, today: date) -> HeadcountChart | None:
    """The chart of `samples` (oldest first) up to `today`; None without samples."""
    if not samples:
        return None
    frame = CHART_FRAME
    first_day = samples[0].day
    last_day = max(today, samples[-1].day)
    span = max((last_day - first_day).days, 1)
    highest = max(max(sample.certified_people for sample in samples), 1)

    def x_of(day: date) -> float:
        return frame.x_at((day - first_day).days / span)

    def y_of(count: int) -> float:
        return frame.y_of(count, highest)

    points = tuple(ChartPoint(x_of(s.day), y_of(s.certified_people), s.day, s.certified_people) for s in samples)
    steps = [f"M{points[0].x} {points[0].y}"]
    for point in points[1:]:
        steps.append(f"H{point.x} V{point.y}")
    steps.append(f"H{x_of(last_day)}")
    return HeadcountChart(
        width=frame.width,
        height=frame.height,
        left=frame.left,
        right=frame.right,
        top=frame.top,
        bottom=frame.bottom,
        path=" ".join(steps),
        points=points,
        ticks=value_ticks(frame, highest),
        first_day=first_day,
        last_day=last_day,
    )
