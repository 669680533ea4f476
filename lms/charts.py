"""The geometry of the small charts the server draws as inline SVG.

Pure functions, no Django: a chart is a dataclass of SVG user-unit coordinates that a
template turns into <svg> elements, next to a table of the same numbers for screen
readers. No JavaScript library and nothing from another host is needed to show one.
Used by the tier page's headcount chart and the playbook analytics charts.

Time and categories run left to right in both languages; templates draw the SVG with
`direction: ltr` and let each label read in its own direction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class Frame:
    """A chart's size and the plotting area inside its margins, in SVG user units."""

    width: int
    height: int
    left: int
    right: int
    top: int
    bottom: int

    @classmethod
    def with_margins(cls, width: int, height: int, *, left: int, right: int, top: int, bottom: int) -> Frame:
        return cls(width=width, height=height, left=left, right=width - right, top=top, bottom=height - bottom)

    def y_of(self, value: float, highest: float) -> float:
        """The height of `value` on a scale from 0 (the bottom) to `highest` (the top)."""
        return round(self.bottom - (self.bottom - self.top) * value / max(highest, 1), 1)

    def x_at(self, fraction: float) -> float:
        """The x of a point `fraction` (0 to 1) of the way across the plotting area."""
        return round(self.left + (self.right - self.left) * fraction, 1)


@dataclass(frozen=True)
class Tick:
    y: float
    value: int


def value_ticks(frame: Frame, highest: int) -> tuple[Tick, ...]:
    """Grid lines at 0, half way and the top, in whole numbers."""
    highest = max(highest, 1)
    return tuple(Tick(frame.y_of(value, highest), value) for value in sorted({0, highest // 2, highest}))


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: int


def spread_points(frame: Frame, values: Sequence[int], highest: int) -> tuple[Point, ...]:
    """One point per value, evenly spaced from the left edge to the right (centred when alone)."""
    count = len(values)
    return tuple(
        Point(frame.x_at(index / (count - 1) if count > 1 else 0.5), frame.y_of(value, highest), value)
        for index, value in enumerate(values)
    )


def line_path(points: Sequence[Point]) -> str:
    """An SVG path through `points`, in order."""
    if not points:
        return ""
    first, *rest = points
    return " ".join([f"M{first.x} {first.y}", *(f"L{point.x} {point.y}" for point in rest)])


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    value: int
    series: int  # which series of the group (0, 1, …): the template styles each differently

    @property
    def middle(self) -> float:
        return round(self.x + self.width / 2, 1)


@dataclass(frozen=True)
class BarGroup:
    centre: float  # where the group's label goes
    bars: tuple[Bar, ...]


def grouped_bars(
    frame: Frame, groups: Sequence[Sequence[int]], highest: int, *, gap: float = 0.3
) -> tuple[BarGroup, ...]:
    """Side-by-side bars for each group of values; `gap` is the share of each slot left empty."""
    if not groups:
        return ()
    slot = (frame.right - frame.left) / len(groups)
    result = []
    for index, values in enumerate(groups):
        start = frame.left + slot * index + slot * gap / 2
        bar_width = slot * (1 - gap) / max(len(values), 1)
        bars = []
        for series, value in enumerate(values):
            y = frame.y_of(value, highest)
            bars.append(
                Bar(
                    x=round(start + bar_width * series, 1),
                    y=y,
                    width=round(bar_width, 1),
                    height=round(frame.bottom - y, 1),
                    value=value,
                    series=series,
                )
            )
        result.append(BarGroup(centre=round(frame.left + slot * (index + 0.5), 1), bars=tuple(bars)))
    return tuple(result)
