"""Dates in the reader's calendar (no database)."""

import datetime as dt

import pytest
from django.utils import translation

from lms import calendars
from lms.i18n import local_digits, local_list


@pytest.mark.parametrize(
    ("gregorian", "jalali"),
    [
        (dt.date(2026, 11, 25), "۴ آذر ۱۴۰۵"),
        (dt.date(2026, 3, 21), "۱ فروردین ۱۴۰۵"),
        (dt.date(2025, 3, 20), "۳۰ اسفند ۱۴۰۳"),
    ],
)
def test_jalali_dates_use_persian_month_names_and_digits(gregorian, jalali):
    assert calendars.jalali_date(gregorian) == jalali


def test_gregorian_dates_read_naturally_in_english():
    assert calendars.gregorian_date(dt.datetime(2026, 11, 25, 17, 5)) == "25 November 2026"


def test_date_times_follow_the_language():
    moment = dt.datetime(2026, 11, 25, 9, 5)
    assert calendars.format_datetime(moment, "en") == "25 November 2026, 09:05"
    assert calendars.format_datetime(moment, "fa") == "۴ آذر ۱۴۰۵، ۰۹:۰۵"


def test_digits_and_lists_follow_the_active_language():
    with translation.override("fa"):
        assert local_digits(2026) == "۲۰۲۶"
        assert local_list(["a", "b"]) == "a، b"
    with translation.override("en"):
        assert local_digits(2026) == "2026"
        assert local_list(["a", "b"]) == "a, b"
