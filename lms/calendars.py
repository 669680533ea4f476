"""Calendar display: Jalali with Persian digits for Persian, Gregorian for English.

Pure functions over datetimes; storage is always UTC.
"""

from __future__ import annotations

import datetime as dt

import jdatetime

PERSIAN_DIGITS = str.maketrans("0123456789", "۰۱۲۳۴۵۶۷۸۹")
JALALI_MONTHS = (
    "فروردین",
    "اردیبهشت",
    "خرداد",
    "تیر",
    "مرداد",
    "شهریور",
    "مهر",
    "آبان",
    "آذر",
    "دی",
    "بهمن",
    "اسفند",
)
GREGORIAN_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def to_persian_digits(text: str) -> str:
    return text.translate(PERSIAN_DIGITS)


def jalali_date(value: dt.date) -> str:
    """ "۴ آذر ۱۴۰۵" for 2026-11-25."""
    day = jdatetime.date.fromgregorian(date=_as_date(value))
    return to_persian_digits(f"{day.day} {JALALI_MONTHS[day.month - 1]} {day.year}")


def gregorian_date(value: dt.date) -> str:
    """ "25 November 2026"."""
    day = _as_date(value)
    return f"{day.day} {GREGORIAN_MONTHS[day.month - 1]} {day.year}"


def format_date(value: dt.date, language: str) -> str:
    return jalali_date(value) if language == "fa" else gregorian_date(value)


def format_datetime(value: dt.datetime, language: str) -> str:
    time = f"{value.hour:02d}:{value.minute:02d}"
    if language == "fa":
        return f"{jalali_date(value)}، {to_persian_digits(time)}"
    return f"{gregorian_date(value)}, {time}"


def _as_date(value: dt.date) -> dt.date:
    return value.date() if isinstance(value, dt.datetime) else value
