"""The marketers' figures: playbook views and asset downloads, by tier, organization and week.

Every figure is one GROUP BY query over `PlaybookView` or `AssetDownload`, so a report
costs the same few queries whatever the number of rows (tests/playbooks/test_analytics.py
holds it to that). The arithmetic on the grouped rows (empty weeks, shares, rankings,
chart geometry) is in the pure module playbooks.analytics_shaping.

Weeks are ISO weeks (they start on Monday), cut in the reader's current time zone, which
the Wagtail admin sets from the person's profile.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Count, Exists, Max, OuterRef, Q, QuerySet
from django.db.models.functions import Cast, TruncWeek
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import ReferenceIndex

from lms import clock
from lms.partners.models import Organization, Tier
from lms.partners.roles import StaffRole
from lms.partners.selectors import person_roles
from playbooks.analytics_shaping import (
    AssetUse,
    Pair,
    as_day,
    fill_weeks,
    least_used,
    monday_of,
    most_used,
    pair_up,
    week_starts,
    with_asset_shares,
)
from playbooks.models import AssetDownload, AssetKind, PlaybookPage, PlaybookView

DEFAULT_WEEKS = 12
MAX_DAYS = 3 * 366  # a range the weekly chart and table still show week by week
SHOWN_ROWS = 25  # per table on the page; the CSV exports have every row
SHOWN_ASSETS = 10  # most and least used
SHOWN_UNUSED = 20  # never downloaded, per kind


# -- Who may read them ------------------------------------------------------------------------


def can_read_analytics(user) -> bool:
    """Marketers, site admins and superusers (partner people never: person_roles gives them no staff role)."""
    roles = person_roles(user)
    return roles.has(StaffRole.MARKETER) or roles.is_site_admin


def require_analytics_reader(user) -> None:
    if not can_read_analytics(user):
        raise PermissionDenied(_("Playbook analytics are for marketers and site admins."))


# -- Filters ----------------------------------------------------------------------------------


def default_range(today: dt.date | None = None) -> tuple[dt.date, dt.date]:
    """Twelve weeks up to `today` (by default the real today): from the Monday eleven
    weeks before that week's, to that day."""
    today = today or timezone.localdate(clock.now())
    return monday_of(today) - dt.timedelta(weeks=DEFAULT_WEEKS - 1), today


@dataclass(frozen=True)
class AnalyticsFilters:
    start: dt.date
    end: dt.date  # included
    tier: str = ""
    organization: Organization | None = None
    playbook: PlaybookPage | None = None
    kind: str = ""  # AssetKind, or "" for both

    @property
    def weeks(self) -> list[dt.date]:
        return week_starts(self.start, self.end)

    def bounds(self) -> tuple[dt.datetime, dt.datetime]:
        """From the start day's midnight to the midnight after the end day, in the current time zone."""
        zone = timezone.get_current_timezone()
        return (
            dt.datetime.combine(self.start, dt.time.min, tzinfo=zone),
            dt.datetime.combine(self.end + dt.timedelta(days=1), dt.time.min, tzinfo=zone),
        )


def _views(filters: AnalyticsFilters) -> QuerySet[PlaybookView]:
    """The views in range; the asset kind does not narrow them (a view is of a playbook)."""
    since, until = filters.bounds()
    views = PlaybookView.objects.filter(viewed_at__gte=since, viewed_at__lt=until)
    if filters.tier:
        views = views.filter(tier=filters.tier)
    if filters.organization is not None:
        views = views.filter(organization=filters.organization)
    if filters.playbook is not None:
        views = views.filter(playbook=filters.playbook)
    return views.order_by()


def _downloads(filters: AnalyticsFilters) -> QuerySet[AssetDownload]:
    since, until = filters.bounds()
    downloads = AssetDownload.objects.filter(downloaded_at__gte=since, downloaded_at__lt=until)
    if filters.tier:
        downloads = downloads.filter(tier=filters.tier)
    if filters.organization is not None:
        downloads = downloads.filter(organization=filters.organization)
    if filters.playbook is not None:
        downloads = downloads.filter(playbook=filters.playbook)
    if filters.kind:
        downloads = downloads.filter(kind=filters.kind)
    return downloads.order_by()


def _counts(queryset: QuerySet, key: str) -> dict:
    return {row[key]: row["n"] for row in queryset.values(key).annotate(n=Count("pk"))}


