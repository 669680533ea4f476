"""Small helpers for text that mixes numbers and lists into translated sentences."""

from __future__ import annotations

import zoneinfo
from collections.abc import Callable, Iterable, Mapping

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.urls import translate_url
from django.utils import timezone, translation

from lms.calendars import to_persian_digits


def local_digits(value: object) -> str:
    """The value as text, with Persian digits when Persian is active."""
    text = str(value)
    return to_persian_digits(text) if translation.get_language() == "fa" else text


def local_list(items: Iterable[object]) -> str:
    """Items joined with the active language's comma."""
    separator = "، " if translation.get_language() == "fa" else ", "
    return separator.join(str(item) for item in items)


def translate_path(path: str, language: str) -> str:
    """The same page in another language: /learn/ <-> /fa/learn/.

    translate_url resolves the path in the active language, so the language the
    path is written in (its prefix, or none for the default) is activated first.
    """
    with translation.override(translation.get_language_from_path(path) or settings.LANGUAGE_CODE):
        return translate_url(path, language)


class ReaderTimeZoneMiddleware:
    """Shows times in the reader's zone: Iran's for the Persian interface, TIME_ZONE otherwise.

    Stored values stay UTC; only their display changes (Django's timezone.activate).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        zone = settings.PERSIAN_TIME_ZONE if translation.get_language() == "fa" else settings.TIME_ZONE
        with timezone.override(zoneinfo.ZoneInfo(zone)):
            return self.get_response(request)


def one_per_translation(
    rows: Iterable[tuple[int, object, int]], languages: Mapping[int, str], language: str | None
) -> list[int]:
    """One page per set of language versions (Wagtail translations): the reader's
    language, else the first in order.

    `rows` are (pk, translation_key, locale_id) in display order; `languages` maps a
    locale id to its language code.
    """
    chosen: dict[object, tuple[int, bool]] = {}
    order: list[object] = []
    for pk, key, locale_id in rows:
        preferred = languages.get(locale_id) == language
        if key not in chosen:
            order.append(key)
            chosen[key] = (pk, preferred)
        elif preferred and not chosen[key][1]:
            chosen[key] = (pk, True)
    return [chosen[key][0] for key in order]
