"""Message alignment coverage: how many partner people acknowledged the current version of
each playbook that asks for it, per organization, per tier and per playbook.

A "required playbook" is one set of language versions (one `translation_key`) with at
least one live page that requires acknowledgement. Its current version is the highest
`message_version` among those pages; an acknowledgement of that version or a higher one
(in either language) counts. An organization is asked when it may see one of the pages:
its tier reaches the page's minimum (`tier_at_least`) and the page lists no organizations
or lists it. Members are the organization's active people (`user.is_active`), counted by
their current membership.

Reads load rows in a fixed number of queries, whatever the number of organizations and
people; the figures are worked out by the pure functions below.
"""

from __future__ import annotations

import uuid
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from decimal import ROUND_HALF_UP, Decimal
from functools import reduce
from operator import or_

from django.db.models import Count, Q, QuerySet
from django.utils import translation

from lms.partners.models import Membership, Organization, Tier
from lms.partners.permissions import tier_at_least
from playbooks.models import Acknowledgement, PlaybookPage

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


# -- Pure data and calculations -----------------------------------------------------------


@dataclass(frozen=True)
class PageRule:
    """One live language version of a required playbook and who may see it."""

    pk: int
    title: str
    language: str
    minimum_tier: str
    version: int
    organization_ids: frozenset[int] = frozenset()

    def visible_to(self, organization_id: int, tier: str) -> bool:
        if self.organization_ids and organization_id not in self.organization_ids:
            return False
        return tier_at_least(tier, self.minimum_tier)


@dataclass(frozen=True)
class RequiredPlaybook:
    translation_key: uuid.UUID
    pages: tuple[PageRule, ...]

    @property
    def version(self) -> int:
        return max(page.version for page in self.pages)

    @property
    def key(self) -> str:
        return str(self.translation_key)

    def visible_to(self, organization_id: int, tier: str) -> bool:
        return any(page.visible_to(organization_id, tier) for page in self.pages)

    def page_for(self, language: str) -> PageRule:
        """The version in `language`, else the first (by title)."""
        return next((page for page in self.pages if page.language == language), self.pages[0])

    @property
    def title(self) -> str:
        return self.page_for(translation.get_language() or "").title


@dataclass(frozen=True)
class Figure:
    """`acknowledged` of `members` people acknowledged the current version."""

    acknowledged: int = 0
    members: int = 0

    @property
    def percent(self) -> Decimal | None:
        return percent(self.acknowledged, self.members)

    def __add__(self, other: Figure) -> Figure:
        return Figure(self.acknowledged + other.acknowledged, self.members + other.members)


def percent(part: int, whole: int) -> Decimal | None:
    """`part` of `whole` in percent, to two decimals (half up); None when `whole` is 0."""
    if whole <= 0:
        return None
    return (Decimal(part) * HUNDRED / Decimal(whole)).quantize(CENT, rounding=ROUND_HALF_UP)


def coverage_metric(figures: Iterable[Figure]) -> Decimal:
    """The organization's figure for the tier rules: acknowledged (member, required playbook)
    pairs as a percentage of all such pairs. With no required playbook it is 100 (nothing to
    acknowledge); with playbooks but no active member, 0."""
    figures = list(figures)
    if not figures:
        return HUNDRED.quantize(CENT)
    total = sum(figures, Figure())
    return percent(total.acknowledged, total.members) or Decimal(0).quantize(CENT)


def group_required(rows: Iterable[Mapping], audience: Iterable[tuple[int, int]]) -> list[RequiredPlaybook]:
    """Page rows (pk, title, translation_key, language, minimum_tier, message_version), in
    display order, and (page pk, organization id) pairs → one RequiredPlaybook per key."""
    organizations: dict[int, set[int]] = defaultdict(set)
    for page_pk, organization_id in audience:
        organizations[page_pk].add(organization_id)
    pages: dict[uuid.UUID, list[PageRule]] = {}
    for row in rows:
        pages.setdefault(row["translation_key"], []).append(
            PageRule(
                pk=row["pk"],
                title=row["title"],
                language=row["locale__language_code"],
                minimum_tier=row["minimum_tier"],
                version=row["message_version"],
                organization_ids=frozenset(organizations.get(row["pk"], ())),
            )
        )
    return [RequiredPlaybook(key, tuple(group)) for key, group in pages.items()]


