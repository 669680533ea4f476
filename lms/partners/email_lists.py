"""Parse lists of email addresses pasted as text or uploaded as CSV (pure, no database)."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError

from lms.accounts.emails import canonical_email, validate_ascii_email

MAX_EMAILS_PER_BATCH = 500
# Commas and semicolons, Latin and Persian, and any white space (tabs from spreadsheets).
SEPARATORS = re.compile(r"[\s,;،؛]+")


@dataclass(frozen=True)
class ParsedEmails:
    valid: list[str] = field(default_factory=list)
    invalid: list[tuple[int, str]] = field(default_factory=list)  # (line number, text)

    @property
    def too_many(self) -> bool:
        return len(self.valid) > MAX_EMAILS_PER_BATCH


def parse_email_text(text: str) -> ParsedEmails:
    """Emails separated by newlines, commas, semicolons or spaces; duplicates folded."""
    return _collect((number, SEPARATORS.split(line)) for number, line in enumerate(text.splitlines(), start=1))


def parse_email_csv(text: str) -> ParsedEmails:
    """A CSV whose cells hold emails; a header row such as "email" is ignored."""
    reader = csv.reader(io.StringIO(text))
    rows = []
    try:
        for number, cells in enumerate(reader, start=1):
            if number == 1 and cells and not any("@" in cell for cell in cells):
                continue  # header row
            rows.append((number, [cell for cell in cells if "@" in cell] or cells[:1]))
    except csv.Error:  # e.g. a field over the csv module's size limit
        return ParsedEmails(invalid=[(reader.line_num, "CSV")])
    return _collect(rows)


def _collect(rows: Iterable[tuple[int, list[str]]]) -> ParsedEmails:
    valid: list[str] = []
    seen: set[str] = set()
    invalid: list[tuple[int, str]] = []
    for number, cells in rows:
        for cell in cells:
            candidate = canonical_email(cell).strip('"').strip("<>").strip()
            if not candidate:
                continue
            try:
                validate_ascii_email(candidate)
            except ValidationError:
                invalid.append((number, candidate[:120]))
                continue
            normalized = candidate
            if normalized not in seen:
                seen.add(normalized)
                valid.append(normalized)
    return ParsedEmails(valid=valid, invalid=invalid)
