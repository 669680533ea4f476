"""Logging filters: secrets that travel in URLs never reach the logs."""

from __future__ import annotations

import logging
import re

INVITATION_PATH = re.compile(r"(/accounts/invite/)[^/\s\"']+")


class RedactInvitationTokens(logging.Filter):
    """Replaces the token in invitation URLs (logged with every 4xx answer) by a marker."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "/accounts/invite/" in message:
            record.msg = INVITATION_PATH.sub(r"\1[redacted]", message)
            record.args = ()
        return True
