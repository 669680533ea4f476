"""Which questions an attempt gets, and in which order its choices appear."""

from __future__ import annotations

import random
from collections.abc import Collection, Sequence

from courses.grading import QuestionKind

# Seen in order, these kinds would give the answer away, so they are always shuffled.
ALWAYS_SHUFFLED = {QuestionKind.ORDERING, QuestionKind.MATCHING}


def draw_questions(pool: Sequence[int], seen: Collection[int], count: int, rng: random.Random) -> list[int]:
    """Up to `count` question ids, unseen ones first, each group in random order."""
    unseen = [question for question in pool if question not in seen]
    already_seen = [question for question in pool if question in seen]
    picked = rng.sample(unseen, min(count, len(unseen)))
    if len(picked) < count:
        picked += rng.sample(already_seen, min(count - len(picked), len(already_seen)))
    return picked


def order_choices(kind: str, choice_ids: Sequence[int], *, shuffle: bool, rng: random.Random) -> list[int]:
    ordered = list(choice_ids)
    if kind == QuestionKind.TRUE_FALSE or not (shuffle or kind in ALWAYS_SHUFFLED):
        return ordered
    shuffled = ordered[:]
    rng.shuffle(shuffled)
    if kind in ALWAYS_SHUFFLED and shuffled == ordered and len(ordered) > 1:
        shuffled = shuffled[1:] + shuffled[:1]
    return shuffled
