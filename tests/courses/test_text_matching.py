"""Persian-aware comparison of typed answers (no database)."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from courses.text_matching import answers_match, normalize_answer, parse_number


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        pytest.param("علي", "علی", id="arabic-yeh"),
        pytest.param("موسى", "موسی", id="alef-maksura"),
        pytest.param("كتاب", "کتاب", id="arabic-kaf"),
        pytest.param("مدرسة", "مدرسه", id="teh-marbuta"),
        pytest.param("خانۀ", "خانه", id="heh-with-yeh"),
        pytest.param("أحمد إبراهيم ٱلله", "احمد ابراهیم الله", id="alef-with-hamza-and-wasla"),
        pytest.param("آب", "اب", id="alef-madda"),
        pytest.param("مؤمن", "مومن", id="waw-with-hamza"),
        pytest.param("مسئله", "مسیله", id="yeh-with-hamza"),
        pytest.param("ﻛﺘﺎﺏ", "کتاب", id="presentation-forms"),
        pytest.param("کـــتـاب", "کتاب", id="tatweel"),
        pytest.param("كِتَابٌ", "کتاب", id="harakat"),
        pytest.param("رحمٰن", "رحمن", id="superscript-alef"),
        pytest.param("۱۲۳", "123", id="persian-digits"),
        pytest.param("٤٥٦", "456", id="arabic-indic-digits"),
        pytest.param("می\u200cروم", "می روم", id="zwnj-is-a-space"),
        pytest.param("می\u200c\u200cروم", "می روم", id="repeated-zwnj"),
        pytest.param("\u200fپاسخ\u200b\ufeff", "پاسخ", id="zero-width-and-bidi-marks"),
        pytest.param("  سلام \t\n  دنیا  ", "سلام دنیا", id="whitespace-collapsed"),
        pytest.param("«تهران»", "تهران", id="guillemets"),
        pytest.param("تهران.", "تهران", id="trailing-full-stop"),
        pytest.param("چرا؟!", "چرا", id="persian-question-mark"),
        pytest.param("بله،", "بله", id="persian-comma"),
        pytest.param("الف؛", "الف", id="persian-semicolon"),
        pytest.param('"Paris!"', "paris", id="latin-quotes-and-case"),
        pytest.param("« Paris »", "paris", id="space-inside-quotes"),
        pytest.param("Straße", "strasse", id="casefold"),
        pytest.param("ｐａｒｉｓ", "paris", id="fullwidth-latin"),
        pytest.param("a.b", "a.b", id="inner-punctuation-kept"),
        pytest.param("?!.", "", id="punctuation-only"),
    ],
)
def test_normalize_answer_folds_spelling_variants(typed, expected):
    assert normalize_answer(typed) == expected


def test_normalize_answer_keeps_words_apart():
    assert normalize_answer("میروم") != normalize_answer("می روم")


@given(st.text())
def test_normalize_answer_is_idempotent(text):
    once = normalize_answer(text)
    assert normalize_answer(once) == once


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        pytest.param("42", Decimal(42), id="ascii"),
        pytest.param("۴۲", Decimal(42), id="persian"),
        pytest.param("٤٢", Decimal(42), id="arabic-indic"),
        pytest.param("۴2", Decimal(42), id="mixed-digits"),
        pytest.param("-3.5", Decimal("-3.5"), id="minus"),
        pytest.param("\u22123.5", Decimal("-3.5"), id="unicode-minus"),
        pytest.param("+7", Decimal(7), id="plus"),
        pytest.param("۳٫۱۴", Decimal("3.14"), id="persian-decimal-separator"),
        pytest.param("1,234,567.5", Decimal("1234567.5"), id="thousands"),
        pytest.param("۱٬۲۳۴", Decimal(1234), id="persian-thousands"),
        pytest.param(".5", Decimal("0.5"), id="leading-point"),
        pytest.param("5.", Decimal(5), id="trailing-point"),
        pytest.param("  12  ", Decimal(12), id="surrounding-space"),
        pytest.param("\u200f۱۲", Decimal(12), id="bidi-mark"),
        pytest.param("0.1", Decimal("0.1"), id="exact-decimal"),
    ],
)
def test_parse_number_reads_numbers_in_any_digits(typed, expected):
    assert parse_number(typed) == expected


@pytest.mark.parametrize(
    "typed",
    ["", " ", "abc", "-", ".", "1.2.3", "1,5", "12,34", ",123", "1e3", "NaN", "Infinity", "1 000", "- 5", "--5", "5%"],
)
def test_parse_number_gives_none_for_anything_else(typed):
    assert parse_number(typed) is None


@given(st.text())
def test_parse_number_never_raises(text):
    assert parse_number(text) is None or isinstance(parse_number(text), Decimal)


def test_exact_matching_only_ignores_surrounding_space():
    assert answers_match("  Tehran ", ["Tehran"], normalized=False)
    assert not answers_match("tehran", ["Tehran"], normalized=False)
    assert not answers_match("علي", ["علی"], normalized=False)


def test_normalized_matching_ignores_spelling_variants():
    assert answers_match("«علي»", ["علی"], normalized=True)
    assert answers_match("۱۲۳", ["123"], normalized=True)
    assert answers_match("TEHRAN.", ["tehran"], normalized=True)


def test_any_accepted_answer_will_do():
    assert answers_match("تهران", ["Tehran", "تهران"], normalized=True)
    assert not answers_match("شیراز", ["Tehran", "تهران"], normalized=True)


def test_nothing_matches_when_no_answer_is_accepted():
    assert not answers_match("تهران", [], normalized=True)


@pytest.mark.parametrize("normalized", [True, False])
def test_a_blank_answer_never_matches(normalized):
    assert not answers_match("  ", ["", " "], normalized=normalized)
    assert not answers_match("؟", ["?"], normalized=True)
