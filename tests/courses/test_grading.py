"""Validating and scoring answers to every kind of question (no database)."""

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from courses.grading import MAX_TEXT_LENGTH, AnswerKey, ChoiceKey, InvalidResponse, QuestionKind, clean_response, grade
from courses.text_matching import normalize_answer

ONE = Decimal(1)
ZERO = Decimal(0)


def marked_choices(*correct_ids: int) -> tuple[ChoiceKey, ...]:
    return tuple(ChoiceKey(id=choice_id, correct=choice_id in correct_ids) for choice_id in (1, 2, 3, 4))


def single_key(correct_id: int) -> AnswerKey:
    return AnswerKey(kind=QuestionKind.SINGLE, choices=marked_choices(correct_id))


def multiple_key(*correct_ids: int, partial: bool = False) -> AnswerKey:
    return AnswerKey(kind=QuestionKind.MULTIPLE, choices=marked_choices(*correct_ids), partial_credit=partial)


def arranged_key(kind: QuestionKind, *, partial: bool = False) -> AnswerKey:
    """Ordering: the right order is 3, 1, 2, 4. Matching: each of those ids matches itself."""
    choices = tuple(ChoiceKey(id=choice_id) for choice_id in (3, 1, 2, 4))
    return AnswerKey(kind=kind, choices=choices, partial_credit=partial)


def numeric_key(answer: str, tolerance: str = "0") -> AnswerKey:
    return AnswerKey(kind=QuestionKind.NUMERIC, numeric_answer=Decimal(answer), tolerance=Decimal(tolerance))


def text_key(*accepted: str, normalized: bool = True) -> AnswerKey:
    return AnswerKey(kind=QuestionKind.SHORT_TEXT, accepted_answers=accepted, normalized_match=normalized)


def score(key: AnswerKey, raw: dict[str, list[str]]) -> Decimal:
    return grade(key, clean_response(key, raw))


# Single choice and true/false


def test_single_choice_response_is_the_chosen_id():
    assert clean_response(single_key(2), {"choice": ["2"]}) == {"choice": 2}


def test_single_choice_earns_full_credit_only_for_the_correct_choice():
    assert score(single_key(2), {"choice": ["2"]}) == ONE
    assert score(single_key(2), {"choice": ["3"]}) == ZERO


def test_true_false_is_graded_like_single_choice():
    key = AnswerKey(kind=QuestionKind.TRUE_FALSE, choices=(ChoiceKey(id=10, correct=True), ChoiceKey(id=11)))
    assert score(key, {"choice": ["10"]}) == ONE
    assert score(key, {"choice": ["11"]}) == ZERO


def test_grades_are_quantized_to_four_places():
    assert score(single_key(2), {"choice": ["2"]}).as_tuple().exponent == -4


# Multiple choice


def test_multiple_choice_response_is_the_sorted_ids():
    assert clean_response(multiple_key(1, 3), {"choices": ["3", "1"]}) == {"choices": [1, 3]}


@pytest.mark.parametrize(
    ("picked", "expected"),
    [
        (["1", "3"], ONE),
        (["1"], ZERO),
        (["1", "3", "2"], ZERO),
        (["2", "4"], ZERO),
    ],
)
def test_multiple_choice_without_partial_credit_needs_exactly_the_correct_set(picked, expected):
    assert score(multiple_key(1, 3), {"choices": picked}) == expected


@pytest.mark.parametrize(
    ("picked", "expected"),
    [
        (["1", "2", "3"], ONE),
        (["1", "2"], Decimal("0.6667")),
        (["1"], Decimal("0.3333")),
        (["1", "2", "4"], Decimal("0.3333")),
        (["1", "4"], ZERO),
        (["4"], ZERO),
    ],
)
def test_multiple_choice_partial_credit_subtracts_wrong_picks(picked, expected):
    assert score(multiple_key(1, 2, 3, partial=True), {"choices": picked}) == expected


def test_a_multiple_choice_key_without_correct_choices_cannot_be_earned():
    assert score(multiple_key(partial=True), {"choices": ["1"]}) == ZERO


# Numeric


def test_numeric_response_keeps_the_text_as_typed():
    assert clean_response(numeric_key("3.5"), {"value": [" ۳٫۵ "]}) == {"value": "۳٫۵"}


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("3.14", ONE),
        ("۳٫۱۴", ONE),
        ("3.13", ONE),
        ("3.15", ONE),
        ("3.1299", ZERO),
        ("3.1501", ZERO),
        ("pi", ZERO),
    ],
)
def test_numeric_answers_within_the_tolerance_earn_full_credit(typed, expected):
    assert score(numeric_key("3.14", "0.01"), {"value": [typed]}) == expected


