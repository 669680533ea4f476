"""What the attempt form sends for ordering and matching options.

Choice ids are created in the order an author types the choices, which for ordering
questions is the right order and for matching questions pairs each left item with
its own id. Sent as they are, the ids would give the answers away. So the form sends
an option's position in the attempt's shuffled `choice_order` instead, and the server
turns positions back into choice ids before grading.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

ENCODED_KINDS = frozenset({"ordering", "matching"})
INVALID = "invalid"  # makes grading.clean_response refuse the answer
_MATCH_FIELD = re.compile(r"^match-\d+$")


def _is_encoded(field: str) -> bool:
    return field == "order" or bool(_MATCH_FIELD.match(field))


def decode(kind: str, choice_order: Sequence[int], raw: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """Positions back to choice ids; a position out of range becomes an invalid answer."""
    if kind not in ENCODED_KINDS:
        return dict(raw)
    decoded: dict[str, list[str]] = {}
    for field, values in raw.items():
        if _is_encoded(field):
            decoded[field] = [_choice_id(value, choice_order) for value in values]
        else:
            decoded[field] = list(values)
    return decoded


def encode(kind: str, choice_order: Sequence[int], fields: Mapping[str, list[str]]) -> dict[str, list[str]]:
    """Choice ids to the positions the form sends (for code that submits like the form)."""
    if kind not in ENCODED_KINDS:
        return dict(fields)
    positions = {str(choice_id): str(position) for position, choice_id in enumerate(choice_order)}
    return {
        field: [positions.get(value, value) for value in values] if _is_encoded(field) else list(values)
        for field, values in fields.items()
    }


def _choice_id(value: str, choice_order: Sequence[int]) -> str:
    if value == "":
        return ""  # left unanswered
    if value.isascii() and value.isdigit() and int(value) < len(choice_order):
        return str(choice_order[int(value)])
    return INVALID
