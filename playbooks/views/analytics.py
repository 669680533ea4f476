"""The marketers' analytics pages in the Wagtail admin: the overview and its CSV exports.

Routed by playbooks/hooks/analytics.py under /admin/playbooks/analytics/, so Wagtail's
admin check runs first (partner people never pass it) and the admin language and time
zone come from the person's profile. Each view checks for a marketer or site admin itself,
whatever the menu shows.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Iterable, Iterator

from django.http import Http404, HttpRequest, HttpResponse, HttpResponseBadRequest
from django.template.response import TemplateResponse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from lms.spreadsheets import safe_cell
from playbooks import analytics
from playbooks.analytics import AnalyticsFilters, require_analytics_reader
from playbooks.analytics_forms import AnalyticsFilterForm
from playbooks.analytics_shaping import pair_bar_chart, weekly_chart


@require_safe
def overview(request: HttpRequest) -> HttpResponse:
    require_analytics_reader(request.user)
    form = AnalyticsFilterForm(request.GET)
    context: dict = {"form": form, "exports": EXPORT_TITLES}
    if not form.is_valid():
        return TemplateResponse(request, "playbooks/analytics/overview.html", context, status=400)
    filters = form.filters()
    report = analytics.analytics_report(filters)
    # Show the dates the figures are for, the defaults included, in the date fields.
    shown = request.GET.copy()
    shown["start"], shown["end"] = filters.start.isoformat(), filters.end.isoformat()
    context.update(
        form=AnalyticsFilterForm(shown),
        report=report,
        filters=filters,
        shown=analytics.SHOWN_ROWS,
        shown_assets=analytics.SHOWN_ASSETS,
        shown_unused=analytics.SHOWN_UNUSED,
        organizations_shown=report.organizations[: analytics.SHOWN_ROWS],
        playbooks_shown=report.playbooks[: analytics.SHOWN_ROWS],
        base_query=_without(request, "playbook"),
        weekly_chart=weekly_chart(
            [pair.key for pair in report.weeks],
            [pair.views for pair in report.weeks],
            [pair.downloads for pair in report.weeks],
        ),
        tier_chart=pair_bar_chart(report.tiers),
        query=request.GET.urlencode(),
    )
    response = TemplateResponse(request, "playbooks/analytics/overview.html", context)
    patch_cache_control(response, private=True, no_cache=True)
    return response


def _without(request: HttpRequest, name: str) -> str:
    """The query string without `name`, to add another value of it."""
    query = request.GET.copy()
    query.pop(name, None)
    return query.urlencode()


# -- CSV --------------------------------------------------------------------------------------


class _Echo:
    """A file-like object that hands back what is written, for streaming CSV."""

    def write(self, value: str) -> str:
        return value


def _iso(value) -> str:
    return value.isoformat() if value else ""


def _text(value) -> str:
    return safe_cell(str(value or ""))


def _weeks(filters: AnalyticsFilters) -> Iterable[list]:
    yield ["week_start", "views", "downloads"]
    for pair in analytics.by_week(filters):
        yield [pair.key.isoformat(), pair.views, pair.downloads]


def _tiers(filters: AnalyticsFilters) -> Iterable[list]:
    yield ["tier", "tier_name", "views", "views_percent", "downloads", "downloads_percent"]
    for pair in analytics.by_tier(filters):
        yield [pair.key, _text(pair.label), pair.views, pair.views_share, pair.downloads, pair.downloads_share]


def _organizations(filters: AnalyticsFilters) -> Iterable[list]:
    yield ["organization_slug", "organization", "views", "views_percent", "downloads", "downloads_percent"]
    for pair in analytics.by_organization(filters):
        row = [pair.views, pair.views_share, pair.downloads, pair.downloads_share]
        yield [_text(pair.key.slug), _text(pair.label), *row]


def _playbooks(filters: AnalyticsFilters) -> Iterable[list]:
    yield ["playbook_id", "language", "playbook", "views", "views_percent", "downloads", "downloads_percent"]
    for pair in analytics.by_playbook(filters):
        row = [pair.views, pair.views_share, pair.downloads, pair.downloads_share]
        yield [pair.key.pk, pair.key.language, _text(pair.label), *row]


def _assets(filters: AnalyticsFilters) -> Iterable[list]:
    yield ["kind", "asset_id", "asset", "downloads", "downloads_percent", "last_downloaded"]
    for use in analytics.asset_uses(filters):
        yield [use.kind, use.asset_id or "", _text(use.title), use.downloads, use.share, _iso(use.last_downloaded)]


def _never_downloaded(filters: AnalyticsFilters) -> Iterable[list]:
    yield ["kind", "asset_id", "asset", "collection", "added"]
    unused, _count = analytics.never_downloaded(filters)
    for asset in unused:
        yield [asset.kind, asset.pk, _text(asset.title), _text(asset.collection), _iso(asset.created_at)]


EXPORTS: dict[str, Callable[[AnalyticsFilters], Iterable[list]]] = {
    "weeks": _weeks,
    "tiers": _tiers,
    "organizations": _organizations,
    "playbooks": _playbooks,
    "assets": _assets,
    "never-downloaded": _never_downloaded,
}


def _export_titles() -> dict[str, str]:
    return {
        "weeks": _("Views and downloads per week"),
        "tiers": _("Views and downloads per tier"),
        "organizations": _("Views and downloads per organization"),
        "playbooks": _("Views and downloads per playbook"),
        "assets": _("Downloads per asset"),
        "never-downloaded": _("Assets never downloaded"),
    }


class _LazyTitles:
    """The export names, translated when the template reads them (in the admin's language)."""

    def items(self):
        return _export_titles().items()


EXPORT_TITLES = _LazyTitles()


def _csv_lines(rows: Iterable[list]) -> Iterator[str]:
    writer = csv.writer(_Echo())
    rows = iter(rows)
    yield "\ufeff" + writer.writerow(next(rows))  # the byte-order mark: spreadsheets read Persian right
    for row in rows:
        yield writer.writerow(row)


@require_safe
def export(request: HttpRequest, report: str) -> HttpResponse:
    """One table of the overview as CSV, every row, with the same filters."""
    require_analytics_reader(request.user)
    if report not in EXPORTS:
        raise Http404(_("There is no such export."))
    form = AnalyticsFilterForm(request.GET)
    if not form.is_valid():
        return HttpResponseBadRequest("\n".join(form.problems()), content_type="text/plain; charset=utf-8")
    filters = form.filters()
    # Read and written here, not while streaming: the admin's language and time zone (which
    # cut the weeks) only hold while the view runs.
    body = "".join(_csv_lines(EXPORTS[report](filters)))
    response = HttpResponse(body, content_type="text/csv; charset=utf-8")
    name = f"playbook-{report}-{filters.start.isoformat()}-to-{filters.end.isoformat()}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    patch_cache_control(response, private=True, no_store=True)
    return response
