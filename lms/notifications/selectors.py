"""Reads for in-app notifications."""

from __future__ import annotations

from lms.accounts.models import User
from lms.notifications.models import Notification

UNREAD_SHOWN = 10


def unread_notifications(*, user: User, limit: int = UNREAD_SHOWN) -> list[Notification]:
    return list(Notification.objects.filter(user=user, read_at__isnull=True)[:limit])
