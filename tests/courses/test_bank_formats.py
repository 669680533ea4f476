"""Question bank files: CSV and JSON parsing, validation, export and round trips."""

from __future__ import annotations

import ast
import json
import re
from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from courses import bank_formats
from courses.bank_formats import (
    MAX_QUESTIONS,
    BankFormatError,
    ChoiceRecord,
    FormatProblem,
    QuestionRecord,
    dump_csv,
    dump_json,
    parse_csv,
    parse_json,
    parse_json_bank,
    validate_record,
)

ROOT = Path(__file__).resolve().parents[2]
HEADER = "kind,prompt,choices,correct,answer,tolerance,match,points,partial_credit,explanation"
BOM = b"\xef\xbb\xbf"


def csv_file(*rows: str, header: str = HEADER) -> bytes:
    return "\r\n".join([header, *rows]).encode("utf-8")


def json_file(*questions: object, **top: object) -> bytes:
    document = {"format": "abrzad-question-bank", "version": 1, "questions": list(questions), **top}
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


def problems(parse, data: bytes) -> list[tuple[str, str]]:
    with pytest.raises(BankFormatError) as caught:
        parse(data)
    return [(problem.location, problem.message) for problem in caught.value.problems]


def locations(parse, data: bytes) -> list[str]:
    return [location for location, _message in problems(parse, data)]


def true_false(answer: bool, prompt: str = "Is it?") -> QuestionRecord:
    return QuestionRecord(
        "true_false", prompt, choices=(ChoiceRecord("True", correct=answer), ChoiceRecord("False", correct=not answer))
    )


# One question of each kind, as in docs/question-banks.md.
EXAMPLE = [
    QuestionRecord(
        "single",
        "Which protocol encrypts web traffic?",
        explanation="HTTPS adds TLS to HTTP.",
        choices=(ChoiceRecord("HTTP"), ChoiceRecord("HTTPS", correct=True), ChoiceRecord("FTP")),
    ),
    QuestionRecord(
        "multiple",
        "Which of these are cloud service models?",
        points=2,
        partial_credit=True,
        choices=(
            ChoiceRecord("IaaS", correct=True),
            ChoiceRecord("PaaS", correct=True),
            ChoiceRecord("LAN"),
            ChoiceRecord("SaaS", correct=True),
        ),
    ),
    true_false(True, "A VPN encrypts the traffic between two networks."),
    QuestionRecord(
        "numeric", "What is pi, to two decimal places?", numeric_answer=Decimal("3.14"), tolerance=Decimal("0.005")
    ),
    QuestionRecord(
        "short_text",
        "Which command lists the files in a Linux directory?",
        accepted_answers=("ls", "ls -l"),
        normalized_match=False,
    ),
    QuestionRecord(
        "ordering",
        "Put the stages of a deal in order.",
        points=3,
        partial_credit=True,
        choices=tuple(ChoiceRecord(text) for text in ("Lead", "Qualified", "Proposal", "Closed")),
    ),
    QuestionRecord(
        "matching",
        "Match each port to its service.",
        points=3,
        partial_credit=True,
        choices=(ChoiceRecord("22", match="SSH"), ChoiceRecord("80", match="HTTP"), ChoiceRecord("443", match="HTTPS")),
    ),
    QuestionRecord(
        "single",
        "کدام پروتکل ترافیک وب را رمزنگاری می‌کند؟",
        points=2,
        explanation="HTTPS همان HTTP به‌همراه TLS است.",
        choices=(ChoiceRecord("HTTP"), ChoiceRecord("HTTPS", correct=True), ChoiceRecord("FTP")),
    ),
]


def docs_example(language: str) -> bytes:
    text = (ROOT / "docs" / "question-banks.md").read_text(encoding="utf-8")
    (block,) = re.findall(rf"```{language}\n(.*?)```", text, flags=re.DOTALL)
    return block.encode("utf-8")


# --- Each kind in both formats ---------------------------------------------------------


def test_the_documented_csv_example_reads_as_each_kind():
    assert parse_csv(docs_example("csv")) == EXAMPLE


def test_the_documented_json_example_reads_as_each_kind():
    bank = parse_json_bank(docs_example("json"))
    assert list(bank.questions) == EXAMPLE
    assert (bank.name, bank.language) == ("Networking basics", "en")
    assert parse_json(docs_example("json")) == EXAMPLE


@pytest.mark.parametrize("record", EXAMPLE, ids=lambda record: record.kind)
def test_each_kind_round_trips_through_both_formats(record):
    assert validate_record(record) == []
    assert parse_json(dump_json([record])) == [record]
    assert parse_csv(dump_csv([record])) == [record]


def test_csv_export_writes_the_documented_columns():
    lines = dump_csv(EXAMPLE).decode("utf-8-sig").split("\r\n")
    assert lines[0] == HEADER
    assert lines[1:8] == [
        "single,Which protocol encrypts web traffic?,HTTP | HTTPS | FTP,2,,,,1,no,HTTPS adds TLS to HTTP.",
        "multiple,Which of these are cloud service models?,IaaS | PaaS | LAN | SaaS,1|2|4,,,,2,yes,",
        "true_false,A VPN encrypts the traffic between two networks.,,true,,,,1,no,",
        'numeric,"What is pi, to two decimal places?",,,3.14,0.005,,1,no,',
        "short_text,Which command lists the files in a Linux directory?,,,ls | ls -l,,exact,1,no,",
        "ordering,Put the stages of a deal in order.,Lead | Qualified | Proposal | Closed,,,,,3,yes,",
        "matching,Match each port to its service.,22 => SSH | 80 => HTTP | 443 => HTTPS,,,,,3,yes,",
    ]
    assert lines[-1] == ""


