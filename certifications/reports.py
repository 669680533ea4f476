"""The team's credentials as a CSV file for partner admins.

UTF-8 with a byte-order mark (so spreadsheet programs read Persian names right), and
safe against formula injection: a cell starting with = + - @ is never run as a formula.
"""

from __future__ import annotations

import csv
import io
import zoneinfo
from datetime import datetime

from django.conf import settings
from django.utils import timezone

from certifications.models import Credential
from certifications.verification import public_status, verification_url
from lms.spreadsheets import safe_cell

CSV_HEADER = (
    "name",
    "email",
    "certification",
    "certification_fa",
    "level",
    "status",
    "issued",
    "expires",
    "verification_url",
)


def team_credentials_csv(credentials: list[Credential], *, now: datetime) -> str:
    """One row per member and credential; `credentials` must have `user` and
    `certification` selected (see `selectors.team_credentials`)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for credential in credentials:
        certification = credential.certification
        writer.writerow(
            [
                safe_cell(credential.user.get_full_name()),
                safe_cell(credential.user.email),
                safe_cell(certification.name),
                safe_cell(certification.name_fa),
                certification.level,
                public_status(credential, now=now),
                _day(credential.issued_at),
                _day(credential.expires_at),
                verification_url(credential),
            ]
        )
    return "\ufeff" + buffer.getvalue()


def _day(value: datetime | None) -> str:
    """The day in the site's zone, as on the certificate and the verification page."""
    if value is None:
        return ""
    return timezone.localtime(value, zoneinfo.ZoneInfo(settings.TIME_ZONE)).date().isoformat()
