"""Importing and exporting question banks through the service, into and out of the database."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from courses.bank_formats import BankFormatError
from courses.models import Question, QuestionBank, QuestionChoice
from courses.services.question_banks import export_questions, import_questions, question_records
from tests.courses import builders

pytestmark = pytest.mark.django_db

# The examples of docs/question-banks.md, one question of each kind and one in Persian.
DOCS_CSV = """\
kind,prompt,choices,correct,answer,tolerance,match,points,partial_credit,explanation
single,Which protocol encrypts web traffic?,HTTP | HTTPS | FTP,2,,,,1,no,HTTPS adds TLS to HTTP.
multiple,Which of these are cloud service models?,IaaS | PaaS | LAN | SaaS,1|2|4,,,,2,yes,
true_false,A VPN encrypts the traffic between two networks.,,true,,,,1,no,
numeric,"What is pi, to two decimal places?",,,3.14,0.005,,1,no,
short_text,Which command lists the files in a Linux directory?,,,ls | ls -l,,exact,1,no,
ordering,Put the stages of a deal in order.,Lead | Qualified | Proposal | Closed,,,,,3,yes,
matching,Match each port to its service.,22 => SSH | 80 => HTTP | 443 => HTTPS,,,,,3,yes,
single,کدام پروتکل ترافیک وب را رمزنگاری می‌کند؟,HTTP | HTTPS | FTP,2,,,,۲,no,HTTPS همان HTTP به‌همراه TLS است.
"""

DOCS_JSON = """\
{
  "format": "abrzad-question-bank",
  "version": 1,
  "name": "Networking basics",
  "language": "en",
  "questions": [
    {"kind": "single", "prompt": "Which protocol encrypts web traffic?", "explanation": "HTTPS adds TLS to HTTP.",
     "choices": [{"text": "HTTP"}, {"text": "HTTPS", "correct": true}, {"text": "FTP"}]},
    {"kind": "multiple", "prompt": "Which of these are cloud service models?", "points": 2, "partial_credit": true,
     "choices": [{"text": "IaaS", "correct": true}, {"text": "PaaS", "correct": true}, {"text": "LAN"},
                 {"text": "SaaS", "correct": true}]},
    {"kind": "true_false", "prompt": "A VPN encrypts the traffic between two networks.",
     "choices": [{"text": "True", "correct": true}, {"text": "False", "correct": false}]},
    {"kind": "numeric", "prompt": "What is pi, to two decimal places?", "numeric_answer": "3.14", "tolerance": "0.005"},
    {"kind": "short_text", "prompt": "Which command lists the files in a Linux directory?",
     "accepted_answers": ["ls", "ls -l"], "normalized_match": false},
    {"kind": "ordering", "prompt": "Put the stages of a deal in order.", "points": 3, "partial_credit": true,
     "choices": [{"text": "Lead"}, {"text": "Qualified"}, {"text": "Proposal"}, {"text": "Closed"}]},
    {"kind": "matching", "prompt": "Match each port to its service.", "points": 3, "partial_credit": true,
     "choices": [{"text": "22", "match": "SSH"}, {"text": "80", "match": "HTTP"}, {"text": "443", "match": "HTTPS"}]},
    {"kind": "single", "prompt": "کدام پروتکل ترافیک وب را رمزنگاری می‌کند؟", "points": 2,
     "explanation": "HTTPS همان HTTP به‌همراه TLS است.",
     "choices": [{"text": "HTTP"}, {"text": "HTTPS", "correct": true}, {"text": "FTP"}]}
  ]
}
"""


# Helpers ----------------------------------------------------------------------------------


@pytest.fixture
def bank():
    return QuestionBank.objects.create(name="Networking basics", language="en")


def stored(bank: QuestionBank) -> list[Question]:
    return list(bank.questions.prefetch_related("choices").order_by("pk"))


def choices(question: Question) -> list[tuple[str, bool, str]]:
    return [(choice.text, choice.correct, choice.match) for choice in question.choices.all()]


def question(bank, kind: str, prompt: str, choice_rows=(), **fields) -> Question:
    created = Question.objects.create(bank=bank, kind=kind, prompt=prompt, **fields)
    QuestionChoice.objects.bulk_create(
        QuestionChoice(question=created, sort_order=order, **row) for order, row in enumerate(choice_rows)
    )
    return created


def every_kind_bank() -> QuestionBank:
    """Every kind from the builders, and the texts that are hardest to carry through a file."""
    bank = builders.question_bank(name="Every kind", size=7)
    question(
        bank,
        "single",
        "=SUM(A1:A3) – which | is it?",
        [{"text": "A | B", "correct": True}, {"text": "-3"}, {"text": "@home"}],
        explanation='Line one.\nLine two, with a comma, and "quotes".',
        points=5,
    )
    question(
        bank,
        "multiple",
        "کدام‌ها درست هستند؟",
        [{"text": "یک", "correct": True}, {"text": "دو"}, {"text": "سه", "correct": True}],
        points=100,
        partial_credit=False,
    )
    question(bank, "true_false", "Is it false?", [{"text": "True"}, {"text": "False", "correct": True}])
    question(bank, "numeric", "Below zero?", numeric_answer=Decimal("-3.5"))
    question(bank, "numeric", "A hundred?", numeric_answer=Decimal("100"), tolerance=Decimal("0.000001"))
    question(bank, "short_text", "Which pipe?", accepted_answers=["a | b", "C:\\Temp"], normalized_match=False)
    question(
        bank,
        "ordering",
        "In order",
        [{"text": "+1"}, {"text": "Second"}, {"text": "Third"}, {"text": "Fourth"}],
        partial_credit=True,
    )
    question(
        bank,
        "matching",
        "Match the arrows",
        [{"text": "a => b", "match": "arrow"}, {"text": "TLS", "match": "x | y"}],
        partial_credit=True,
    )
    return bank


# Importing ----------------------------------------------------------------------------------


def test_importing_csv_creates_questions_with_their_choices(bank):
    count = import_questions(bank=bank, data=DOCS_CSV.encode(), file_format="csv")

    assert count.added == 8
    single, multiple, true_false, numeric, short_text, ordering, matching, persian = stored(bank)
    assert (single.kind, single.prompt, single.explanation) == (
        "single",
        "Which protocol encrypts web traffic?",
        "HTTPS adds TLS to HTTP.",
    )
    assert choices(single) == [("HTTP", False, ""), ("HTTPS", True, ""), ("FTP", False, "")]
    assert (multiple.points, multiple.partial_credit) == (2, True)
    assert [correct for _text, correct, _match in choices(multiple)] == [True, True, False, True]
    assert choices(true_false) == [("True", True, ""), ("False", False, "")]
    assert (numeric.numeric_answer, numeric.tolerance) == (Decimal("3.14"), Decimal("0.005"))
    assert choices(numeric) == []
    assert (short_text.accepted_answers, short_text.normalized_match) == (["ls", "ls -l"], False)
    assert [text for text, _correct, _match in choices(ordering)] == ["Lead", "Qualified", "Proposal", "Closed"]
    assert list(ordering.choices.values_list("sort_order", flat=True)) == [0, 1, 2, 3]
    assert choices(matching) == [("22", False, "SSH"), ("80", False, "HTTP"), ("443", False, "HTTPS")]
    assert (persian.points, persian.explanation) == (2, "HTTPS همان HTTP به‌همراه TLS است.")
    assert all(question.is_active for question in stored(bank))


def test_importing_json_creates_the_same_questions_as_the_csv(bank):
    other = QuestionBank.objects.create(name="From CSV", language="en")
    import_questions(bank=other, data=DOCS_CSV.encode(), file_format="csv")

    count = import_questions(bank=bank, data=DOCS_JSON.encode(), file_format="json")

    assert count.added == 8
    assert question_records(bank) == question_records(other)


def test_importing_adds_to_the_questions_already_in_the_bank(bank):
    existing = builders.single(bank, "Already here")

    import_questions(bank=bank, data=DOCS_JSON.encode(), file_format="json")

    assert bank.questions.count() == 9
    assert stored(bank)[0].pk == existing.pk


def test_an_excel_csv_with_a_byte_order_mark_and_semicolons_imports(bank):
    data = "\ufeffkind;prompt;correct\ntrue_false;Is the sky blue?;درست\n".encode()

    assert import_questions(bank=bank, data=data, file_format="csv").added == 1
    assert choices(stored(bank)[0]) == [("True", True, ""), ("False", False, "")]


def test_a_csv_with_one_bad_row_imports_nothing_and_names_the_problem(bank):
    builders.single(bank, "Already here")
    lines = DOCS_CSV.splitlines()
    lines.insert(3, "single,Which one?,A | B | C,4,,,,1,no,")  # line 4: there is no choice 4
    data = ("\n".join(lines) + "\n").encode()

    with pytest.raises(BankFormatError) as caught:
        import_questions(bank=bank, data=data, file_format="csv")

    assert [problem.location for problem in caught.value.problems] == ["line 4, column correct"]
    assert "4" in caught.value.problems[0].message
    assert list(bank.questions.values_list("prompt", flat=True)) == ["Already here"]
    assert QuestionChoice.objects.filter(question__bank=bank).count() == 3


def test_a_csv_with_several_bad_rows_lists_every_problem(bank):
    data = (
        b"kind,prompt,choices,correct,points\n"
        b"single,Fine,A | B,1,1\n"
        b"essay,What do you think?,,,1\n"
        b"multiple,,A | B,,1\n"
        b"single,Too many points,A | B,1,101\n"
    )

    with pytest.raises(BankFormatError) as caught:
        import_questions(bank=bank, data=data, file_format="csv")

    locations = [problem.location for problem in caught.value.problems]
    assert "line 3, column kind" in locations
    assert "line 4, column prompt" in locations and "line 4, column correct" in locations
    assert "line 5, column points" in locations
    assert not any(location.startswith("line 2") for location in locations)
    assert not Question.objects.exists()
    assert "line 3, column kind" in str(caught.value)


def test_a_json_file_with_one_bad_question_imports_nothing_and_names_the_problem(bank):
    document = json.loads(DOCS_JSON)
    document["questions"][3]["numeric_answer"] = "three"
    del document["questions"][5]["choices"][1:]  # an ordering question with a single choice

    with pytest.raises(BankFormatError) as caught:
        import_questions(bank=bank, data=json.dumps(document).encode(), file_format="json")

    locations = [problem.location for problem in caught.value.problems]
    assert "questions[3].numeric_answer" in locations
    assert any(location.startswith("questions[5].choices") for location in locations)
    assert not Question.objects.exists()


@pytest.mark.parametrize(
    ("data", "file_format"),
    [(b"", "csv"), (b"kind,prompt\n", "csv"), (b"\xff\xfe", "csv"), (b"{}", "json"), (b"[1, 2", "json")],
    ids=["empty", "no-questions", "not-utf8", "not-a-bank", "broken-json"],
)
def test_files_that_are_no_question_bank_import_nothing(bank, data, file_format):
    with pytest.raises(BankFormatError) as caught:
        import_questions(bank=bank, data=data, file_format=file_format)

    assert caught.value.problems
    assert not Question.objects.exists()


@pytest.mark.parametrize("answer", ["1000000000000", "1e13"])
def test_a_numeric_answer_too_large_to_store_is_a_format_problem(bank, answer):
    data = f"kind,prompt,answer\nnumeric,Fine,42\nnumeric,How many bytes?,{answer}\n".encode()

    with pytest.raises(BankFormatError) as caught:
        import_questions(bank=bank, data=data, file_format="csv")

    assert [problem.location for problem in caught.value.problems] == ["line 3, column answer"]
    assert not Question.objects.exists()


def test_a_numeric_answer_is_never_silently_rounded(bank):
    data = b"kind,prompt,answer\nnumeric,Pi to seven places?,3.1415926\n"

    try:
        import_questions(bank=bank, data=data, file_format="csv")
    except BankFormatError:
        assert not Question.objects.exists()
    else:
        assert Question.objects.get().numeric_answer == Decimal("3.1415926")


# Round trips ----------------------------------------------------------------------------------


@pytest.mark.parametrize("file_format", ["csv", "json"])
def test_export_then_import_round_trips_a_bank_of_every_kind(file_format):
    original = every_kind_bank()
    assert set(original.questions.values_list("kind", flat=True)) == {
        "single",
        "multiple",
        "true_false",
        "numeric",
        "short_text",
        "ordering",
        "matching",
    }
    exported = export_questions(bank=original, file_format=file_format)
    copy = QuestionBank.objects.create(name="Copy", language="en")

    count = import_questions(bank=copy, data=exported, file_format=file_format)

    assert count.added == original.questions.count() == 15
    assert question_records(copy) == question_records(original)
    for before, after in zip(stored(original), stored(copy), strict=True):
        assert choices(after) == choices(before)
        assert (after.numeric_answer, after.tolerance) == (before.numeric_answer, before.tolerance)
    again = export_questions(bank=copy, file_format=file_format)
    if file_format == "json":  # the files differ only in the bank's name
        again, exported = json.loads(again)["questions"], json.loads(exported)["questions"]
    assert again == exported


def test_a_bank_imported_from_csv_exports_to_json_and_back_unchanged(bank):
    import_questions(bank=bank, data=DOCS_CSV.encode(), file_format="csv")
    copy = QuestionBank.objects.create(name="Copy", language="fa")

    import_questions(bank=copy, data=export_questions(bank=bank, file_format="json"), file_format="json")

    assert question_records(copy) == question_records(bank)


def test_exported_json_carries_the_bank_name_and_language():
    original = every_kind_bank()

    document = json.loads(export_questions(bank=original, file_format="json"))

    assert (document["format"], document["version"]) == ("abrzad-question-bank", 1)
    assert (document["name"], document["language"]) == ("Every kind", "en")
    assert len(document["questions"]) == 15


def test_exported_csv_neutralizes_formulas_but_keeps_plain_numbers():
    exported = export_questions(bank=every_kind_bank(), file_format="csv").decode("utf-8-sig")

    assert ",'=SUM(A1:A3)" in exported  # a prompt cell
    assert ",'+1 | Second | Third | Fourth," in exported  # a choices cell
    assert ",-3.5," in exported  # a numeric answer is a plain number, left as it is


def test_importing_the_same_file_again_adds_nothing(bank):
    first = import_questions(bank=bank, data=DOCS_CSV.encode(), file_format="csv")
    again = import_questions(bank=bank, data=DOCS_CSV.encode(), file_format="csv")
    assert (first.added, first.already_there) == (8, 0)
    assert (again.added, again.already_there) == (0, 8)
    assert bank.questions.count() == 8