def test_json_export_leaves_out_the_keys_a_kind_does_not_use():
    document = json.loads(dump_json(EXAMPLE, bank_name="Networking", language="en"))
    assert {key: document[key] for key in ("format", "version", "name", "language")} == {
        "format": "abrzad-question-bank",
        "version": 1,
        "name": "Networking",
        "language": "en",
    }
    single, _multiple, tf, numeric, short_text, ordering, matching, _persian = document["questions"]
    assert single == {
        "kind": "single",
        "prompt": "Which protocol encrypts web traffic?",
        "explanation": "HTTPS adds TLS to HTTP.",
        "points": 1,
        "partial_credit": False,
        "choices": [
            {"text": "HTTP", "correct": False},
            {"text": "HTTPS", "correct": True},
            {"text": "FTP", "correct": False},
        ],
    }
    assert tf["choices"] == [{"text": "True", "correct": True}, {"text": "False", "correct": False}]
    assert "explanation" not in tf
    assert (numeric["numeric_answer"], numeric["tolerance"]) == ("3.14", "0.005")
    assert "choices" not in numeric and "accepted_answers" not in numeric
    assert short_text["accepted_answers"] == ["ls", "ls -l"] and short_text["normalized_match"] is False
    assert "numeric_answer" not in short_text
    assert ordering["choices"][0] == {"text": "Lead"}
    assert matching["choices"][0] == {"text": "22", "match": "SSH"}


def test_json_accepts_numbers_as_json_numbers_or_text_and_defaults_left_out_keys():
    data = json_file(
        {"kind": "numeric", "prompt": "A", "numeric_answer": 3.5, "tolerance": 0.1, "points": 2},
        {"kind": "numeric", "prompt": "B", "numeric_answer": "-2", "points": "3"},
        {"kind": "numeric", "prompt": "C", "numeric_answer": "۳٫۵", "tolerance": None, "explanation": None},
    )
    assert parse_json(data) == [
        QuestionRecord("numeric", "A", points=2, numeric_answer=Decimal("3.5"), tolerance=Decimal("0.1")),
        QuestionRecord("numeric", "B", points=3, numeric_answer=Decimal(-2)),
        QuestionRecord("numeric", "C", numeric_answer=Decimal("3.5")),
    ]


def test_csv_defaults_and_spellings():
    data = csv_file(
        "Single,  Pick one  ,  a|b  ,2,,,,,,",
        "true-false,Is it?,,FALSE,,,,,0,",
        "short_text,Name it,,,x,,,,YES,",
        "multiple,Pick,a | b | c,1 | 3,,,,,true,",
    )
    assert parse_csv(data) == [
        QuestionRecord("single", "Pick one", choices=(ChoiceRecord("a"), ChoiceRecord("b", correct=True))),
        true_false(False),
        QuestionRecord("short_text", "Name it", accepted_answers=("x",), partial_credit=True),
        QuestionRecord(
            "multiple",
            "Pick",
            partial_credit=True,
            choices=(ChoiceRecord("a", correct=True), ChoiceRecord("b"), ChoiceRecord("c", correct=True)),
        ),
    ]


def test_csv_columns_may_come_in_any_order_and_unused_ones_may_be_left_out():
    data = csv_file("12,numeric,How many?", "7,numeric,And now?", header="answer,kind,prompt")
    assert parse_csv(data) == [
        QuestionRecord("numeric", "How many?", numeric_answer=Decimal(12)),
        QuestionRecord("numeric", "And now?", numeric_answer=Decimal(7)),
    ]


def test_csv_skips_blank_rows_and_reads_semicolons():
    assert parse_csv(b"kind;prompt;correct\r\ntrue_false;Is it?;true\r\n;;\r\n\r\n") == [true_false(True)]


def test_csv_line_breaks_inside_cells_are_kept():
    data = csv_file('single,"Line one\nline two",a | b,1,,,,,,')
    (record,) = parse_csv(data)
    assert record.prompt == "Line one\nline two"


# --- Persian ---------------------------------------------------------------------------


def test_persian_csv_from_excel():
    data = BOM + csv_file(
        "true_false,تهران پایتخت ایران است.,,درست,,,,۲,بله,",
        "true_false,اصفهان پایتخت ایران است.,,نادرست,,,,,خیر,",
        "numeric,نصف هفت چند است؟,,,۳٫۵,۰٫۱,,,,",
        "single,کدام شهر در شمال است؟,رشت | کرمان | یزد,۱,,,,,,",
        "short_text,نام پایتخت؟,,,تهران | طهران,,,,,",
        "matching,جفت کنید,یک => ۱ | دو => ۲,,,,,,,",
    )
    assert parse_csv(data) == [
        replace(true_false(True, "تهران پایتخت ایران است."), points=2, partial_credit=True),
        true_false(False, "اصفهان پایتخت ایران است."),
        QuestionRecord("numeric", "نصف هفت چند است؟", numeric_answer=Decimal("3.5"), tolerance=Decimal("0.1")),
        QuestionRecord(
            "single",
            "کدام شهر در شمال است؟",
            choices=(ChoiceRecord("رشت", correct=True), ChoiceRecord("کرمان"), ChoiceRecord("یزد")),
        ),
        QuestionRecord("short_text", "نام پایتخت؟", accepted_answers=("تهران", "طهران")),
        QuestionRecord("matching", "جفت کنید", choices=(ChoiceRecord("یک", match="۱"), ChoiceRecord("دو", match="۲"))),
    ]


