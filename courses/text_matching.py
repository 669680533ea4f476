"""Lenient comparison of typed exam answers in Persian, Arabic and Latin script.

Pure functions with no Django import: the same word typed on an Arabic keyboard, with
Persian digits or with a zero-width non-joiner instead of a space should still match.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from decimal import Decimal

_DIGITS = {digit: str(value) for digits in ("۰۱۲۳۴۵۶۷۸۹", "٠١٢٣٤٥٦٧٨٩") for value, digit in enumerate(digits)}

# Zero-width and bidi control characters that pasted Persian text often carries.
_INVISIBLE = dict.fromkeys("\u200b\u200d\u200e\u200f\u2060\ufeff\u061c")

_ARABIC_TO_PERSIAN = {
    "ي": "ی",
    "ى": "ی",
    "ئ": "ی",
    "ك": "ک",
    "ة": "ه",
    "ۀ": "ه",
    "أ": "ا",
    "إ": "ا",
    "ٱ": "ا",
    "آ": "ا",
    "ؤ": "و",
}

_TATWEEL_AND_DIACRITICS = dict.fromkeys([0x0640, *range(0x064B, 0x0660), 0x0670])

_ANSWER_TABLE = str.maketrans({**_DIGITS, **_INVISIBLE, **_ARABIC_TO_PERSIAN, **_TATWEEL_AND_DIACRITICS, "\u200c": " "})

# Punctuation and quotes that learners add around an answer without meaning anything by it.
_SURROUNDING = " .,،؛؟!?;:\"'«»“”‘’"

_NUMBER_TABLE = str.maketrans({**_DIGITS, **_INVISIBLE, "٫": ".", "٬": ",", "\u2212": "-"})

# Thousands separators are only accepted in groups of three, so "1,5" is not read as 15.
_NUMBER = re.compile(r"[+-]?(?:(?:[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.[0-9]*)?|\.[0-9]+)")


def normalize_answer(text: str) -> str:
    """Fold the spelling variants of one answer into a single form for comparison."""
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_ANSWER_TABLE)
    return " ".join(folded.split()).strip(_SURROUNDING)


def parse_number(text: str) -> Decimal | None:
    """Read a number typed with ASCII, Persian or Arabic-Indic digits; None if it is not one."""
    candidate = text.translate(_NUMBER_TABLE).strip()
    if not _NUMBER.fullmatch(candidate):
        return None
    return Decimal(candidate.replace(",", ""))


def answers_match(given: str, accepted: Iterable[str], *, normalized: bool) -> bool:
    """Whether a typed answer equals one of the accepted ones; a blank answer never does."""
    canonical: Callable[[str], str] = normalize_answer if normalized else str.strip
    answer = canonical(given)
    return bool(answer) and any(canonical(option) == answer for option in accepted)