def test_numeric_answers_without_tolerance_must_be_exact():
    assert score(numeric_key("1234"), {"value": ["1,234"]}) == ONE
    assert score(numeric_key("1234"), {"value": ["1234.0001"]}) == ZERO
    assert score(numeric_key("-2"), {"value": ["\u22122"]}) == ONE


def test_a_numeric_key_without_an_answer_cannot_be_earned():
    assert score(AnswerKey(kind=QuestionKind.NUMERIC), {"value": ["0"]}) == ZERO


# Short text


def test_short_text_response_is_the_stripped_text():
    assert clean_response(text_key("تهران"), {"text": ["  تهران "]}) == {"text": "تهران"}


def test_normalized_short_text_forgives_spelling_variants():
    key = text_key("کتاب‌ها", "books")
    assert score(key, {"text": ["«كتاب ها»"]}) == ONE
    assert score(key, {"text": ["Books."]}) == ONE
    assert score(key, {"text": ["کتاب"]}) == ZERO


def test_exact_short_text_only_forgives_surrounding_space():
    key = text_key("کتاب", normalized=False)
    assert score(key, {"text": [" کتاب "]}) == ONE
    assert score(key, {"text": ["كتاب"]}) == ZERO


# Ordering


def test_ordering_response_keeps_the_order_given():
    assert clean_response(arranged_key(QuestionKind.ORDERING), {"order": ["4", "3", "2", "1"]}) == {
        "order": [4, 3, 2, 1]
    }


@pytest.mark.parametrize(
    ("order", "partial", "expected"),
    [
        (["3", "1", "2", "4"], False, ONE),
        (["3", "1", "4", "2"], False, ZERO),
        (["3", "1", "2", "4"], True, ONE),
        (["3", "1", "4", "2"], True, Decimal("0.5")),
        (["1", "3", "4", "2"], True, ZERO),
    ],
)
def test_ordering_counts_positions_with_partial_credit(order, partial, expected):
    assert score(arranged_key(QuestionKind.ORDERING, partial=partial), {"order": order}) == expected


# Matching


def test_matching_response_maps_left_ids_as_strings_to_right_ids():
    raw = {"match-3": ["3"], "match-1": ["2"], "match-2": [""], "csrfmiddlewaretoken": ["x"]}
    assert clean_response(arranged_key(QuestionKind.MATCHING), raw) == {"pairs": {"1": 2, "3": 3}}


@pytest.mark.parametrize(
    ("raw", "partial", "expected"),
    [
        ({"match-1": ["1"], "match-2": ["2"], "match-3": ["3"], "match-4": ["4"]}, False, ONE),
        ({"match-1": ["1"], "match-2": ["2"], "match-3": ["3"]}, False, ZERO),
        ({"match-1": ["1"], "match-2": ["2"], "match-3": ["4"], "match-4": ["3"]}, False, ZERO),
        ({"match-1": ["1"], "match-2": ["2"], "match-3": ["4"], "match-4": ["3"]}, True, Decimal("0.5")),
        ({"match-1": ["1"], "match-2": ["2"], "match-3": ["3"]}, True, Decimal("0.75")),
        ({"match-1": ["2"], "match-2": ["1"]}, True, ZERO),
    ],
)
def test_matching_counts_right_pairs_with_partial_credit(raw, partial, expected):
    assert score(arranged_key(QuestionKind.MATCHING, partial=partial), raw) == expected


# Unanswered questions


@pytest.mark.parametrize(
    ("key", "raw"),
    [
        (single_key(1), {}),
        (single_key(1), {"choice": [""]}),
        (multiple_key(1, 2), {"choices": []}),
        (numeric_key("0"), {"value": ["  "]}),
        (text_key("x"), {"text": [""]}),
        (arranged_key(QuestionKind.ORDERING), {}),
        (arranged_key(QuestionKind.MATCHING), {"match-1": [""], "match-2": []}),
        (single_key(1), {"choices": ["1"], "text": ["x"]}),
    ],
    ids=["single", "blank-select", "multiple", "numeric", "text", "ordering", "matching", "other-kinds-fields"],
)
def test_an_unanswered_question_is_valid_and_earns_nothing(key, raw):
    assert clean_response(key, raw) == {}
    assert grade(key, {}) == ZERO


def test_an_empty_correct_set_is_not_earned_by_leaving_the_question_unanswered():
    assert score(multiple_key(), {}) == ZERO


# Tampered input