def test_persian_text_round_trips_and_csv_export_starts_with_a_bom_for_excel():
    records = [EXAMPLE[-1], QuestionRecord("short_text", "نام پایتخت؟", accepted_answers=("تهران",))]
    exported = dump_csv(records)
    assert exported.startswith(BOM)
    assert "کدام پروتکل" in exported.decode("utf-8-sig")
    assert parse_csv(exported) == records
    exported_json = dump_json(records, bank_name="شبکه", language="fa")
    assert "شبکه".encode() in exported_json  # written as UTF-8, not \u escapes
    assert parse_json_bank(exported_json).name == "شبکه"
    assert parse_json(exported_json) == records


# --- Encoding and file-level problems --------------------------------------------------


@pytest.mark.parametrize("parse", [parse_csv, parse_json])
def test_invalid_utf8_is_one_problem_for_the_whole_file(parse):
    data = "kind,prompt\r\nsingle,é".encode("cp1252") + b"\xff\xfe"
    ((location, message),) = problems(parse, data)
    assert location == ""
    assert "UTF-8" in message


def test_invalid_utf8_in_windows_1256_persian():
    data = "kind,prompt\r\ntrue_false,سلام".encode("cp1256")
    assert problems(parse_csv, data)[0][0] == ""


@pytest.mark.parametrize("parse", [parse_csv, parse_json])
@pytest.mark.parametrize("data", [b"", b"  \r\n ", BOM, BOM + b"\n"])
def test_an_empty_file_is_a_problem(parse, data):
    assert problems(parse, data) == [("", "The file is empty.")]


def test_a_bom_is_accepted_in_both_formats():
    csv_data = csv_file("true_false,Is it?,,true,,,,,,")
    assert parse_csv(BOM + csv_data) == parse_csv(csv_data) == [true_false(True)]
    json_data = json_file({"kind": "short_text", "prompt": "P", "accepted_answers": ["a"]})
    assert parse_json(BOM + json_data) == parse_json(json_data)


def test_a_file_without_questions_is_a_problem():
    assert problems(parse_csv, HEADER.encode()) == [("", "The file has no questions.")]
    assert problems(parse_csv, csv_file(",,,,,,,,,", "")) == [("", "The file has no questions.")]
    assert problems(parse_json, json_file()) == [("", "The file has no questions.")]


def test_too_many_questions():
    row = "true_false,Is it?,,true,,,,,,"
    assert len(parse_csv(csv_file(*[row] * MAX_QUESTIONS))) == MAX_QUESTIONS
    ((location, message),) = problems(parse_csv, csv_file(*[row] * (MAX_QUESTIONS + 1)))
    assert location == ""
    assert message == "The file has 1001 questions; at most 1000 can be imported at once."

    question = {"kind": "short_text", "prompt": "P", "accepted_answers": ["a"]}
    assert len(parse_json(json_file(*[question] * MAX_QUESTIONS))) == MAX_QUESTIONS
    assert problems(parse_json, json_file(*[question] * (MAX_QUESTIONS + 1))) == [
        ("", "The file has 1001 questions; at most 1000 can be imported at once.")
    ]


# --- CSV problems ----------------------------------------------------------------------


def test_unknown_duplicate_and_missing_csv_columns():
    assert problems(parse_csv, csv_file("single,x", header="kind,prompt,choises")) == [
        (
            "line 1, column choises",
            "Unknown column “choises”. The columns are: kind, prompt, choices, correct, answer, tolerance, match, "
            "points, partial_credit, explanation.",
        )
    ]
    assert locations(parse_csv, csv_file("single,x,y", header="kind,prompt,Prompt")) == ["line 1, column prompt"]
    assert problems(parse_csv, csv_file("x", header="prompt")) == [
        ("line 1", "The header row needs the column “kind”.")
    ]


