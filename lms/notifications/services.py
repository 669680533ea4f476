"""Writes for in-app notifications."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils import translation

from lms import clock
from lms.accounts.models import User
from lms.notifications.models import Notification


@dataclass(frozen=True)
class Message:
    """One notification for one person; `text` is a lazy translatable string or a
    callable rendering it, evaluated once per language."""

    user_id: int
    kind: str
    text: object
    url: str = ""


def _render(text: object, language: str) -> str:
    with translation.override(language):
        return str(text() if callable(text) else text)


def notify(*, messages: Iterable[Message]) -> int:
    """Store the messages in both languages, in one INSERT per batch; returns how many."""
    now = clock.now()
    rows = [
        Notification(
            user_id=message.user_id,
            kind=message.kind,
            message=_render(message.text, "en")[:400],
            message_fa=_render(message.text, "fa")[:400],
            url=message.url,
            created_at=now,
        )
        for message in messages
    ]
    Notification.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def mark_all_read(*, user: User) -> int:
    return Notification.objects.filter(user=user, read_at__isnull=True).update(read_at=clock.now())