@pytest.mark.parametrize(
    ("key", "raw"),
    [
        pytest.param(single_key(1), {"choice": ["9"]}, id="single-unknown-id"),
        pytest.param(single_key(1), {"choice": ["one"]}, id="single-non-integer"),
        pytest.param(single_key(1), {"choice": ["-1"]}, id="single-negative"),
        pytest.param(single_key(1), {"choice": ["01"]}, id="single-leading-zero"),
        pytest.param(single_key(1), {"choice": ["۱"]}, id="single-persian-digit"),
        pytest.param(single_key(1), {"choice": ["1" * 5000]}, id="single-huge-number"),
        pytest.param(single_key(1), {"choice": ["1", "2"]}, id="single-several-values"),
        pytest.param(multiple_key(1, 2), {"choices": ["1", "9"]}, id="multiple-unknown-id"),
        pytest.param(multiple_key(1, 2), {"choices": ["1", "x"]}, id="multiple-non-integer"),
        pytest.param(multiple_key(1, 2), {"choices": ["1", "1"]}, id="multiple-duplicate"),
        pytest.param(numeric_key("1"), {"value": ["1", "2"]}, id="numeric-several-values"),
        pytest.param(numeric_key("1"), {"value": ["1" * 501]}, id="numeric-too-long"),
        pytest.param(text_key("a"), {"text": ["a", "b"]}, id="text-several-values"),
        pytest.param(text_key("a"), {"text": ["a" * 501]}, id="text-too-long"),
        pytest.param(
            arranged_key(QuestionKind.ORDERING), {"order": ["3", "1", "2", "4", "1"]}, id="ordering-too-many-positions"
        ),
        pytest.param(arranged_key(QuestionKind.ORDERING), {"order": ["3", "1", "2", "9"]}, id="ordering-unknown-id"),
        pytest.param(arranged_key(QuestionKind.ORDERING), {"order": ["3", "1", "2", "4", "5"]}, id="ordering-extra-id"),
        pytest.param(arranged_key(QuestionKind.MATCHING), {"match-9": ["1"]}, id="matching-unknown-left"),
        pytest.param(arranged_key(QuestionKind.MATCHING), {"match-9": [""]}, id="matching-unknown-blank-left"),
        pytest.param(arranged_key(QuestionKind.MATCHING), {"match-x": ["1"]}, id="matching-non-integer-left"),
        pytest.param(arranged_key(QuestionKind.MATCHING), {"match-1": ["9"]}, id="matching-unknown-right"),
        pytest.param(arranged_key(QuestionKind.MATCHING), {"match-1": ["1", "2"]}, id="matching-several-rights"),
    ],
)
def test_tampered_input_is_rejected(key, raw):
    with pytest.raises(InvalidResponse):
        clean_response(key, raw)


def test_text_of_exactly_the_maximum_length_is_accepted():
    assert clean_response(text_key("a"), {"text": ["a" * 500]}) == {"text": "a" * 500}


# Properties

CHOICE_KINDS = [kind for kind in QuestionKind if kind not in (QuestionKind.NUMERIC, QuestionKind.SHORT_TEXT)]
choice_ids = st.lists(st.integers(min_value=1, max_value=10**6), min_size=1, max_size=8, unique=True)


@st.composite
def choice_keys(draw: st.DrawFn, kind: QuestionKind, *, min_correct: int = 0) -> AnswerKey:
    ids = draw(choice_ids)
    one_correct = kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE)
    correct = draw(st.sets(st.sampled_from(ids), min_size=min_correct, max_size=1 if one_correct else None))
    choices = tuple(ChoiceKey(id=choice_id, correct=choice_id in correct) for choice_id in ids)
    return AnswerKey(kind=kind, choices=choices, partial_credit=draw(st.booleans()))


def ids_of(key: AnswerKey, *, correct_only: bool = False) -> list[str]:
    return [str(choice.id) for choice in key.choices if choice.correct or not correct_only]


@st.composite
def correctly_answered_choice_keys(draw: st.DrawFn) -> tuple[AnswerKey, dict[str, list[str]]]:
    kind = draw(st.sampled_from(CHOICE_KINDS))
    key = draw(choice_keys(kind, min_correct=1))
    if kind in (QuestionKind.SINGLE, QuestionKind.TRUE_FALSE):
        return key, {"choice": ids_of(key, correct_only=True)}
    if kind is QuestionKind.MULTIPLE:
        return key, {"choices": draw(st.permutations(ids_of(key, correct_only=True)))}
    if kind is QuestionKind.ORDERING:
        return key, {"order": ids_of(key)}
    return key, {f"match-{choice_id}": [choice_id] for choice_id in ids_of(key)}