def test_csv_header_cells_may_be_empty_but_their_cells_must_be_too():
    assert parse_csv(csv_file("true_false,Is it?,true,", "", header="kind,prompt,correct,")) == [true_false(True)]
    assert problems(parse_csv, csv_file("true_false,Is it?,true,,oops", header="kind,prompt,correct")) == [
        ("line 2", "This line has a value in a column that has no name in the header.")
    ]


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (",Prompt,,,,,,,,", [("line 2, column kind", "The question kind is required.")]),
        ("essay,Prompt,,,,,,,,", [("line 2, column kind", "Unknown question kind “essay”.")]),
        ("true_false,,,true,,,,,,", [("line 2, column prompt", "The question text is required.")]),
        (f"true_false,{'x' * 2001},,true,,,,,,", [("line 2, column prompt", "2001 characters; at most 2000")]),
        ("true_false,P,,true,,,,0,,", [("line 2, column points", "from 1 to 100")]),
        ("true_false,P,,true,,,,101,,", [("line 2, column points", "from 1 to 100")]),
        ("true_false,P,,true,,,,1.5,,", [("line 2, column points", "“1.5” is not a whole number.")]),
        ("true_false,P,,true,,,,,maybe,", [("line 2, column partial_credit", "Write “yes” or “no”.")]),
        ("single,P,a,1,,,,,,", [("line 2, column choices", "at least 2 choices; it has 1")]),
        ("single,P,a | b,,,,,,,", [("line 2, column correct", "exactly one choice as correct; 0 are marked")]),
        ("single,P,a | b,1|2,,,,,,", [("line 2, column correct", "exactly one choice as correct; 2 are marked")]),
        ("single,P,a | b,3,,,,,,", [("line 2, column correct", "“3” is not a choice number")]),
        ("single,P,a | b,x,,,,,,", [("line 2, column correct", "“x” is not a choice number")]),
        ("single,P,a |  | b,1,,,,,,", [("line 2, column choices", "Choice 2 is empty.")]),
        (f"single,P,a | {'x' * 501},1,,,,,,", [("line 2, column choices", "Choice 2 has 501 characters")]),
        ("multiple,P,a | b,,,,,,,", [("line 2, column correct", "Mark at least one choice as correct.")]),
        ("multiple,P,,,,,,,,", [("line 2, column choices", "it has 0"), ("line 2, column correct", "at least one")]),
        ("true_false,P,,maybe,,,,,,", [("line 2, column correct", "Write “true” or “false”")]),
        ("true_false,P,,,,,,,,", [("line 2, column correct", "Write “true” or “false”")]),
        ("true_false,P,True | False,true,,,,,,", [("line 2, column choices", "Leave this column empty")]),
        ("numeric,P,,,,,,,,", [("line 2, column answer", "Give the correct number.")]),
        ("numeric,P,,,abc,,,,,", [("line 2, column answer", "“abc” is not a number.")]),
        ("numeric,P,,,NaN,,,,,", [("line 2, column answer", "“NaN” is not a number.")]),
        ("numeric,P,,,3,-0.5,,,,", [("line 2, column tolerance", "The tolerance must not be negative.")]),
        ("numeric,P,,,3,x,,,,", [("line 2, column tolerance", "“x” is not a number.")]),
        ("numeric,P,,,3,,exact,,,", [("line 2, column match", "Leave this column empty for “numeric”")]),
        ("short_text,P,,,,,,,,", [("line 2, column answer", "Give at least one accepted answer.")]),
        ("short_text,P,,,a |  | b,,,,,", [("line 2, column answer", "Accepted answer 2 is empty.")]),
        ("short_text,P,,,a,,fuzzy,,,", [("line 2, column match", "Write “exact” or “normalized”.")]),
        ("short_text,P,,,a,1,,,,", [("line 2, column tolerance", "Leave this column empty for “short_text”")]),
        ("ordering,P,a,,,,,,,", [("line 2, column choices", "at least 2 choices; it has 1")]),
        ("ordering,P,a | b,1|2,,,,,,", [("line 2, column correct", "list the choices in the correct order")]),
        ("matching,P,a => 1 | b,,,,,,,", [("line 2, column choices", "Choice 2 has no match.")]),
        (
            "matching,P,a => 1 | a => 2,,,,,,,",
            [("line 2, column choices", "Choice 2 repeats the left side of choice 1")],
        ),
        (
            "matching,P,a => 1 | b => 1,,,,,,,",
            [("line 2, column choices", "Choice 2 repeats the right side of choice 1")],
        ),
        ("matching,P,a => 1,,,,,,,", [("line 2, column choices", "at least 2 choices; it has 1")]),
        ("matching,P,a => 1 | b => 2,1,,,,,,", [("line 2, column correct", "Leave this column empty for “matching”")]),
        ("single,P\x00,a | b,1,,,,,,", [("line 2, column prompt", "control characters")]),
    ],
)
def test_csv_problems_name_the_line_and_column(row, expected):
    found = problems(parse_csv, csv_file(row))
    assert len(found) == len(expected), found
    for (location, message), (expected_location, fragment) in zip(found, expected, strict=True):
        assert location == expected_location
        assert fragment in message


def test_csv_reports_every_problem_on_every_line():
    data = csv_file(
        "true_false,Fine,,true,,,,,,",
        "single,,a,5,,,,0,,",
        "essay,P,,,,,,,,",
        'true_false,"multi\nline",,true,,,,,,',
        "numeric,P,,,x,,,,,",
    )
    assert locations(parse_csv, data) == [
        "line 3, column correct",
        "line 3, column prompt",
        "line 3, column points",
        "line 3, column choices",
        "line 4, column kind",
        # A line break inside a cell does not start a new line: the next row is line 6.
        "line 6, column answer",
    ]


# --- JSON problems ---------------------------------------------------------------------


def test_bad_json_names_the_line_and_column():
    data = b'{\n  "format": "abrzad-question-bank",\n  "version": 1,,\n}'
    assert problems(parse_json, data) == [("line 3, column 16", "The file is not valid JSON.")]


def test_bad_json_after_a_bom_counts_columns_without_it():
    assert locations(parse_json, BOM + b"{]") == ["line 1, column 2"]


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"[]", ("", "The file must hold a JSON object")),
        (b'{"questions": []}', ("format", "“format” must be “abrzad-question-bank”")),
        (b'{"format": "other", "version": 1, "questions": []}', ("format", "“format” must be")),
        (b'{"format": "abrzad-question-bank", "questions": []}', ("version", "reads version 1")),
        (b'{"format": "abrzad-question-bank", "version": 2, "questions": []}', ("version", "reads version 1")),
        (b'{"format": "abrzad-question-bank", "version": 1}', ("questions", "The list of questions is missing.")),
        (b'{"format": "abrzad-question-bank", "version": 1, "questions": {}}', ("questions", "Expected a list.")),
        (b"[" * 100_000, ("", "The file is not valid JSON.")),
    ],
)
def test_json_file_structure_problems(data, expected):
    (found,) = problems(parse_json, data)
    assert found[0] == expected[0]
    assert expected[1] in found[1]