@dataclass(frozen=True)
class OrganizationCoverage:
    organization_id: int
    slug: str
    name: str
    name_fa: str
    tier: str
    members: int
    figures: dict[str, Figure]  # translation key (text) → figure, for the playbooks it is asked

    @property
    def display_name(self) -> str:
        return self.name_fa if translation.get_language() == "fa" and self.name_fa else self.name

    @property
    def metric(self) -> Decimal:
        return coverage_metric(self.figures.values())

    @property
    def tier_label(self) -> str:
        return str(Tier(self.tier).label) if self.tier in Tier.values else self.tier


def organization_figures(
    required: list[RequiredPlaybook],
    organizations: Iterable[Mapping],
    member_counts: Mapping[int, int],
    acknowledged: Mapping[tuple[int, str], int],
) -> list[OrganizationCoverage]:
    """Each organization's figure per required playbook it may see."""
    result = []
    for organization in organizations:
        pk, tier = organization["pk"], organization["tier"]
        members = member_counts.get(pk, 0)
        figures = {
            playbook.key: Figure(min(acknowledged.get((pk, playbook.key), 0), members), members)
            for playbook in required
            if playbook.visible_to(pk, tier)
        }
        result.append(
            OrganizationCoverage(
                organization_id=pk,
                slug=organization["slug"],
                name=organization["name"],
                name_fa=organization["name_fa"],
                tier=tier,
                members=members,
                figures=figures,
            )
        )
    return result


@dataclass(frozen=True)
class PlaybookTotals:
    playbook: RequiredPlaybook
    total: Figure
    organizations: int
    by_tier: dict[str, Figure]


def playbook_totals(required: list[RequiredPlaybook], rows: list[OrganizationCoverage]) -> list[PlaybookTotals]:
    """Per playbook: all organizations asked added up, and the same per current tier."""
    totals = []
    for playbook in required:
        total, asked, by_tier = Figure(), 0, {}
        for row in rows:
            figure = row.figures.get(playbook.key)
            if figure is None:
                continue
            asked += 1
            total += figure
            by_tier[row.tier] = by_tier.get(row.tier, Figure()) + figure
        totals.append(PlaybookTotals(playbook, total, asked, by_tier))
    return totals


# -- Loading ---------------------------------------------------------------------------------


def required_playbooks() -> list[RequiredPlaybook]:
    """Every live playbook that requires acknowledgement, grouped by language versions (2 queries)."""
    rows = list(
        PlaybookPage.objects.live()
        .filter(requires_acknowledgement=True)
        .order_by("title", "pk")
        .values("pk", "title", "translation_key", "locale__language_code", "minimum_tier", "message_version")
    )
    through = PlaybookPage.audience_organizations.through
    audience = through.objects.filter(playbookpage_id__in=[row["pk"] for row in rows]).values_list(
        "playbookpage_id", "organization_id"
    )
    return group_required(rows, audience)


def current_version_filter(required: Iterable[RequiredPlaybook]) -> Q:
    """Acknowledgements of each playbook's current version or a later one."""
    conditions = [Q(translation_key=playbook.translation_key, version__gte=playbook.version) for playbook in required]
    return reduce(or_, conditions) if conditions else Q(pk__in=[])


def _active_members(organizations: QuerySet[Organization]) -> QuerySet[Membership]:
    return Membership.objects.filter(organization__in=organizations, user__is_active=True)


