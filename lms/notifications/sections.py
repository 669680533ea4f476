"""The unread notifications at the top of "My learning", in the reader's language."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.http import HttpRequest
from django.utils import translation
from django.utils.timesince import timesince

from lms import clock
from lms.i18n import local_digits
from lms.notifications.models import Notification
from lms.notifications.selectors import unread_notifications


@dataclass(frozen=True)
class NotificationView:
    text: str
    url: str  # empty when there is nothing to link to
    created_at: datetime
    age: str  # "3 days", in the reader's language and digits


def _local_path(url: str) -> str:
    """Links are written by the apps as paths on this site; anything else is not linked."""
    return url if url.startswith("/") and not url.startswith("//") and "\\" not in url else ""


def _view(notification: Notification, *, now: datetime, language: str) -> NotificationView:
    text = notification.message_fa if language == "fa" and notification.message_fa else notification.message
    return NotificationView(
        text=text,
        url=_local_path(notification.url),
        created_at=notification.created_at,
        age=local_digits(timesince(notification.created_at, now, depth=1)),
    )


def learn_section(request: HttpRequest) -> dict:
    now = clock.now()
    language = translation.get_language()
    return {
        "notifications": [
            _view(notification, now=now, language=language) for notification in unread_notifications(user=request.user)
        ]
    }