def test_unknown_and_repeated_json_keys_are_refused():
    data = json_file(
        {
            "kind": "single",
            "prompt": "P",
            "explaination": "typo",
            "choices": [{"text": "a", "correct": True, "corect": True}, {"text": "b"}],
        },
        nmae="typo",
    )
    assert problems(parse_json, data) == [
        ("nmae", "Unknown key “nmae”. The keys are: format, version, name, language, questions."),
        (
            "questions[0].explaination",
            "Unknown key “explaination”. The keys are: kind, prompt, explanation, points, partial_credit, choices, "
            "numeric_answer, tolerance, accepted_answers, normalized_match.",
        ),
        ("questions[0].choices[0].corect", "Unknown key “corect”. The keys are: text, correct, match."),
    ]
    repeated = (
        b'{"format": "abrzad-question-bank", "version": 1, "questions": '
        b'[{"kind": "short_text", "prompt": "A", "prompt": "B", "accepted_answers": ["x"]}]}'
    )
    assert problems(parse_json, repeated) == [("questions[0].prompt", "The key “prompt” appears more than once.")]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("single", [("questions[0]", "Expected a JSON object for the question.")]),
        ({"kind": 1, "prompt": "P"}, [("questions[0].kind", "Expected text.")]),
        ({"kind": "numeric", "prompt": ["P"], "numeric_answer": 1}, [("questions[0].prompt", "Expected text.")]),
        ({"kind": "numeric", "prompt": "P", "numeric_answer": True}, [("questions[0].numeric_answer", "a number")]),
        ({"kind": "numeric", "prompt": "P", "numeric_answer": "x"}, [("questions[0].numeric_answer", "a number")]),
        (
            {"kind": "numeric", "prompt": "P", "numeric_answer": 1, "tolerance": [1]},
            [("questions[0].tolerance", "a number")],
        ),
        (
            {"kind": "numeric", "prompt": "P", "numeric_answer": 1, "points": 1.5},
            [("questions[0].points", "Expected a whole number.")],
        ),
        (
            {"kind": "numeric", "prompt": "P", "numeric_answer": 1, "points": True},
            [("questions[0].points", "Expected a whole number.")],
        ),
        (
            {"kind": "numeric", "prompt": "P", "numeric_answer": 1, "partial_credit": "yes"},
            [("questions[0].partial_credit", "Expected true or false.")],
        ),
        ({"kind": "single", "prompt": "P", "choices": "a|b"}, [("questions[0].choices", "Expected a list.")]),
        (
            {"kind": "single", "prompt": "P", "choices": [{"text": "a", "correct": True}, "b"]},
            [("questions[0].choices[1]", "Expected a JSON object for the choice.")],
        ),
        (
            {"kind": "single", "prompt": "P", "choices": [{"text": "a", "correct": 1}, {"text": "b"}]},
            [("questions[0].choices[0].correct", "Expected true or false.")],
        ),
        (
            {"kind": "short_text", "prompt": "P", "accepted_answers": ["a", 2]},
            [("questions[0].accepted_answers[1]", "Expected text.")],
        ),
        (
            {"kind": "short_text", "prompt": "P", "accepted_answers": ["a"], "normalized_match": "no"},
            [("questions[0].normalized_match", "Expected true or false.")],
        ),
    ],
)
def test_json_wrong_types(question, expected):
    found = problems(parse_json, json_file(question))
    assert [location for location, _message in found] == [location for location, _fragment in expected]
    for (_location, message), (_expected_location, fragment) in zip(found, expected, strict=True):
        assert fragment in message


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ({"kind": "single", "prompt": ""}, ["prompt", "choices", "choices"]),
        (
            {"kind": "single", "prompt": "P", "choices": [{"text": " "}, {"text": "b", "correct": True}]},
            ["choices[0].text"],
        ),
        ({"kind": "essay", "prompt": "P"}, ["kind"]),
        ({"kind": "numeric", "prompt": "P", "numeric_answer": "NaN"}, ["numeric_answer"]),
        ({"kind": "numeric", "prompt": "P", "numeric_answer": 1, "tolerance": -1}, ["tolerance"]),
        ({"kind": "numeric", "prompt": "P", "numeric_answer": 1, "choices": [{"text": "a"}]}, ["choices"]),
        (
            {
                "kind": "single",
                "prompt": "P",
                "numeric_answer": 1,
                "choices": [{"text": "a", "correct": True}, {"text": "b"}],
            },
            ["numeric_answer"],
        ),
        (
            {"kind": "ordering", "prompt": "P", "choices": [{"text": "a", "correct": True}, {"text": "b"}]},
            ["choices[0].correct"],
        ),
        (
            {"kind": "single", "prompt": "P", "choices": [{"text": "a", "correct": True, "match": "x"}, {"text": "b"}]},
            ["choices[0].match"],
        ),
        (
            {"kind": "true_false", "prompt": "P", "choices": [{"text": "False"}, {"text": "True", "correct": True}]},
            ["choices"],
        ),
        (
            {"kind": "matching", "prompt": "P", "choices": [{"text": "a", "match": "1"}, {"text": "b"}]},
            ["choices[1].match"],
        ),
        ({"kind": "short_text", "prompt": "P", "accepted_answers": []}, ["accepted_answers"]),
        (
            {
                "kind": "single",
                "prompt": "P",
                "normalized_match": False,
                "choices": [{"text": "a", "correct": True}, {"text": "b"}],
            },
            ["normalized_match"],
        ),
        ({"kind": "numeric", "prompt": "P", "numeric_answer": 1, "points": 0}, ["points"]),
        ({"kind": "numeric", "prompt": "P", "numeric_answer": 1, "points": 10**12}, ["points"]),
    ],
)
def test_json_validation_problems_have_json_paths(question, expected):
    fine = {"kind": "true_false", "prompt": "Fine", "choices": [{"text": "True"}, {"text": "False", "correct": True}]}
    data = json_file(fine, question)
    assert locations(parse_json, data) == [f"questions[1].{path}" for path in expected]


