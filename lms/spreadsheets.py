"""CSV cells that spreadsheet programs open safely."""

from __future__ import annotations

FORMULA_STARTS = {"=", "+", "-", "@", "\t", "\r"}


def safe_cell(text: str) -> str:
    """Spreadsheet formula injection: a leading = + - @ would be run as a formula."""
    return "'" + text if text[:1] in FORMULA_STARTS else text