def coverage_by_organization(
    *, organizations: QuerySet[Organization] | None = None, required: list[RequiredPlaybook] | None = None
) -> list[OrganizationCoverage]:
    """Coverage for each of `organizations` (all by default), in five queries: playbooks (2),
    organizations, member counts, acknowledgement counts."""
    required = required_playbooks() if required is None else required
    organizations = Organization.objects.all() if organizations is None else organizations
    rows = list(organizations.order_by("name", "pk").values("pk", "slug", "name", "name_fa", "tier"))
    member_counts = dict(
        _active_members(organizations)
        .values("organization_id")
        .annotate(count=Count("pk"))
        .values_list("organization_id", "count")
    )
    acknowledged: dict[tuple[int, str], int] = {}
    if required:
        counts = (
            Acknowledgement.objects.filter(
                current_version_filter(required),
                user__is_active=True,
                user__membership__organization__in=organizations,
            )
            .values("user__membership__organization_id", "translation_key")
            .annotate(count=Count("user_id", distinct=True))
            .values_list("user__membership__organization_id", "translation_key", "count")
        )
        acknowledged = {(organization, str(key)): count for organization, key, count in counts}
    return organization_figures(required, rows, member_counts, acknowledged)


def coverage_metrics(*, organization_ids: Iterable[int] | None = None) -> dict[int, Decimal]:
    """Organization id → the coverage percentage used as the tier metric."""
    organizations = Organization.objects.all()
    if organization_ids is not None:
        organizations = organizations.filter(pk__in=list(organization_ids))
    return {row.organization_id: row.metric for row in coverage_by_organization(organizations=organizations)}


# -- One organization's team ----------------------------------------------------------------


@dataclass(frozen=True)
class MemberStatus:
    membership: Membership
    version: int  # the playbook's current version
    latest_version: int | None = None  # the highest version this person acknowledged
    latest_at: datetime | None = None

    @property
    def current(self) -> bool:
        return self.latest_version is not None and self.latest_version >= self.version

    @property
    def outdated(self) -> bool:
        return self.latest_version is not None and not self.current


@dataclass(frozen=True)
class TeamPlaybook:
    playbook: RequiredPlaybook
    people: list[MemberStatus] = field(default_factory=list)

    @property
    def figure(self) -> Figure:
        return Figure(sum(1 for person in self.people if person.current), len(self.people))

    @property
    def missing(self) -> list[MemberStatus]:
        return [person for person in self.people if not person.current]


def team_statuses(
    required: list[RequiredPlaybook],
    members: list[Membership],
    acknowledgements: Iterable[tuple[int, uuid.UUID, int, datetime]],
) -> list[TeamPlaybook]:
    """Per playbook, each member's latest acknowledgement (user id, key, version, when)."""
    latest: dict[tuple[int, str], tuple[int, datetime]] = {}
    for user_id, key, version, when in acknowledgements:
        slot = (user_id, str(key))
        if slot not in latest or (version, when) > latest[slot]:
            latest[slot] = (version, when)
    result = []
    for playbook in required:
        people = []
        for membership in members:
            version, when = latest.get((membership.user_id, playbook.key), (None, None))
            people.append(MemberStatus(membership, playbook.version, version, when))
        result.append(TeamPlaybook(playbook, people))
    return result


def team_coverage(organization: Organization) -> list[TeamPlaybook]:
    """The organization's required playbooks with every active member's status (4 queries)."""
    required = [p for p in required_playbooks() if p.visible_to(organization.pk, organization.tier)]
    members = list(
        Membership.objects.filter(organization=organization, user__is_active=True)
        .select_related("user")
        .order_by("user__first_name", "user__last_name", "user__email")
    )
    acknowledgements = []
    if required and members:
        acknowledgements = Acknowledgement.objects.filter(
            user__membership__organization=organization,
            translation_key__in=[playbook.translation_key for playbook in required],
        ).values_list("user_id", "translation_key", "version", "acknowledged_at")
    return team_statuses(required, members, acknowledgements)