def test_json_reports_every_problem_in_every_question():
    data = json_file(
        {"kind": "single", "prompt": "", "points": 500, "choices": [{"text": "a"}]},
        {"kind": "numeric", "prompt": "P"},
        {"kind": 3},
    )
    assert locations(parse_json, data) == [
        "questions[0].prompt",
        "questions[0].points",
        "questions[0].choices",
        "questions[0].choices",
        "questions[1].numeric_answer",
        "questions[2].kind",
        "questions[2].prompt",
    ]


# --- Shared validation -----------------------------------------------------------------


def single(*choices: ChoiceRecord, prompt: str = "P", **fields) -> QuestionRecord:
    return QuestionRecord("single", prompt, choices=choices, **fields)


A, B = ChoiceRecord("a", correct=True), ChoiceRecord("b")


@pytest.mark.parametrize(
    ("record", "expected"),
    [
        (QuestionRecord("", "P"), [("kind", "The question kind is required.")]),
        (QuestionRecord("Single", "P"), [("kind", "Unknown question kind “Single”.")]),
        (single(A, B, prompt=""), [("prompt", "The question text is required.")]),
        (single(A, B, prompt="x" * 2001), [("prompt", "2001 characters; at most 2000")]),
        (single(A, B, prompt=" P"), [("prompt", "must not start or end with spaces")]),
        (single(A, B, explanation="E\n"), [("explanation", "must not start or end with spaces")]),
        (single(A, B, explanation="bell\x07"), [("explanation", "control characters")]),
        (single(A, B, prompt="\ud800"), [("prompt", "control characters")]),
        (single(A, B, points=0), [("points", "from 1 to 100")]),
        (single(A, B, points=101), [("points", "from 1 to 100")]),
        (single(A), [("choices", "at least 2 choices; it has 1")]),
        (single(A, ChoiceRecord("")), [("choices[1].text", "Choice 2 is empty.")]),
        (single(A, ChoiceRecord("x" * 501)), [("choices[1].text", "Choice 2 has 501 characters")]),
        (single(A, ChoiceRecord("b ")), [("choices[1].text", "must not start or end")]),
        (single(A, A), [("choices", "exactly one choice as correct; 2 are marked")]),
        (single(B, B), [("choices", "exactly one choice as correct; 0 are marked")]),
        (single(A, ChoiceRecord("b", match="x")), [("choices[1].match", "Only the choices of matching questions")]),
        (QuestionRecord("multiple", "P", choices=(B, B)), [("choices", "Mark at least one choice as correct.")]),
        (QuestionRecord("multiple", "P", choices=(A,)), [("choices", "at least 2 choices")]),
        (
            QuestionRecord("true_false", "P", choices=(A, B)),
            [("choices", "exactly the two choices “True” and “False”")],
        ),
        (
            QuestionRecord("true_false", "P", choices=(ChoiceRecord("True", True), ChoiceRecord("False", True))),
            [("choices", "one of them correct")],
        ),
        (QuestionRecord("true_false", "P"), [("choices", "exactly the two choices")]),
        (QuestionRecord("numeric", "P"), [("numeric_answer", "Give the correct number.")]),
        (QuestionRecord("numeric", "P", numeric_answer=Decimal("Infinity")), [("numeric_answer", "finite number")]),
        (QuestionRecord("numeric", "P", numeric_answer=Decimal("sNaN")), [("numeric_answer", "finite number")]),
        (
            QuestionRecord("numeric", "P", numeric_answer=Decimal(1), tolerance=Decimal("-0.1")),
            [("tolerance", "must not be negative")],
        ),
        (
            QuestionRecord("numeric", "P", numeric_answer=Decimal(1), tolerance=Decimal("NaN")),
            [("tolerance", "must be a finite number")],
        ),
        (
            QuestionRecord("numeric", "P", numeric_answer=Decimal(1), choices=(A, B)),
            [("choices", "Questions of kind “numeric” have no choices.")],
        ),
        (QuestionRecord("short_text", "P"), [("accepted_answers", "Give at least one accepted answer.")]),
        (QuestionRecord("short_text", "P", accepted_answers=("a", "")), [("accepted_answers[1]", "Accepted answer 2")]),
        (
            QuestionRecord("short_text", "P", accepted_answers=("x" * 501,)),
            [("accepted_answers[0]", "501 characters; at most 500")],
        ),
        (single(A, B, numeric_answer=Decimal(1)), [("numeric_answer", "Only numeric questions")]),
        (single(A, B, tolerance=Decimal("0.5")), [("tolerance", "Only numeric questions have a tolerance")]),
        (single(A, B, accepted_answers=("a",)), [("accepted_answers", "Only short-text questions")]),
        (single(A, B, normalized_match=False), [("normalized_match", "Only short-text questions have a match mode")]),
        (QuestionRecord("ordering", "P", choices=(B,)), [("choices", "at least 2 choices")]),
        (
            QuestionRecord("ordering", "P", choices=(A, B)),
            [("choices[0].correct", "not marked correct")],
        ),
        (
            QuestionRecord("matching", "P", choices=(ChoiceRecord("a", match="1"), ChoiceRecord("b"))),
            [("choices[1].match", "Choice 2 has no match.")],
        ),
        (
            QuestionRecord("matching", "P", choices=(ChoiceRecord("a", match="1"), ChoiceRecord("b", match="x" * 501))),
            [("choices[1].match", "The match of choice 2 has 501 characters")],
        ),
        (
            QuestionRecord("matching", "P", choices=(ChoiceRecord("a", match="1"), ChoiceRecord("a", match="2"))),
            [("choices[1].text", "Choice 2 repeats the left side of choice 1.")],
        ),
        (
            QuestionRecord(
                "matching",
                "P",
                choices=(ChoiceRecord("a", match="1"), ChoiceRecord("b", match="2"), ChoiceRecord("c", match="1")),
            ),
            [("choices[2].match", "Choice 3 repeats the right side of choice 1.")],
        ),
    ],
)
def test_validate_record(record, expected):
    found = validate_record(record)
    assert [problem.location for problem in found] == [location for location, _fragment in expected], found
    for problem, (_location, fragment) in zip(found, expected, strict=True):
        assert fragment in problem.message


