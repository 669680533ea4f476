"""Template filters for tiers."""

from __future__ import annotations

from django import template

from lms.partners.models import Tier

register = template.Library()


@register.filter
def tier_label(code: str) -> str:
    """A tier code's name in the active language ("gold" → "Gold"); unknown codes as given."""
    try:
        return str(Tier(code).label)
    except ValueError:
        return code or ""
