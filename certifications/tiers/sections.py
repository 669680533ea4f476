"""The tier section of a partner admin's team page: our tier, what the next tier needs, the
members closest to closing each gap, and the forecast."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.http import HttpRequest

from certifications.models import Certification, TierStanding
from certifications.services.awarding import latest_versions
from certifications.services.tiers import NoActiveRules, Outcome, evaluate_tiers
from certifications.tiers.rules import (
    CredentialFact,
    CredentialFilter,
    Headcount,
    HeadcountSource,
    Kind,
    PointsItem,
    RequirementResult,
    SubQuota,
)
from certifications.tiers.wording import describe_gap, load_names
from courses.reports import EnrolmentProgress, team_progress

CLOSEST = 3


@dataclass(frozen=True)
class Candidate:
    name: str
    course: str
    percent: int


@dataclass(frozen=True)
class GapView:
    sentence: str
    closest: tuple[Candidate, ...]


@dataclass(frozen=True)
class TierSection:
    outcome: Outcome | None
    standing: TierStanding | None
    gaps: tuple[GapView, ...]
    forecast_loss_on: date | None
    asks_for_evidence: bool = False  # the rules have a manual gate


def filter_of(rule: object) -> CredentialFilter | None:
    """The credential filter a gap asks more people for, if it is that kind of gap."""
    if isinstance(rule, (Headcount, SubQuota)):
        return rule.filter
    if isinstance(rule, PointsItem) and isinstance(rule.source, HeadcountSource):
        return rule.source.filter
    return None


def required_courses(certifications: Iterable[Certification]) -> dict[str, set[int]]:
    """Certification slug → the course ids its current version requires (one query)."""
    certifications = list(certifications)
    versions = latest_versions([certification.pk for certification in certifications])
    return {
        certification.slug: set(versions[certification.pk].requirements.get("courses", ()))
        for certification in certifications
        if certification.pk in versions
    }


def closest_members(
    gap: RequirementResult,
    counted: frozenset[int],
    courses_by_slug: dict[str, set[int]],
    certifications: list[Certification],
    progress: list[EnrolmentProgress],
) -> tuple[Candidate, ...]:
    wanted = filter_of(gap.rule)
    if wanted is None:
        return ()
    course_ids: set[int] = set()
    for certification in certifications:
        competency = certification.competency.slug if certification.competency else ""
        if wanted.matches(CredentialFact(0, certification.slug, competency, certification.level)):
            course_ids |= courses_by_slug.get(certification.slug, set())
    best: dict[int, EnrolmentProgress] = {}
    for row in progress:
        enrolment = row.enrolment
        if enrolment.course_id not in course_ids or enrolment.user_id in counted or row.progress.completed:
            continue
        current = best.get(enrolment.user_id)
        if current is None or row.progress.percent > current.progress.percent:
            best[enrolment.user_id] = row
    ranked = sorted(best.values(), key=lambda row: -row.progress.percent)[:CLOSEST]
    return tuple(
        Candidate(row.enrolment.user.display_name, row.enrolment.course.title, row.progress.percent) for row in ranked
    )


def tier_section(request: HttpRequest, organization) -> dict:
    try:
        outcome = evaluate_tiers(organization_ids=[organization.pk], dry_run=True)[0]
    except NoActiveRules:
        return {"section": TierSection(None, None, (), None), "organization": organization}
    evaluation = outcome.evaluation
    names = load_names()
    certifications = list(Certification.objects.filter(is_active=True).select_related("competency"))
    courses_by_slug = required_courses(certifications)
    progress = team_progress(organization)
    counted = _counted_people(evaluation)
    gaps = tuple(
        GapView(
            describe_gap(gap, names),
            closest_members(gap, counted.get(gap.id, frozenset()), courses_by_slug, certifications, progress),
        )
        for gap in evaluation.next_gaps
    )
    standing = TierStanding.objects.filter(pk=organization.pk).first()
    return {
        "section": TierSection(
            outcome, standing, gaps, outcome.forecast_loss_on, asks_for_evidence=_has_gate(evaluation)
        ),
        "organization": organization,
    }


def _counted_people(evaluation) -> dict[str, frozenset[int]]:
    counted: dict[str, frozenset[int]] = {}

    def walk(result: RequirementResult) -> None:
        counted[result.id] = result.people
        for child in result.children:
            walk(child)

    for tier in evaluation.tiers:
        if tier.result is not None:
            walk(tier.result)
    return counted


def _has_gate(evaluation) -> bool:
    pending = [tier.result for tier in evaluation.tiers if tier.result is not None]
    while pending:
        result = pending.pop()
        if result.kind == Kind.GATE:
            return True
        pending.extend(result.children)
    return False