def test_validate_record_accepts_the_limits():
    assert validate_record(single(A, ChoiceRecord("x" * 500), prompt="x" * 2000, points=100)) == []
    assert validate_record(single(A, B, points=1, partial_credit=True, explanation="Tab\there")) == []


# --- Export ----------------------------------------------------------------------------


def test_export_refuses_invalid_records_and_says_where():
    records = [EXAMPLE[0], single(A), QuestionRecord("numeric", "P")]
    with pytest.raises(BankFormatError) as caught:
        dump_csv(records)
    assert caught.value.problems == [
        FormatProblem("line 3, column choices", "This question needs at least 2 choices; it has 1."),
        FormatProblem("line 4, column answer", "Give the correct number."),
    ]
    with pytest.raises(BankFormatError) as caught:
        dump_json(records)
    assert [problem.location for problem in caught.value.problems] == [
        "questions[1].choices",
        "questions[2].numeric_answer",
    ]


def test_export_of_no_records_is_a_header_only_or_empty_list():
    assert dump_csv([]) == BOM + (HEADER + "\r\n").encode()
    assert json.loads(dump_json([]))["questions"] == []


def test_bars_in_texts_are_escaped_in_csv():
    record = QuestionRecord(
        "matching",
        "Pipes | and arrows => everywhere",
        choices=(ChoiceRecord("a|b", match="x => y"), ChoiceRecord("C:\\Temp\\", match="c \\| d")),
    )
    exported = dump_csv([record]).decode("utf-8-sig")
    assert "a\\|b => x \\=> y | C:\\Temp\\ => c \\\\| d" in exported
    assert "Pipes | and arrows => everywhere" in exported  # only list cells are escaped
    assert parse_csv(dump_csv([record])) == [record]
    answers = QuestionRecord("short_text", "P", accepted_answers=("x|y", "z"))
    assert "x\\|y | z" in dump_csv([answers]).decode("utf-8-sig")
    assert parse_csv(dump_csv([answers])) == [answers]


# --- Formula injection -----------------------------------------------------------------


def test_csv_export_neutralizes_formulas_and_import_restores_them():
    record = QuestionRecord(
        "single",
        '=HYPERLINK("http://evil.example", "click")',
        explanation="@SUM(A1)",
        choices=(ChoiceRecord("+1", correct=True), ChoiceRecord("-cmd|' /C calc'!A0")),
    )
    short = QuestionRecord("short_text", "'=already quoted", accepted_answers=("-x", "'plain"))
    exported = dump_csv([record, short]).decode("utf-8-sig")
    rows = exported.split("\r\n")
    assert rows[1].startswith("single,\"'=HYPERLINK(")
    assert "'+1 | -cmd\\|' /C calc'!A0" in rows[1]
    assert rows[1].endswith(",'@SUM(A1)")
    assert rows[2] == "short_text,''=already quoted,,,'-x | 'plain,,normalized,1,no,"
    assert parse_csv(exported.encode()) == [record, short]


def test_plain_numbers_are_not_neutralized():
    record = QuestionRecord("numeric", "-", numeric_answer=Decimal("-3.5"), tolerance=Decimal("1E+1"))
    row = dump_csv([record]).decode("utf-8-sig").split("\r\n")[1]
    assert row == "numeric,'-,,,-3.5,1E+1,,1,no,"
    assert parse_csv(dump_csv([record])) == [record]


def test_import_strips_only_an_apostrophe_before_a_formula_character():
    data = csv_file("short_text,'=1+1,,,'abc | it's,,,,,'-note")
    assert parse_csv(data) == [
        QuestionRecord("short_text", "=1+1", accepted_answers=("'abc", "it's"), explanation="-note")
    ]


