"""The current time, in one place, so tests can move it.

Code that enforces time rules (exam deadlines, cooldowns, expiry) calls
`clock.now()` through this module rather than `timezone.now()` directly; a test
replaces `lms.clock.now` to travel in time, including inside a live server thread.
"""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone


def now() -> datetime:
    return timezone.now()