# -- Totals and breakdowns --------------------------------------------------------------------


@dataclass(frozen=True)
class Totals:
    views: int
    readers: int  # distinct signed-in people who viewed
    downloads: int
    downloaders: int


def totals(filters: AnalyticsFilters) -> Totals:
    seen = _views(filters).aggregate(n=Count("pk"), people=Count("user", distinct=True))
    taken = _downloads(filters).aggregate(n=Count("pk"), people=Count("user", distinct=True))
    return Totals(
        views=seen["n"],
        readers=seen["people"],
        downloads=taken["n"],
        downloaders=taken["people"],
    )


def by_week(filters: AnalyticsFilters) -> list[Pair]:
    """Every week of the range, the empty ones included, oldest first."""
    views = {
        as_day(row["week"]): row["n"]
        for row in _views(filters).annotate(week=TruncWeek("viewed_at")).values("week").annotate(n=Count("pk"))
    }
    downloads = {
        as_day(row["week"]): row["n"]
        for row in _downloads(filters).annotate(week=TruncWeek("downloaded_at")).values("week").annotate(n=Count("pk"))
    }
    weeks = filters.weeks
    return pair_up(
        dict(zip(weeks, fill_weeks(weeks, views), strict=True)),
        dict(zip(weeks, fill_weeks(weeks, downloads), strict=True)),
        {week: week.isoformat() for week in weeks},
        order=weeks,
    )


NO_TIER = ""


def tier_label(code: str) -> str:
    if code in Tier.values:
        return str(Tier(code).label)
    return _("No tier (staff or visitors)")


def by_tier(filters: AnalyticsFilters) -> list[Pair]:
    """Every tier from the lowest up, then the activity of people without one, if any."""
    views, downloads = _counts(_views(filters), "tier"), _counts(_downloads(filters), "tier")
    order = [code for code in Tier.values if not filters.tier or code == filters.tier]
    if views.get(NO_TIER) or downloads.get(NO_TIER):
        order.append(NO_TIER)
    return pair_up(views, downloads, {code: tier_label(code) for code in order}, order=order)


ORGANIZATION_COLUMNS = ("organization_id", "organization__name", "organization__name_fa", "organization__slug")


def organization_label(name: str | None, name_fa: str | None) -> str:
    if name is None:
        return _("No organization (staff or visitors)")
    return name_fa if translation.get_language() == "fa" and name_fa else name


@dataclass(frozen=True)
class OrganizationKey:
    pk: int | None
    slug: str


def by_organization(filters: AnalyticsFilters) -> list[Pair]:
    """Each organization with any activity, the busiest first."""
    views, downloads, labels = {}, {}, {}
    for queryset, counts in ((_views(filters), views), (_downloads(filters), downloads)):
        for row in queryset.values(*ORGANIZATION_COLUMNS).annotate(n=Count("pk")):
            key = OrganizationKey(row["organization_id"], row["organization__slug"] or "")
            counts[key] = row["n"]
            labels[key] = organization_label(row["organization__name"], row["organization__name_fa"])
    return pair_up(views, downloads, labels)


@dataclass(frozen=True)
class PlaybookKey:
    pk: int
    language: str


def by_playbook(filters: AnalyticsFilters) -> list[Pair]:
    """Each playbook (each language version on its own) viewed or downloaded from, busiest first.

    Downloads from the asset library or a zip of several playbooks' assets without a
    playbook are left out here; they still count in the totals and per asset.
    """
    columns = ("playbook_id", "playbook__title", "playbook__locale__language_code")
    views, downloads, labels = {}, {}, {}
    sources = ((_views(filters), views), (_downloads(filters).filter(playbook__isnull=False), downloads))
    for queryset, counts in sources:
        for row in queryset.values(*columns).annotate(n=Count("pk")):
            key = PlaybookKey(row["playbook_id"], row["playbook__locale__language_code"] or "")
            counts[key] = row["n"]
            labels[key] = row["playbook__title"]
    return pair_up(views, downloads, labels)