# --- Translations and boundaries -------------------------------------------------------


def test_messages_and_locations_go_through_gettext(monkeypatch):
    monkeypatch.setattr(bank_formats, "_", lambda message: f"«{message}»")
    ((location, message),) = problems(parse_csv, csv_file("true_false,,,true,,,,,,"))
    assert location == "«line 2, column prompt»"
    assert message == "«The question text is required.»"
    ((location, message),) = problems(parse_json, b"{")
    assert message.startswith("«") and location.startswith("«line 1")


def test_the_module_imports_only_translation_from_django():
    tree = ast.parse((ROOT / "courses" / "bank_formats.py").read_text(encoding="utf-8"))
    imported = {
        node.module if isinstance(node, ast.ImportFrom) else alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import | ast.ImportFrom)
        for alias in node.names
    }
    assert {name for name in imported if name.startswith("django")} == {"django.utils.translation"}
    assert not any(name.startswith(("lms", "courses.models")) for name in imported)


# --- Round trips -----------------------------------------------------------------------

# Characters that matter to the formats: separators, escapes, quotes, formula starts,
# line breaks and Persian text with its digits and zero-width non-joiner.
SPECIAL = [*"|=>\\'\"+-@,;\t\n\r ", "=>", "\\|", " | ", "\r\n", "ب", "پ", "۳", "٫", "\u200c", "ي"]
characters = st.one_of(st.characters(exclude_categories=("Cs", "Cc")), st.sampled_from(SPECIAL))


def texts(max_size: int = 20) -> st.SearchStrategy[str]:
    return st.lists(characters, min_size=1, max_size=max_size).map("".join).map(str.strip).filter(bool)


def choice_texts(min_size: int = 2, *, unique: bool = False) -> st.SearchStrategy[list[str]]:
    return st.lists(texts(), min_size=min_size, max_size=6, unique=unique)


finite_decimals = st.decimals(min_value=-(10**12) + 1, max_value=10**12 - 1, places=6)

single_choices = choice_texts().flatmap(
    lambda items: st.integers(0, len(items) - 1).map(
        lambda right: tuple(ChoiceRecord(text, correct=index == right) for index, text in enumerate(items))
    )
)
multiple_choices = (
    st.lists(st.tuples(texts(), st.booleans()), min_size=2, max_size=6)
    .filter(lambda items: any(correct for _text, correct in items))
    .map(lambda items: tuple(ChoiceRecord(text, correct=correct) for text, correct in items))
)
matching_choices = st.integers(2, 5).flatmap(
    lambda size: st.tuples(
        st.lists(texts(), min_size=size, max_size=size, unique=True),
        st.lists(texts(), min_size=size, max_size=size, unique=True),
    ).map(lambda sides: tuple(ChoiceRecord(left, match=right) for left, right in zip(*sides, strict=True)))
)
kind_fields = st.one_of(
    st.fixed_dictionaries({"kind": st.just("single"), "choices": single_choices}),
    st.fixed_dictionaries({"kind": st.just("multiple"), "choices": multiple_choices}),
    st.booleans().map(lambda answer: {"kind": "true_false", "choices": true_false(answer).choices}),
    st.fixed_dictionaries(
        {"kind": st.just("numeric"), "numeric_answer": finite_decimals, "tolerance": finite_decimals.map(abs)}
    ),
    st.fixed_dictionaries(
        {
            "kind": st.just("short_text"),
            "accepted_answers": st.lists(texts(), min_size=1, max_size=4).map(tuple),
            "normalized_match": st.booleans(),
        }
    ),
    st.fixed_dictionaries(
        {"kind": st.just("ordering"), "choices": choice_texts().map(lambda items: tuple(map(ChoiceRecord, items)))}
    ),
    st.fixed_dictionaries({"kind": st.just("matching"), "choices": matching_choices}),
)
records = st.builds(
    lambda fields, prompt, explanation, points, partial_credit: QuestionRecord(
        prompt=prompt, explanation=explanation, points=points, partial_credit=partial_credit, **fields
    ),
    kind_fields,
    texts(60),
    st.one_of(st.just(""), texts(60)),
    st.integers(1, 100),
    st.booleans(),
)
banks = st.lists(records, min_size=1, max_size=5)


@given(banks)
@settings(max_examples=300)
def test_json_round_trip(bank):
    assert all(validate_record(record) == [] for record in bank)
    assert parse_json(dump_json(bank, bank_name="B", language="fa")) == bank


@given(banks)
@settings(max_examples=300)
def test_csv_round_trip(bank):
    assert all(validate_record(record) == [] for record in bank)
    assert parse_csv(dump_csv(bank)) == bank


@given(banks)
def test_csv_and_json_agree(bank):
    assert parse_csv(dump_csv(parse_json(dump_json(bank)))) == bank


@given(st.binary(max_size=200))
def test_any_bytes_parse_or_raise_bank_format_error(data):
    for parse in (parse_csv, parse_json):
        try:
            result = parse(data)
        except BankFormatError as error:
            assert error.problems
        else:
            assert all(validate_record(record) == [] for record in result)


@given(st.text(alphabet=st.sampled_from(list("kind,prompt\r\n\"'|=>;\\ single true_false 1 a b")), max_size=120))
def test_csv_like_text_parses_or_raises_bank_format_error(text):
    try:
        result = parse_csv(text.encode())
    except BankFormatError as error:
        assert error.problems
    else:
        assert all(validate_record(record) == [] for record in result)
