"""Parse lists of email addresses pasted as text or uploaded as CSV (pure, no database)."""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.validators import validate_email

MAX_EMAILS_PER_BATCH = 500


@dataclass(frozen=True)
class ParsedEmails:
    valid: list[str] = field(default_factory=list)
    invalid: list[tuple[int, str]] = field(default_factory=list)  # (line number, text)

    @property
    def too_many(self) -> bool:
        return len(self.valid) > MAX_EMAILS_PER_BATCH


def parse_email_text(text: str) -> ParsedEmails:
    """Emails separated by newlines, commas, semicolons or spaces; duplicates folded."""
    rows = [
        (number, line.replace(";", ",").replace(" ", ",").split(","))
        for number, line in enumerate(text.splitlines(), start=1)
    ]
    return _collect(rows)


def parse_email_csv(text: str) -> ParsedEmails:
    """A CSV whose cells hold emails; a header row such as "email" is ignored."""
    reader = csv.reader(io.StringIO(text))
    rows = []
    for number, cells in enumerate(reader, start=1):
        if number == 1 and cells and not any("@" in cell for cell in cells):
            continue  # header row
        rows.append((number, [cell for cell in cells if "@" in cell] or cells[:1]))
    return _collect(rows)


def _collect(rows) -> ParsedEmails:
    valid: list[str] = []
    seen: set[str] = set()
    invalid: list[tuple[int, str]] = []
    for number, cells in rows:
        for cell in cells:
            candidate = cell.strip().strip('"').strip("<>").strip()
            if not candidate:
                continue
            try:
                validate_email(candidate)
            except ValidationError:
                invalid.append((number, candidate[:120]))
                continue
            normalized = candidate.lower()
            if normalized not in seen:
                seen.add(normalized)
                valid.append(normalized)
    return ParsedEmails(valid=valid, invalid=invalid)
