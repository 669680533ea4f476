"""Template filters that show dates in the reader's calendar.

{% load calendars %}{{ invitation.expires_at|local_date }}
"""

from __future__ import annotations

import datetime as dt

from django import template
from django.utils import timezone, translation

from lms import calendars, i18n

register = template.Library()


def _local(value):
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


@register.filter
def local_date(value) -> str:
    if not value:
        return ""
    return calendars.format_date(_local(value), translation.get_language() or "en")


@register.filter
def local_datetime(value) -> str:
    if not value:
        return ""
    value = _local(value)
    if not isinstance(value, dt.datetime):
        return local_date(value)
    return calendars.format_datetime(value, translation.get_language() or "en")


@register.filter
def local_digits(value) -> str:
    """Persian digits in Persian, as is otherwise."""
    return i18n.local_digits(value)
