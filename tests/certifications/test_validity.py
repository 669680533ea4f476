"""Dates of a credential's life: months added, renewal windows, the reminder due."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from certifications.validity import (
    add_months,
    expiry_for,
    in_renewal_window,
    reminder_due,
    renewed_expiry,
)

NOW = datetime(2026, 12, 2, 9, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (datetime(2026, 1, 31, tzinfo=UTC), 1, datetime(2026, 2, 28, tzinfo=UTC)),
        (datetime(2028, 1, 31, tzinfo=UTC), 1, datetime(2028, 2, 29, tzinfo=UTC)),
        (datetime(2026, 11, 15, tzinfo=UTC), 2, datetime(2027, 1, 15, tzinfo=UTC)),
        (datetime(2026, 3, 10, tzinfo=UTC), 24, datetime(2028, 3, 10, tzinfo=UTC)),
    ],
)
def test_months_are_added_on_the_calendar_clamped_to_the_month_end(start, months, expected):
    assert add_months(start, months) == expected


def test_no_validity_means_no_expiry():
    assert expiry_for(NOW, None) is None


def test_renewing_early_keeps_the_remaining_time_and_renewing_late_starts_from_now():
    assert renewed_expiry(NOW + timedelta(days=10), NOW, 12) == add_months(NOW + timedelta(days=10), 12)
    assert renewed_expiry(NOW - timedelta(days=3), NOW, 12) == add_months(NOW, 12)


def test_the_renewal_window_opens_before_expiry_and_closes_at_it():
    expires = NOW + timedelta(days=30)
    assert in_renewal_window(now=NOW, expires_at=expires, window_days=90)
    assert not in_renewal_window(now=NOW, expires_at=expires, window_days=29)
    assert not in_renewal_window(now=expires, expires_at=expires, window_days=90)
    assert not in_renewal_window(now=NOW, expires_at=None, window_days=90)


@pytest.mark.parametrize(
    ("days_left", "sent", "expected"),
    [
        (120, frozenset(), None),
        (90, frozenset(), 90),
        (45, frozenset({90}), None),
        (30, frozenset({90}), 30),
        (5, frozenset(), 7),
        (5, frozenset({7}), None),
        (20, frozenset({7}), None),
        (-1, frozenset(), None),
    ],
)
def test_the_tightest_threshold_reached_is_sent_once(days_left, sent, expected):
    assert reminder_due(now=NOW, expires_at=NOW + timedelta(days=days_left), already_sent=sent) == expected


@given(st.integers(min_value=0, max_value=400))
def test_following_the_reminders_day_by_day_sends_each_threshold_at_most_once(start_days):
    expires = NOW + timedelta(days=start_days)
    sent: set[int] = set()
    for day in range(start_days + 1):
        due = reminder_due(now=NOW + timedelta(days=day), expires_at=expires, already_sent=frozenset(sent))
        if due is not None:
            assert due not in sent
            sent.add(due)
    assert sent <= {90, 30, 7}
    if start_days >= 90:
        assert sent == {90, 30, 7}