@st.composite
def correctly_answered_numeric_keys(draw: st.DrawFn) -> tuple[AnswerKey, dict[str, list[str]]]:
    answer = draw(st.decimals(min_value=-(10**9), max_value=10**9, places=4))
    tolerance = draw(st.decimals(min_value=0, max_value=10, places=2))
    offset = draw(st.decimals(min_value=-tolerance, max_value=tolerance, places=2))
    key = AnswerKey(kind=QuestionKind.NUMERIC, numeric_answer=answer, tolerance=tolerance)
    return key, {"value": [format(answer + offset, "f")]}


@st.composite
def correctly_answered_text_keys(draw: st.DrawFn) -> tuple[AnswerKey, dict[str, list[str]]]:
    normalized = draw(st.booleans())
    canonical = normalize_answer if normalized else str.strip
    answer = st.text(min_size=1, max_size=40).filter(lambda text: canonical(text))
    accepted = tuple(draw(st.lists(answer, min_size=1, max_size=3)))
    key = AnswerKey(kind=QuestionKind.SHORT_TEXT, accepted_answers=accepted, normalized_match=normalized)
    return key, {"text": [draw(st.sampled_from(accepted))]}


correctly_answered_keys = st.one_of(
    correctly_answered_choice_keys(), correctly_answered_numeric_keys(), correctly_answered_text_keys()
)


@given(correctly_answered_keys)
def test_the_correct_answers_always_earn_full_credit(case):
    key, raw = case
    assert score(key, raw) == ONE


def honest_forms(key: AnswerKey) -> st.SearchStrategy[dict[str, list[str]]]:
    """Anything a learner could submit with the real form, right or wrong, for this key."""
    ids = ids_of(key)
    match key.kind:
        case QuestionKind.SINGLE | QuestionKind.TRUE_FALSE:
            return st.fixed_dictionaries({"choice": st.lists(st.sampled_from(ids), max_size=1)})
        case QuestionKind.MULTIPLE:
            return st.fixed_dictionaries({"choices": st.lists(st.sampled_from(ids), unique=True)})
        case QuestionKind.ORDERING:
            return st.fixed_dictionaries({"order": st.permutations(ids)})
        case QuestionKind.MATCHING:
            rights = st.permutations([*ids, *[""] * len(ids)])
            return rights.map(lambda right: {f"match-{left}": [right[i]] for i, left in enumerate(ids)})
        case QuestionKind.NUMERIC:
            number = st.decimals(min_value=-(10**12), max_value=10**12, places=6).map(lambda value: format(value, "f"))
            return st.fixed_dictionaries({"value": st.lists(st.one_of(number, st.text()), max_size=1)})
        case QuestionKind.SHORT_TEXT:
            text = st.one_of(st.sampled_from(key.accepted_answers), st.text(max_size=MAX_TEXT_LENGTH))
            return st.fixed_dictionaries({"text": st.lists(text, max_size=1)})


@given(correctly_answered_keys, st.data())
def test_every_honest_response_is_accepted_and_earns_between_nothing_and_full_credit(case, data):
    key, _ = case
    response = clean_response(key, data.draw(honest_forms(key)))
    assert ZERO <= grade(key, response) <= ONE


@given(choice_keys(QuestionKind.MULTIPLE), st.data())
def test_the_order_of_multiple_choice_picks_does_not_matter(key, data):
    picked = data.draw(st.lists(st.sampled_from(ids_of(key)), unique=True))
    shuffled = data.draw(st.permutations(picked))
    assert score(key, {"choices": shuffled}) == score(key, {"choices": picked})


def test_an_ordering_with_a_blank_or_repeated_position_is_graded_by_position():
    key = replace(arranged_key(QuestionKind.ORDERING), partial_credit=True)
    correct = [str(choice.id) for choice in key.choices]
    blank = clean_response(key, {"order": [correct[0], "", *correct[2:]]})
    assert blank["order"][1] is None
    assert grade(key, blank) == Decimal(len(correct) - 1) / len(correct)
    repeated = clean_response(key, {"order": [correct[0], correct[0], *correct[2:]]})
    assert grade(key, repeated) == Decimal(len(correct) - 1) / len(correct)


def test_a_right_hand_text_picked_twice_is_an_honest_partly_right_matching():
    key = replace(arranged_key(QuestionKind.MATCHING), partial_credit=True)
    first, second, *_rest = [choice.id for choice in key.choices]
    response = clean_response(key, {f"match-{first}": [str(first)], f"match-{second}": [str(first)]})
    assert grade(key, response) == Decimal(1) / len(key.choices)
