"""Shaping the analytics figures: weeks without activity, shares, rankings and charts.

Pure functions over plain values, apart from the ORM queries in playbooks.analytics, so
the arithmetic is tested without a database and the queries stay a fixed few.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from lms.charts import BarGroup, Frame, Point, Tick, grouped_bars, line_path, spread_points, value_ticks

# -- Weeks ------------------------------------------------------------------------------------


def monday_of(day: date) -> date:
    """The Monday that starts `day`'s week (ISO weeks, as the database's week truncation)."""
    return day - timedelta(days=day.weekday())


def week_starts(start: date, end: date) -> list[date]:
    """Every week's Monday from the week of `start` to the week of `end`, in order."""
    first, last = monday_of(start), monday_of(end)
    return [first + timedelta(weeks=index) for index in range((last - first).days // 7 + 1)]


def as_day(value: date | datetime) -> date:
    """A truncated week from the database: a datetime (already in the current time zone) or a date."""
    return value.date() if isinstance(value, datetime) else value


def fill_weeks(weeks: Sequence[date], counts: Mapping[date, int]) -> list[int]:
    """The count of each week in `weeks`, 0 for a week without any."""
    return [counts.get(week, 0) for week in weeks]


# -- Shares and merging -----------------------------------------------------------------------


def share(count: int, total: int) -> float:
    """`count` as a percentage of `total`, to one decimal; 0 when there is no total."""
    return round(100 * count / total, 1) if total else 0.0


@dataclass(frozen=True)
class Pair:
    """Views and downloads of one thing (a playbook, a tier, an organization, a week)."""

    key: Hashable
    label: str
    views: int
    downloads: int
    views_share: float = 0.0
    downloads_share: float = 0.0

    @property
    def total(self) -> int:
        return self.views + self.downloads


def pair_up(
    views: Mapping[Hashable, int],
    downloads: Mapping[Hashable, int],
    labels: Mapping[Hashable, str],
    *,
    order: Sequence[Hashable] | None = None,
) -> list[Pair]:
    """One Pair for every key in either mapping, with its share of each total.

    With `order`, the keys come in that order (those in it only, even without activity);
    otherwise the busiest first, then by label.
    """
    total_views, total_downloads = sum(views.values()), sum(downloads.values())
    keys: Iterable[Hashable] = order if order is not None else set(views) | set(downloads)
    pairs = [
        Pair(
            key=key,
            label=labels.get(key, str(key)),
            views=views.get(key, 0),
            downloads=downloads.get(key, 0),
            views_share=share(views.get(key, 0), total_views),
            downloads_share=share(downloads.get(key, 0), total_downloads),
        )
        for key in keys
    ]
    if order is None:
        pairs.sort(key=lambda pair: (-pair.total, -pair.views, pair.label))
    return pairs


# -- Assets -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class AssetUse:
    """Downloads of one asset in the range. `asset_id` is None for an asset deleted since."""

    kind: str
    asset_id: int | None
    title: str
    downloads: int
    last_downloaded: datetime | None
    share: float = 0.0


def with_asset_shares(uses: Iterable[AssetUse]) -> list[AssetUse]:
    uses = list(uses)
    total = sum(use.downloads for use in uses)
    return [
        AssetUse(use.kind, use.asset_id, use.title, use.downloads, use.last_downloaded, share(use.downloads, total))
        for use in uses
    ]


def most_used(uses: Iterable[AssetUse], limit: int | None = None) -> list[AssetUse]:
    """The most downloaded first; ties by title, then kind and id, so the order is stable."""
    ranked = sorted(uses, key=lambda use: (-use.downloads, use.title.casefold(), use.kind, use.asset_id or 0))
    return ranked if limit is None else ranked[:limit]


def least_used(uses: Iterable[AssetUse], limit: int | None = None) -> list[AssetUse]:
    """Among assets downloaded at least once, the fewest downloads first; ties: the one
    downloaded longest ago first (it is fading), then by title."""
    ranked = sorted(
        (use for use in uses if use.downloads > 0),
        key=lambda use: (
            use.downloads,
            use.last_downloaded.timestamp() if use.last_downloaded else 0.0,
            use.title.casefold(),
            use.kind,
            use.asset_id or 0,
        ),
    )
    return ranked if limit is None else ranked[:limit]


# -- Charts -----------------------------------------------------------------------------------

LINE_FRAME = Frame.with_margins(640, 220, left=44, right=16, top=14, bottom=34)
BAR_FRAME = Frame.with_margins(640, 220, left=44, right=16, top=14, bottom=34)


@dataclass(frozen=True)
class Series:
    name: str  # "views" or "downloads": the template's label and style
    points: tuple[Point, ...]
    path: str


@dataclass(frozen=True)
class WeekLabel:
    x: float
    week: date


@dataclass(frozen=True)
class WeeklyChart:
    """Views and downloads per week as two lines, oldest week on the left."""

    frame: Frame
    weeks: tuple[date, ...]
    series: tuple[Series, ...]
    ticks: tuple[Tick, ...]
    labels: tuple[WeekLabel, ...]  # a few weeks only, so that the dates do not overlap

    @property
    def rows(self) -> list[tuple[date, int, int]]:
        """(week, views, downloads) for the table that says the same as the chart."""
        views, downloads = self.series
        return [
            (week, view.value, download.value)
            for week, view, download in zip(self.weeks, views.points, downloads.points, strict=True)
        ]


MAX_WEEK_LABELS = 4  # a long date ("21 September 2026") is about a quarter of the chart's width


def labelled_weeks(count: int, most: int = MAX_WEEK_LABELS) -> list[int]:
    """Which of `count` weeks get a date under the chart: evenly spaced, the first and the
    last always, and never two closer than the spacing (the one before the last gives way)."""
    if count == 0:
        return []
    step = max(1, -(-count // most))  # ceiling division
    chosen = list(range(0, count, step))
    if chosen[-1] != count - 1:
        if len(chosen) > 1 and count - 1 - chosen[-1] < step:
            chosen.pop()
        chosen.append(count - 1)
    return chosen


def weekly_chart(weeks: Sequence[date], views: Sequence[int], downloads: Sequence[int]) -> WeeklyChart:
    frame = LINE_FRAME
    highest = max([*views, *downloads, 1])
    series = []
    for name, values in (("views", views), ("downloads", downloads)):
        points = spread_points(frame, values, highest)
        series.append(Series(name=name, points=points, path=line_path(points)))
    xs = [point.x for point in series[0].points]
    labels = tuple(WeekLabel(xs[index], weeks[index]) for index in labelled_weeks(len(weeks)))
    return WeeklyChart(
        frame=frame, weeks=tuple(weeks), series=tuple(series), ticks=value_ticks(frame, highest), labels=labels
    )


@dataclass(frozen=True)
class LabelledGroup:
    label: str
    group: BarGroup


@dataclass(frozen=True)
class BarChart:
    """Views and downloads side by side for each category (the tiers)."""

    frame: Frame
    groups: tuple[LabelledGroup, ...]
    ticks: tuple[Tick, ...]


def pair_bar_chart(pairs: Sequence[Pair]) -> BarChart:
    frame = BAR_FRAME
    highest = max([*(pair.views for pair in pairs), *(pair.downloads for pair in pairs), 1])
    groups = grouped_bars(frame, [(pair.views, pair.downloads) for pair in pairs], highest)
    return BarChart(
        frame=frame,
        groups=tuple(LabelledGroup(pair.label, group) for pair, group in zip(pairs, groups, strict=True)),
        ticks=value_ticks(frame, highest),
    )
