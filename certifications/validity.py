"""Dates of a credential's life: expiry, the renewal window and the reminders due.

Pure functions over datetimes; the caller passes "now".
"""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta

REMINDER_DAYS = (90, 30, 7)


def add_months(moment: datetime, months: int) -> datetime:
    """The same day and time `months` later, on the month's last day where it is shorter."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    day = min(moment.day, calendar.monthrange(year, month)[1])
    return moment.replace(year=year, month=month, day=day)


def expiry_for(issued_at: datetime, validity_months: int | None) -> datetime | None:
    return add_months(issued_at, validity_months) if validity_months else None


def renewed_expiry(expires_at: datetime, now: datetime, validity_months: int) -> datetime:
    """Renewal adds a full period to the current expiry, so renewing early loses nothing;
    a credential renewed after it lapsed runs from now."""
    return add_months(max(expires_at, now), validity_months)


def renewal_window_opens(expires_at: datetime, window_days: int) -> datetime:
    return expires_at - timedelta(days=window_days)


def in_renewal_window(*, now: datetime, expires_at: datetime | None, window_days: int) -> bool:
    return expires_at is not None and renewal_window_opens(expires_at, window_days) <= now < expires_at


def reminder_due(*, now: datetime, expires_at: datetime, already_sent: frozenset[int] = frozenset()) -> int | None:
    """The reminder to send now, if any: the tightest threshold reached, unless it or a
    tighter one was already sent. A credential found at 5 days gets the 7-day reminder only."""
    if expires_at <= now:
        return None
    left = expires_at - now
    reached = [days for days in REMINDER_DAYS if left <= timedelta(days=days)]
    if not reached:
        return None
    tightest = min(reached)
    if any(sent <= tightest for sent in already_sent):
        return None
    return tightest
