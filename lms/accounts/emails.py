"""The one spelling of an email address the platform stores, compares and counts.

Addresses are ASCII (internationalized domains in their xn-- form) and lower-cased.
Non-ASCII look-alikes such as "ſ" or "ı" would otherwise fold into other people's
addresses in PostgreSQL's case-insensitive comparisons.
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.utils.translation import gettext_lazy as _

MAX_EMAIL_LENGTH = 254
INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u200e\u200f\u2066\u2067\u2068\u2069\ufeff"))


def canonical_email(value: str) -> str:
    """Trimmed, without invisible marks, Unicode-normalized and lower-cased (no validation)."""
    return unicodedata.normalize("NFKC", value.translate(INVISIBLE)).strip().lower()


def validate_ascii_email(value: str) -> None:
    if not value.isascii():
        raise ValidationError(_("Enter the email address in Latin letters (ASCII) only."), code="non_ascii_email")
    if len(value) > MAX_EMAIL_LENGTH:
        raise ValidationError(_("An email address can be at most 254 characters long."), code="email_too_long")
    validate_email(value)
