"""Filters for the portal's filtered, paginated listings (catalogs, the asset library)."""

from __future__ import annotations

from collections.abc import Iterable

from django import template

register = template.Library()


@register.filter
def page_query(filters, page_number: int) -> str:
    """The query string for another page of a listing, keeping its filters (`filters.query`)."""
    return filters.query(page_number)


@register.filter
def choices(objects: Iterable, attributes: str) -> list[tuple[str, str]]:
    """(value, label) pairs for a select: `competencies|choices:"slug display_name"`."""
    value, label = attributes.split()
    return [(str(getattr(item, value)), str(getattr(item, label))) for item in objects]