def asset_uses(filters: AnalyticsFilters) -> list[AssetUse]:
    """Downloads per asset in range (with each one's share), the most downloaded first.

    An asset deleted since keeps its downloads under the title it had then.
    """
    downloads = _downloads(filters)
    existing = (
        downloads.filter(Q(image__isnull=False) | Q(document__isnull=False))
        .values("kind", "image_id", "document_id", "image__title", "document__title")
        .annotate(n=Count("pk"), last=Max("downloaded_at"))
    )
    uses = [
        AssetUse(
            kind=row["kind"],
            asset_id=row["image_id"] if row["kind"] == AssetKind.IMAGE else row["document_id"],
            title=row["image__title"] if row["kind"] == AssetKind.IMAGE else row["document__title"],
            downloads=row["n"],
            last_downloaded=row["last"],
        )
        for row in existing
    ]
    deleted = (
        downloads.filter(image__isnull=True, document__isnull=True)
        .values("kind", "title")
        .annotate(n=Count("pk"), last=Max("downloaded_at"))
    )
    uses += [AssetUse(row["kind"], None, row["title"], row["n"], row["last"]) for row in deleted]
    return most_used(with_asset_shares(uses))


# -- Never downloaded -------------------------------------------------------------------------


def _candidates(model, filters: AnalyticsFilters) -> QuerySet:
    """Every asset of `model`; for one playbook, only those its content uses (Wagtail's
    reference index), since the rest of the library was never offered from it."""
    assets = model.objects.select_related("collection").order_by("title", "pk")
    if filters.playbook is None:
        return assets
    used = ReferenceIndex.get_references_for_object(filters.playbook).filter(
        to_content_type=ContentType.objects.get_for_model(model),
        to_object_id=Cast(OuterRef("pk"), output_field=CharField()),
    )
    return assets.filter(Exists(used))


def _unused_images(filters: AnalyticsFilters) -> QuerySet:
    taken = _downloads(filters).filter(kind=AssetKind.IMAGE, image=OuterRef("pk"))
    return _candidates(get_image_model(), filters).filter(~Exists(taken))


def _unused_documents(filters: AnalyticsFilters) -> QuerySet:
    taken = _downloads(filters).filter(kind=AssetKind.DOCUMENT, document=OuterRef("pk"))
    return _candidates(get_document_model(), filters).filter(~Exists(taken))


@dataclass(frozen=True)
class UnusedAsset:
    kind: str
    pk: int
    title: str
    collection: str
    created_at: dt.datetime | None


def _unused(kind: str, assets) -> list[UnusedAsset]:
    return [UnusedAsset(kind, a.pk, a.title, str(a.collection), a.created_at) for a in assets]


def never_downloaded(filters: AnalyticsFilters, *, limit: int | None = None) -> tuple[list[UnusedAsset], int]:
    """Images and documents that exist and were not downloaded in range (with the same
    tier, organization and playbook filters), by kind then title, and how many there are.
    With a playbook, only the assets that playbook uses are candidates."""
    found: list[UnusedAsset] = []
    count = 0
    sources = (
        (AssetKind.IMAGE, _unused_images),
        (AssetKind.DOCUMENT, _unused_documents),
    )
    for kind, source in sources:
        if filters.kind and filters.kind != kind:
            continue
        assets = source(filters)
        if limit is None:
            found += _unused(kind, assets.iterator(chunk_size=2000))
            continue
        count += assets.count()
        found += _unused(kind, assets[:limit])
    return found, (len(found) if limit is None else count)


# -- The whole page ---------------------------------------------------------------------------


@dataclass
class AnalyticsReport:
    filters: AnalyticsFilters
    totals: Totals
    weeks: list[Pair]
    tiers: list[Pair]
    organizations: list[Pair]
    playbooks: list[Pair]
    assets: list[AssetUse]
    most_used: list[AssetUse] = field(default_factory=list)
    least_used: list[AssetUse] = field(default_factory=list)
    unused: list[UnusedAsset] = field(default_factory=list)
    unused_count: int = 0


def analytics_report(filters: AnalyticsFilters) -> AnalyticsReport:
    """Everything the overview shows, in a fixed number of queries (14)."""
    assets = asset_uses(filters)
    unused, unused_count = never_downloaded(filters, limit=SHOWN_UNUSED)
    return AnalyticsReport(
        filters=filters,
        totals=totals(filters),
        weeks=by_week(filters),
        tiers=by_tier(filters),
        organizations=by_organization(filters),
        playbooks=by_playbook(filters),
        assets=assets,
        most_used=most_used(assets, SHOWN_ASSETS),
        least_used=least_used(assets, SHOWN_ASSETS),
        unused=unused,
        unused_count=unused_count,
    )
