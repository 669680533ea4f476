"""Validating and scoring answers to every kind of exam question.

Pure functions over frozen dataclasses with no Django import. A view passes the submitted
form values to `clean_response`, stores the canonical result as JSON and `grade`s it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum
from typing import Any

from courses.text_matching import answers_match, parse_number

MAX_TEXT_LENGTH = 500

_ZERO = Decimal(0)
_ONE = Decimal(1)
_PLACES = Decimal("0.0001")

# Canonical decimal ids only: int() would also take signs, underscores, Unicode digits and
# leading zeros (so "03" and "3" would be one id), and refuses more than 4300 digits.
_ID = re.compile(r"0|[1-9][0-9]{0,17}")
_MATCH_PREFIX = "match-"

type RawForm = Mapping[str, list[str]]


class QuestionKind(StrEnum):
    SINGLE = "single"
    MULTIPLE = "multiple"
    TRUE_FALSE = "true_false"
    NUMERIC = "numeric"
    SHORT_TEXT = "short_text"
    ORDERING = "ordering"
    MATCHING = "matching"


@dataclass(frozen=True)
class ChoiceKey:
    """One choice of a question.

    For ordering questions the key's choices are in the correct order. For matching
    questions each choice is a pair that matches itself: left id X is answered by right id X.
    """

    id: int
    correct: bool = False


@dataclass(frozen=True)
class AnswerKey:
    kind: QuestionKind
    choices: tuple[ChoiceKey, ...] = ()
    partial_credit: bool = False
    numeric_answer: Decimal | None = None
    tolerance: Decimal = Decimal(0)
    accepted_answers: tuple[str, ...] = ()
    normalized_match: bool = True


def key_to_json(key: AnswerKey) -> dict[str, Any]:
    """The key as JSON-able data, so an attempt can keep the keys it was drawn with."""
    return {
        "kind": key.kind.value,
        "choices": [[choice.id, choice.correct] for choice in key.choices],
        "partial_credit": key.partial_credit,
        "numeric_answer": None if key.numeric_answer is None else str(key.numeric_answer),
        "tolerance": str(key.tolerance),
        "accepted_answers": list(key.accepted_answers),
        "normalized_match": key.normalized_match,
    }


def key_from_json(data: Mapping[str, Any]) -> AnswerKey:
    numeric = data.get("numeric_answer")
    return AnswerKey(
        kind=QuestionKind(data["kind"]),
        choices=tuple(ChoiceKey(id=choice_id, correct=correct) for choice_id, correct in data.get("choices", ())),
        partial_credit=data.get("partial_credit", False),
        numeric_answer=None if numeric is None else Decimal(numeric),
        tolerance=Decimal(data.get("tolerance", "0")),
        accepted_answers=tuple(data.get("accepted_answers", ())),
        normalized_match=data.get("normalized_match", True),
    )


class InvalidResponse(ValueError):
    """Submitted values that no honest form could send; the message is for developers."""


def clean_response(key: AnswerKey, raw: RawForm) -> dict[str, Any]:
    """Turn submitted form values into the canonical, JSON-able response to store.

    Blank values count as unanswered, and an unanswered question gives {}. Fields that do
    not belong to the question kind are ignored. Tampered input raises InvalidResponse.
    """
    return _CLEANERS[key.kind](key, raw)


def grade(key: AnswerKey, response: Mapping[str, Any]) -> Decimal:
    """The fraction of the question earned, from 0 to 1 in steps of 0.0001."""
    if not response:
        return _ZERO
    return _GRADERS[key.kind](key, response).quantize(_PLACES, rounding=ROUND_HALF_UP)


def _values(raw: RawForm, field: str) -> list[str]:
    """The non-blank values of a field; a blank one is what an unselected <select> sends."""
    return [value for value in (value.strip() for value in raw.get(field, ())) if value]


def _one_value(raw: RawForm, field: str) -> str | None:
    values = _values(raw, field)
    if len(values) > 1:
        raise InvalidResponse(f"{field!r} takes one value, got {len(values)}")
    return values[0] if values else None


def _choice_ids(key: AnswerKey) -> set[int]:
    return {choice.id for choice in key.choices}


def _parse_id(value: str, known: set[int]) -> int:
    if not _ID.fullmatch(value) or int(value) not in known:
        raise InvalidResponse("not a choice of this question")
    return int(value)


def _clean_single(key: AnswerKey, raw: RawForm) -> dict[str, Any]:
    value = _one_value(raw, "choice")
    return {"choice": _parse_id(value, _choice_ids(key))} if value else {}


def _clean_multiple(key: AnswerKey, raw: RawForm) -> dict[str, Any]:
    known = _choice_ids(key)
    picked = [_parse_id(value, known) for value in _values(raw, "choices")]
    if len(set(picked)) != len(picked):
        raise InvalidResponse("a choice is picked twice")
    return {"choices": sorted(picked)} if picked else {}


def _clean_text(raw: RawForm, field: str) -> dict[str, Any]:
    value = _one_value(raw, field)
    if value and len(value) > MAX_TEXT_LENGTH:
        raise InvalidResponse(f"{field!r} is longer than {MAX_TEXT_LENGTH} characters")
    return {field: value} if value else {}


def _clean_numeric(key: AnswerKey, raw: RawForm) -> dict[str, Any]:
    return _clean_text(raw, "value")


def _clean_short_text(key: AnswerKey, raw: RawForm) -> dict[str, Any]:
    return _clean_text(raw, "text")


def _clean_ordering(key: AnswerKey, raw: RawForm) -> dict[str, Any]:
    """One value per position; a learner may leave a position blank (None) or put an
    item in two positions: both are honest, partly right answers, graded by position."""
    known = _choice_ids(key)
    slots = [value.strip() for value in raw.get("order", ())]
    if len(slots) > len(known):
        raise InvalidResponse("more positions than items")
    order = [_parse_id(value, known) if value else None for value in slots]
    return {"order": order} if any(item is not None for item in order) else {}


def _clean_matching(key: AnswerKey, raw: RawForm) -> dict[str, Any]:
    known = _choice_ids(key)
    pairs: dict[int, int] = {}
    for field in raw:
        if field.startswith(_MATCH_PREFIX):
            left = _parse_id(field.removeprefix(_MATCH_PREFIX), known)
            right = _one_value(raw, field)
            if right:
                pairs[left] = _parse_id(right, known)
    # The same right-hand text may be picked for two items: an honest, partly right answer.
    return {"pairs": {str(left): right for left, right in sorted(pairs.items())}} if pairs else {}


def _full_if(condition: bool) -> Decimal:
    return _ONE if condition else _ZERO


def _ratio(earned: int, possible: int) -> Decimal:
    """A partial-credit fraction, never below zero; nothing can be earned out of nothing."""
    if possible == 0:
        return _ZERO
    return max(_ZERO, Decimal(earned) / possible)


def _correct_ids(key: AnswerKey) -> set[int]:
    return {choice.id for choice in key.choices if choice.correct}


def _grade_single(key: AnswerKey, response: Mapping[str, Any]) -> Decimal:
    return _full_if(response.get("choice") in _correct_ids(key))


def _grade_multiple(key: AnswerKey, response: Mapping[str, Any]) -> Decimal:
    picked = set(response.get("choices", ()))
    correct = _correct_ids(key)
    if not key.partial_credit:
        return _full_if(picked == correct)
    return _ratio(len(picked & correct) - len(picked - correct), len(correct))


def _grade_numeric(key: AnswerKey, response: Mapping[str, Any]) -> Decimal:
    value = parse_number(response.get("value", ""))
    if value is None or key.numeric_answer is None:
        return _ZERO
    return _full_if(abs(value - key.numeric_answer) <= key.tolerance)


def _grade_short_text(key: AnswerKey, response: Mapping[str, Any]) -> Decimal:
    text = response.get("text", "")
    return _full_if(answers_match(text, key.accepted_answers, normalized=key.normalized_match))


def _grade_ordering(key: AnswerKey, response: Mapping[str, Any]) -> Decimal:
    order = list(response.get("order", ()))
    correct = [choice.id for choice in key.choices]
    if not key.partial_credit:
        return _full_if(order == correct)
    return _ratio(sum(given == right for given, right in zip(order, correct, strict=False)), len(correct))


def _grade_matching(key: AnswerKey, response: Mapping[str, Any]) -> Decimal:
    pairs = response.get("pairs", {})
    right = sum(pairs.get(str(choice.id)) == choice.id for choice in key.choices)
    if not key.partial_credit:
        return _full_if(right == len(key.choices))
    return _ratio(right, len(key.choices))


_CLEANERS: dict[QuestionKind, Callable[[AnswerKey, RawForm], dict[str, Any]]] = {
    QuestionKind.SINGLE: _clean_single,
    QuestionKind.TRUE_FALSE: _clean_single,
    QuestionKind.MULTIPLE: _clean_multiple,
    QuestionKind.NUMERIC: _clean_numeric,
    QuestionKind.SHORT_TEXT: _clean_short_text,
    QuestionKind.ORDERING: _clean_ordering,
    QuestionKind.MATCHING: _clean_matching,
}

_GRADERS: dict[QuestionKind, Callable[[AnswerKey, Mapping[str, Any]], Decimal]] = {
    QuestionKind.SINGLE: _grade_single,
    QuestionKind.TRUE_FALSE: _grade_single,
    QuestionKind.MULTIPLE: _grade_multiple,
    QuestionKind.NUMERIC: _grade_numeric,
    QuestionKind.SHORT_TEXT: _grade_short_text,
    QuestionKind.ORDERING: _grade_ordering,
    QuestionKind.MATCHING: _grade_matching,
}
