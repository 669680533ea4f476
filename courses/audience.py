"""Who may see and take a course: a pure decision over plain values."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum


class Access(StrEnum):
    OPEN = "open"
    TIER_LOCKED = "tier_locked"  # listed in the catalog, with the tier it opens at
    HIDDEN = "hidden"  # meant for other organizations: not even listed


@dataclass(frozen=True)
class Audience:
    minimum_tier: str = ""  # empty: every tier
    organization_ids: frozenset[int] = frozenset()  # empty: every organization


@dataclass(frozen=True)
class Reader:
    staff: bool = False  # vendor staff see every course, to author and review it
    organization_id: int | None = None
    tier: str | None = None


def access_for(audience: Audience, reader: Reader, tier_order: Sequence[str]) -> Access:
    """`tier_order` lists tiers from lowest to highest."""
    if reader.staff:
        return Access.OPEN
    if audience.organization_ids and reader.organization_id not in audience.organization_ids:
        return Access.HIDDEN
    if audience.minimum_tier and (
        reader.tier is None or _rank(reader.tier, tier_order) < _rank(audience.minimum_tier, tier_order)
    ):
        return Access.TIER_LOCKED
    return Access.OPEN


def _rank(tier: str, tier_order: Sequence[str]) -> int:
    return tier_order.index(tier) if tier in tier_order else -1
