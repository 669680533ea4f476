"""Public verification of a credential: its public status, the lookup by code, and the
dates and names shown to anyone who holds the code (the page and the certificate).

Nothing here shows personal data beyond the holder's name: no email address, no
organization, no reason for a revocation.
"""

from __future__ import annotations

import re
import zoneinfo
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from certifications.models import Credential
from lms import calendars

# Codes are secrets.token_urlsafe(20): 27 characters. Anything that is not URL-safe
# base64 of a plausible length is refused before the database is asked.
CODE_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,43}")
VERIFY_SEGMENT = "verify"


class PublicStatus(StrEnum):
    VALID = "valid"
    EXPIRED = "expired"
    REVOKED = "revoked"
    SUSPENDED = "suspended"
    SUPERSEDED = "superseded"


STATUS_LABELS = {
    PublicStatus.VALID: _("Valid"),
    PublicStatus.EXPIRED: _("Expired"),
    PublicStatus.REVOKED: _("Revoked"),
    PublicStatus.SUSPENDED: _("Suspended"),
    PublicStatus.SUPERSEDED: _("Superseded"),
}
STATUS_EXPLANATIONS = {
    PublicStatus.VALID: _("This credential is valid."),
    PublicStatus.EXPIRED: _("This credential has expired and is no longer valid."),
    PublicStatus.REVOKED: _("This credential has been revoked by the issuer and is not valid."),
    PublicStatus.SUSPENDED: _("This credential is suspended by the issuer and is not valid at present."),
    PublicStatus.SUPERSEDED: _("This credential has been replaced by a newer one and is no longer valid."),
}
_FROM_STORED = {
    Credential.Status.SUSPENDED: PublicStatus.SUSPENDED,
    Credential.Status.EXPIRED: PublicStatus.EXPIRED,
    Credential.Status.REVOKED: PublicStatus.REVOKED,
    Credential.Status.SUPERSEDED: PublicStatus.SUPERSEDED,
}


def public_status(credential: Credential, *, now: datetime) -> str:
    """What the credential is worth today. An active one past its expiry date shows as
    expired even before the nightly `expire_credentials` has run."""
    if credential.status == Credential.Status.ACTIVE:
        if credential.expires_at is not None and credential.expires_at <= now:
            return PublicStatus.EXPIRED
        return PublicStatus.VALID
    return _FROM_STORED.get(credential.status, PublicStatus.REVOKED)


def is_code_shaped(code: str) -> bool:
    return bool(CODE_PATTERN.fullmatch(code))


def credential_by_code(code: str) -> Credential | None:
    """The credential with this verification code, with what its public page and its
    certificate print (certification, competency) in one query; None for an unknown
    code, and for a malformed one without any query."""
    if not isinstance(code, str) or not is_code_shaped(code):
        return None
    return Credential.objects.select_related("certification", "certification__competency").filter(code=code).first()


def extract_code(value: str) -> str | None:
    """The code from what someone typed or pasted: the bare code, or the verification
    address printed on the certificate (any host, any language prefix, with or without
    certificate.pdf). Spaces, including line breaks from copying, are dropped."""
    text = "".join((value or "").split())
    if "/" in text:
        parts = [part for part in urlsplit(text).path.split("/") if part]
        if VERIFY_SEGMENT not in parts:
            return None
        position = len(parts) - 1 - parts[::-1].index(VERIFY_SEGMENT)
        text = parts[position + 1] if position + 1 < len(parts) else ""
    return text if is_code_shaped(text) else None


def verification_url(credential: Credential) -> str:
    """The page's absolute address, language-neutral (unprefixed): the one printed on the
    certificate and encoded in its QR code."""
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("certifications:verify", args=[credential.code])
    return f"{settings.BASE_URL}{path}"


def public_holder_name(credential: Credential) -> str:
    """The holder's name as issued. A person without a name was issued their email
    address (see `services.awarding.holder_name`); publicly, only its local part shows."""
    name = credential.holder_name.strip()
    if "@" in name:
        return name.split("@", 1)[0]
    return name


@dataclass(frozen=True)
class PrintedDate:
    gregorian: str  # "25 November 2026"
    jalali: str  # "۴ آذر ۱۴۰۵"


def printed_date(value: datetime | None) -> PrintedDate | None:
    """A credential date in both calendars, as a day in the site's zone (TIME_ZONE).

    One zone for both calendars and for every reader, so the page in either language
    and the certificate always name the same day."""
    if value is None:
        return None
    local = timezone.localtime(value, zoneinfo.ZoneInfo(settings.TIME_ZONE))
    return PrintedDate(gregorian=calendars.gregorian_date(local), jalali=calendars.jalali_date(local))
