"""Question bank files: CSV and JSON import and export of questions.

Pure parsing and serializing between bytes and frozen dataclasses; no ORM. The author
documentation of both formats is docs/question-banks.md.

Canonical records. A record is valid when ``validate_record`` finds no problem, and every
valid record survives a round trip: ``parse_json(dump_json(x)) == x`` and
``parse_csv(dump_csv(x)) == x``. What makes a record canonical:

- Texts carry no leading or trailing whitespace (the parsers strip them) and no control
  characters other than tab and line breaks.
- Fields that a kind does not use keep their defaults: only choice kinds have choices,
  only single, multiple and true_false choices are marked correct, only matching choices
  have a ``match``, only numeric questions have ``numeric_answer`` and ``tolerance``, only
  short_text questions have ``accepted_answers`` and ``normalized_match=False``.
- A true_false question has exactly the choices "True" and "False", in that order, one
  of them correct. The display layer translates them.

CSV lists. The ``choices`` and ``answer`` cells hold several texts separated by "|"
(export writes " | "). A "|" inside a text is written as "\\|". In matching choices,
written "left => right", a "=>" inside either side is written "\\=>". Backslashes are
otherwise literal, so "C:\\Temp" stays readable.

CSV formula injection. On export a cell that starts with = + - @ (after any
apostrophes) gets a leading apostrophe, unless the whole cell is a plain number such as
"-3" or "1E+3", which a spreadsheet cannot run. On import one leading apostrophe is
removed when an apostrophe and then one of = + - @ start the cell.

CSV line numbers count rows as a spreadsheet shows them: the header is line 1 and a cell
with line breaks still belongs to one line.

Every message for a person goes through gettext. Nothing else from Django is imported.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

__all__ = [
    "CSV_COLUMNS",
    "KINDS",
    "MAX_QUESTIONS",
    "BankFormatError",
    "ChoiceRecord",
    "FormatProblem",
    "QuestionBank",
    "QuestionRecord",
    "dump_csv",
    "dump_json",
    "parse_csv",
    "parse_json",
    "parse_json_bank",
    "validate_record",
]

KINDS = ("single", "multiple", "true_false", "numeric", "short_text", "ordering", "matching")
CHOICE_KINDS = frozenset({"single", "multiple", "true_false", "ordering", "matching"})
MARKED_KINDS = frozenset({"single", "multiple", "true_false"})  # kinds whose choices are marked correct

MAX_QUESTIONS = 1000
MAX_PROMPT_LENGTH = 2000
MAX_CHOICE_LENGTH = 500
MIN_POINTS = 1
MAX_POINTS = 100

TRUE_TEXT = "True"
FALSE_TEXT = "False"

JSON_FORMAT = "abrzad-question-bank"
JSON_VERSION = 1
CSV_COLUMNS = (
    "kind",
    "prompt",
    "choices",
    "correct",
    "answer",
    "tolerance",
    "match",
    "points",
    "partial_credit",
    "explanation",
)
REQUIRED_CSV_COLUMNS = ("kind", "prompt")
# The columns each kind fills in, besides kind, prompt, points, partial_credit, explanation.
KIND_COLUMNS = {
    "single": frozenset({"choices", "correct"}),
    "multiple": frozenset({"choices", "correct"}),
    "true_false": frozenset({"correct"}),
    "numeric": frozenset({"answer", "tolerance"}),
    "short_text": frozenset({"answer", "match"}),
    "ordering": frozenset({"choices"}),
    "matching": frozenset({"choices"}),
}

TOP_KEYS = ("format", "version", "name", "language", "questions")
QUESTION_KEYS = (
    "kind",
    "prompt",
    "explanation",
    "points",
    "partial_credit",
    "choices",
    "numeric_answer",
    "tolerance",
    "accepted_answers",
    "normalized_match",
)
CHOICE_KEYS = ("text", "correct", "match")

UTF8_BOM = b"\xef\xbb\xbf"
TRUE_WORDS = frozenset({"true", "درست", "صحیح"})
FALSE_WORDS = frozenset({"false", "نادرست", "غلط"})
YES_WORDS = frozenset({"yes", "true", "1", "بله"})
NO_WORDS = frozenset({"no", "false", "0", "خیر", ""})

# Persian and Arabic-Indic digits, the Arabic decimal separator and the minus sign.
_NUMBER_CHARACTERS = str.maketrans("۰۱۲۳۴۵۶۷۸۹٠١٢٣٤٥٦٧٨٩٫−", "01234567890123456789.-")
_NUMBER = re.compile(r"[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?")
_WHOLE_NUMBER = re.compile(r"[+-]?[0-9]+")
_FORMULA_ON_EXPORT = re.compile(r"'*[=+\-@]")
_FORMULA_ON_IMPORT = re.compile(r"'+[=+\-@]")
_LIST_SEPARATOR = re.compile(r"\s*(?<!\\)\|\s*")
_PAIR_SEPARATOR = re.compile(r"\s*(?<!\\)=>\s*")
_PLAIN_SEPARATOR = re.compile(r"\s*\|\s*")
_ALLOWED_CONTROL = frozenset("\t\n\r")


@dataclass(frozen=True)
class ChoiceRecord:
    text: str
    correct: bool = False
    match: str = ""  # matching questions: the right-hand side paired with `text`


@dataclass(frozen=True)
class QuestionRecord:
    kind: str
    prompt: str
    explanation: str = ""
    points: int = 1
    partial_credit: bool = False
    choices: tuple[ChoiceRecord, ...] = ()  # ordering: choices are in the correct order
    numeric_answer: Decimal | None = None
    tolerance: Decimal = Decimal(0)
    accepted_answers: tuple[str, ...] = ()
    normalized_match: bool = True


@dataclass(frozen=True)
class QuestionBank:
    """What a JSON file holds: the bank's name and language besides its questions."""

    name: str
    language: str
    questions: tuple[QuestionRecord, ...]


@dataclass(frozen=True)
class FormatProblem:
    # "line 7", "line 7, column choices", "questions[3].choices[1].text" (JSON path), or ""
    # for the whole file. validate_record gives paths within the record: "choices[1].text".
    location: str
    message: str


class BankFormatError(ValueError):
    """Raised with every problem found, not just the first."""

    def __init__(self, problems: Iterable[FormatProblem]):
        self.problems: list[FormatProblem] = list(problems)
        super().__init__("; ".join(f"{p.location}: {p.message}" if p.location else p.message for p in self.problems))


# --- Validation shared by both formats -------------------------------------------------


@dataclass(frozen=True)
class _Issue:
    path: str  # within the record, as in JSON: "choices[1].text"; "" for the whole record
    column: str  # the CSV column the problem is in; "" for the whole line
    message: str


def validate_record(record: QuestionRecord) -> list[FormatProblem]:
    """Every problem with one question; locations are paths within it, such as
    "prompt" or "choices[1].text" (0-based, as in the JSON file)."""
    return [FormatProblem(issue.path, issue.message) for issue in _record_issues(record)]


MAX_NUMBER = Decimal(10) ** 12  # Question.numeric_answer and tolerance: 18 digits, 6 of them decimals
MAX_DECIMAL_PLACES = 6


def _storable_number_problem(number: Decimal) -> str | None:
    if abs(number) >= MAX_NUMBER:
        return _("The number must be smaller than one trillion (10¹²).")
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > MAX_DECIMAL_PLACES:
        return _("Give at most %(places)s decimal places.") % {"places": MAX_DECIMAL_PLACES}
    return None


def _record_issues(record: QuestionRecord) -> list[_Issue]:
    issues: list[_Issue] = []

    def add(path: str, column: str, message: str) -> None:
        issues.append(_Issue(path, column, message))

    def check_text(text: str, path: str, column: str) -> None:
        if text != text.strip():
            add(path, column, _("This text must not start or end with spaces or line breaks."))
        if any(_is_forbidden_character(character) for character in text):
            add(path, column, _("This text contains control characters or characters that are not valid."))

    kind = record.kind
    if not kind:
        add("kind", "kind", _("The question kind is required. Use one of: %(kinds)s.") % {"kinds": ", ".join(KINDS)})
    elif kind not in KINDS:
        add(
            "kind",
            "kind",
            _("Unknown question kind “%(kind)s”. Use one of: %(kinds)s.") % {"kind": kind, "kinds": ", ".join(KINDS)},
        )

    if not record.prompt:
        add("prompt", "prompt", _("The question text is required."))
    elif len(record.prompt) > MAX_PROMPT_LENGTH:
        add(
            "prompt",
            "prompt",
            _("The question text has %(length)s characters; at most %(max)s are allowed.")
            % {"length": len(record.prompt), "max": MAX_PROMPT_LENGTH},
        )
    check_text(record.prompt, "prompt", "prompt")
    check_text(record.explanation, "explanation", "explanation")

    if (
        isinstance(record.points, bool)
        or not isinstance(record.points, int)
        or not MIN_POINTS <= record.points <= MAX_POINTS
    ):
        add(
            "points",
            "points",
            _("Points must be a whole number from %(min)s to %(max)s.") % {"min": MIN_POINTS, "max": MAX_POINTS},
        )

    if kind not in KINDS:
        return issues

    if kind in CHOICE_KINDS:
        for index, choice in enumerate(record.choices):
            number = index + 1
            path = f"choices[{index}]"
            if not choice.text:
                add(f"{path}.text", "choices", _("Choice %(number)s is empty.") % {"number": number})
            elif len(choice.text) > MAX_CHOICE_LENGTH:
                add(
                    f"{path}.text",
                    "choices",
                    _("Choice %(number)s has %(length)s characters; at most %(max)s are allowed.")
                    % {"number": number, "length": len(choice.text), "max": MAX_CHOICE_LENGTH},
                )
            check_text(choice.text, f"{path}.text", "choices")
            if kind == "matching":
                if not choice.match:
                    add(f"{path}.match", "choices", _("Choice %(number)s has no match.") % {"number": number})
                elif len(choice.match) > MAX_CHOICE_LENGTH:
                    add(
                        f"{path}.match",
                        "choices",
                        _("The match of choice %(number)s has %(length)s characters; at most %(max)s are allowed.")
                        % {"number": number, "length": len(choice.match), "max": MAX_CHOICE_LENGTH},
                    )
                check_text(choice.match, f"{path}.match", "choices")
            elif choice.match:
                add(f"{path}.match", "choices", _("Only the choices of matching questions have a match."))
            if kind not in MARKED_KINDS and choice.correct:
                add(
                    f"{path}.correct",
                    "correct",
                    _("Choices of ordering and matching questions are not marked correct."),
                )

        marked = sum(1 for choice in record.choices if choice.correct)
        if kind == "true_false":
            if tuple(choice.text for choice in record.choices) != (TRUE_TEXT, FALSE_TEXT) or marked != 1:
                add(
                    "choices",
                    "correct",
                    _("A true/false question has exactly the two choices “True” and “False”, one of them correct."),
                )
        elif len(record.choices) < 2:
            add(
                "choices",
                "choices",
                _("This question needs at least 2 choices; it has %(count)s.") % {"count": len(record.choices)},
            )
        if kind == "single" and marked != 1:
            add(
                "choices",
                "correct",
                _("Mark exactly one choice as correct; %(count)s are marked.") % {"count": marked},
            )
        if kind == "multiple" and marked < 1:
            add("choices", "correct", _("Mark at least one choice as correct."))
        if kind == "matching":
            _check_unique(record.choices, "text", add)
            _check_unique(record.choices, "match", add)
    elif record.choices:
        add("choices", "choices", _("Questions of kind “%(kind)s” have no choices.") % {"kind": kind})

    if kind == "numeric":
        answer = record.numeric_answer
        if answer is None:
            add("numeric_answer", "answer", _("Give the correct number."))
        elif not isinstance(answer, Decimal) or not answer.is_finite():
            add("numeric_answer", "answer", _("The answer must be a finite number."))
        elif problem := _storable_number_problem(answer):
            add("numeric_answer", "answer", problem)
        if not isinstance(record.tolerance, Decimal) or not record.tolerance.is_finite():
            add("tolerance", "tolerance", _("The tolerance must be a finite number."))
        elif record.tolerance.is_signed() and not record.tolerance.is_zero():
            add("tolerance", "tolerance", _("The tolerance must not be negative."))
        elif problem := _storable_number_problem(record.tolerance):
            add("tolerance", "tolerance", problem)
    else:
        if record.numeric_answer is not None:
            add("numeric_answer", "answer", _("Only numeric questions have a number as the answer."))
        if not isinstance(record.tolerance, Decimal) or not record.tolerance.is_zero():
            add("tolerance", "tolerance", _("Only numeric questions have a tolerance."))

    if kind == "short_text":
        if not record.accepted_answers:
            add("accepted_answers", "answer", _("Give at least one accepted answer."))
        for index, answer_text in enumerate(record.accepted_answers):
            number = index + 1
            path = f"accepted_answers[{index}]"
            if not answer_text:
                add(path, "answer", _("Accepted answer %(number)s is empty.") % {"number": number})
            elif len(answer_text) > MAX_CHOICE_LENGTH:
                add(
                    path,
                    "answer",
                    _("Accepted answer %(number)s has %(length)s characters; at most %(max)s are allowed.")
                    % {"number": number, "length": len(answer_text), "max": MAX_CHOICE_LENGTH},
                )
            check_text(answer_text, path, "answer")
    else:
        if record.accepted_answers:
            add("accepted_answers", "answer", _("Only short-text questions have accepted answers."))
        if not record.normalized_match:
            add("normalized_match", "match", _("Only short-text questions have a match mode."))
    return issues


def _check_unique(choices: tuple[ChoiceRecord, ...], attribute: str, add: Callable[[str, str, str], None]) -> None:
    first_seen: dict[str, int] = {}
    for index, choice in enumerate(choices):
        value = getattr(choice, attribute)
        if not value:
            continue
        if value in first_seen:
            values = {"number": index + 1, "first": first_seen[value] + 1}
            if attribute == "text":
                message = _("Choice %(number)s repeats the left side of choice %(first)s.") % values
            else:
                message = _("Choice %(number)s repeats the right side of choice %(first)s.") % values
            add(f"choices[{index}].{attribute}", "choices", message)
        else:
            first_seen[value] = index


def _is_forbidden_character(character: str) -> bool:
    category = unicodedata.category(character)
    return category == "Cs" or (category == "Cc" and character not in _ALLOWED_CONTROL)


# --- Shared reading helpers ------------------------------------------------------------


def _decode(data: bytes) -> str:
    if data.startswith(UTF8_BOM):
        data = data[len(UTF8_BOM) :]
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise BankFormatError(
            [
                FormatProblem(
                    "",
                    _("The file is not UTF-8 text (byte %(position)s). Save it as UTF-8 and try again.")
                    % {"position": error.start + 1},
                )
            ]
        ) from None
    if not text.strip():
        raise BankFormatError([FormatProblem("", _("The file is empty."))])
    return text


def _count_problem(count: int) -> FormatProblem | None:
    if count == 0:
        return FormatProblem("", _("The file has no questions."))
    if count > MAX_QUESTIONS:
        return FormatProblem(
            "",
            _("The file has %(count)s questions; at most %(max)s can be imported at once.")
            % {"count": count, "max": MAX_QUESTIONS},
        )
    return None


def _parse_number(text: str) -> Decimal | None:
    """A finite number written with Latin, Persian or Arabic-Indic digits, or None."""
    text = text.strip().translate(_NUMBER_CHARACTERS)
    if not _NUMBER.fullmatch(text):
        return None
    number = _decimal(text)
    return number if number.is_finite() else None


def _decimal(text: str) -> Decimal:
    """Decimal(text), or NaN for an exponent beyond what Decimal can hold."""
    try:
        return Decimal(text)
    except ArithmeticError:
        return Decimal("NaN")


def _parse_whole_number(text: str) -> int | None:
    text = text.strip().translate(_NUMBER_CHARACTERS)
    if not _WHOLE_NUMBER.fullmatch(text):
        return None
    number = _decimal(text)
    return _clamp(number) if number.is_finite() else None


def _clamp(value: Decimal) -> int:
    # Far outside the points range either way; keeps int() away from huge exponents.
    return int(max(min(value, Decimal(10**9)), Decimal(-(10**9))))


def _format_number(value: Decimal) -> str:
    return str(value)


# --- JSON ------------------------------------------------------------------------------


class _JsonObject(dict):
    """A JSON object that remembers the keys it had more than once."""

    def __init__(self, pairs: list[tuple[str, object]]):
        super().__init__()
        self.duplicates: list[str] = []
        for key, value in pairs:
            if key in self and key not in self.duplicates:
                self.duplicates.append(key)
            self[key] = value


def parse_json(data: bytes) -> list[QuestionRecord]:
    return list(parse_json_bank(data).questions)


def parse_json_bank(data: bytes) -> QuestionBank:
    text = _decode(data)
    try:
        document = json.loads(
            text,
            parse_float=_decimal,
            parse_int=_decimal,
            parse_constant=_decimal,
            object_pairs_hook=_JsonObject,
        )
    except json.JSONDecodeError as error:
        raise BankFormatError(
            [FormatProblem(_location(error.lineno, error.colno), _("The file is not valid JSON."))]
        ) from None
    except (RecursionError, ValueError):
        raise BankFormatError([FormatProblem("", _("The file is not valid JSON."))]) from None

    if not isinstance(document, dict):
        raise BankFormatError(
            [
                FormatProblem(
                    "", _("The file must hold a JSON object with “format”: “%(format)s”.") % {"format": JSON_FORMAT}
                )
            ]
        )
    if document.get("format") != JSON_FORMAT:
        raise BankFormatError(
            [
                FormatProblem(
                    "format",
                    _("This is not a question bank file: “format” must be “%(format)s”.") % {"format": JSON_FORMAT},
                )
            ]
        )
    version = document.get("version")
    if not isinstance(version, Decimal) or version != JSON_VERSION:
        raise BankFormatError(
            [
                FormatProblem(
                    "version",
                    _("This file's version is not supported; this site reads version %(version)s.")
                    % {"version": JSON_VERSION},
                )
            ]
        )

    problems: list[FormatProblem] = []
    reader = _JsonReader(problems)
    reader.check_keys(document, TOP_KEYS, "")
    name = reader.text(document, "name", "name")
    language = reader.text(document, "language", "language")
    questions = document.get("questions")
    if questions is None:
        problems.append(FormatProblem("questions", _("The list of questions is missing.")))
        raise BankFormatError(problems)
    if not isinstance(questions, list):
        problems.append(FormatProblem("questions", _("Expected a list.")))
        raise BankFormatError(problems)
    count_problem = _count_problem(len(questions))
    if count_problem:
        raise BankFormatError([*problems, count_problem])

    records = [reader.question(value, f"questions[{index}]") for index, value in enumerate(questions)]
    if problems:
        raise BankFormatError(problems)
    return QuestionBank(name=name, language=language, questions=tuple(r for r in records if r is not None))


def _location(line: int, column: int | str | None = None) -> str:
    if column is None or column == "":
        return _("line %(line)s") % {"line": line}
    return _("line %(line)s, column %(column)s") % {"line": line, "column": column}


class _JsonReader:
    """Type checks for one JSON document; appends problems and returns defaults."""

    def __init__(self, problems: list[FormatProblem]):
        self.problems = problems

    def problem(self, path: str, message: str) -> None:
        self.problems.append(FormatProblem(path, message))

    def check_keys(self, obj: _JsonObject, allowed: tuple[str, ...], path: str) -> None:
        prefix = f"{path}." if path else ""
        for key in obj:
            if key not in allowed:
                self.problem(
                    f"{prefix}{key}",
                    _("Unknown key “%(key)s”. The keys are: %(keys)s.") % {"key": key, "keys": ", ".join(allowed)},
                )
        for key in getattr(obj, "duplicates", ()):
            self.problem(f"{prefix}{key}", _("The key “%(key)s” appears more than once.") % {"key": key})

    def text(self, obj: dict, key: str, path: str) -> str:
        value = obj.get(key)
        if value is None:
            return ""
        if not isinstance(value, str):
            self.problem(path, _("Expected text."))
            return ""
        return value.strip()

    def boolean(self, obj: dict, key: str, path: str, default: bool) -> bool:
        value = obj.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            self.problem(path, _("Expected true or false."))
            return default
        return value

    def number(self, obj: dict, key: str, path: str) -> Decimal | None:
        value = obj.get(key)
        if value is None or isinstance(value, Decimal):
            return value  # non-finite numbers are left to validate_record
        if isinstance(value, str):
            number = _parse_number(value)
            if number is not None:
                return number
        self.problem(path, _("Expected a number, such as 3.5 or “3.5”."))
        return None

    def whole_number(self, obj: dict, key: str, path: str, default: int) -> int:
        value = obj.get(key)
        if value is None:
            return default
        if isinstance(value, Decimal) and value.is_finite() and value == value.to_integral_value():
            return _clamp(value)
        if isinstance(value, str):
            number = _parse_whole_number(value)
            if number is not None:
                return number
        self.problem(path, _("Expected a whole number."))
        return default

    def question(self, value: object, path: str) -> QuestionRecord | None:
        if not isinstance(value, dict):
            self.problem(path, _("Expected a JSON object for the question."))
            return None
        before = len(self.problems)
        self.check_keys(value, QUESTION_KEYS, path)
        kind = _normalize_kind(self.text(value, "kind", f"{path}.kind"))
        record = QuestionRecord(
            kind=kind,
            prompt=self.text(value, "prompt", f"{path}.prompt"),
            explanation=self.text(value, "explanation", f"{path}.explanation"),
            points=self.whole_number(value, "points", f"{path}.points", 1),
            partial_credit=self.boolean(value, "partial_credit", f"{path}.partial_credit", False),
            choices=self.choices(value.get("choices"), f"{path}.choices"),
            numeric_answer=self.number(value, "numeric_answer", f"{path}.numeric_answer"),
            tolerance=self.number(value, "tolerance", f"{path}.tolerance") or Decimal(0),
            accepted_answers=self.texts(value.get("accepted_answers"), f"{path}.accepted_answers"),
            normalized_match=self.boolean(value, "normalized_match", f"{path}.normalized_match", True),
        )
        # Fields that could not be read got defaults; rules about them, or about what holds
        # them, would only repeat the problem.
        unread = [problem.location for problem in self.problems[before:]]
        for issue in _record_issues(record):
            location = f"{path}.{issue.path}" if issue.path else path
            if not any(_is_within(location, field) or _is_within(field, location) for field in unread):
                self.problem(location, issue.message)
        return record

    def choices(self, value: object, path: str) -> tuple[ChoiceRecord, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.problem(path, _("Expected a list."))
            return ()
        choices = []
        for index, item in enumerate(value):
            item_path = f"{path}[{index}]"
            if not isinstance(item, dict):
                self.problem(item_path, _("Expected a JSON object for the choice."))
                choices.append(ChoiceRecord(""))  # keeps the numbers of the choices after it
                continue
            self.check_keys(item, CHOICE_KEYS, item_path)
            choices.append(
                ChoiceRecord(
                    text=self.text(item, "text", f"{item_path}.text"),
                    correct=self.boolean(item, "correct", f"{item_path}.correct", False),
                    match=self.text(item, "match", f"{item_path}.match"),
                )
            )
        return tuple(choices)

    def texts(self, value: object, path: str) -> tuple[str, ...]:
        if value is None:
            return ()
        if not isinstance(value, list):
            self.problem(path, _("Expected a list."))
            return ()
        texts = []
        for index, item in enumerate(value):
            if isinstance(item, str):
                texts.append(item.strip())
            else:
                self.problem(f"{path}[{index}]", _("Expected text."))
                texts.append("")  # keeps the numbers of the answers after it
        return tuple(texts)


def _is_within(location: str, field: str) -> bool:
    return location == field or location.startswith((f"{field}.", f"{field}["))


def dump_json(records: Iterable[QuestionRecord], *, bank_name: str = "", language: str = "") -> bytes:
    """Raises BankFormatError for invalid records, so that every file written reads back."""
    records = list(records)
    _check_for_export(
        records, lambda index, issue: f"questions[{index}].{issue.path}" if issue.path else f"questions[{index}]"
    )
    document = {
        "format": JSON_FORMAT,
        "version": JSON_VERSION,
        "name": bank_name,
        "language": language,
        "questions": [_json_question(record) for record in records],
    }
    return (json.dumps(document, ensure_ascii=False, indent=2) + "\n").encode("utf-8")


def _json_question(record: QuestionRecord) -> dict[str, object]:
    question: dict[str, object] = {"kind": record.kind, "prompt": record.prompt}
    if record.explanation:
        question["explanation"] = record.explanation
    question["points"] = record.points
    question["partial_credit"] = record.partial_credit
    if record.kind in MARKED_KINDS:
        question["choices"] = [{"text": c.text, "correct": c.correct} for c in record.choices]
    elif record.kind == "ordering":
        question["choices"] = [{"text": c.text} for c in record.choices]
    elif record.kind == "matching":
        question["choices"] = [{"text": c.text, "match": c.match} for c in record.choices]
    elif record.kind == "numeric":
        assert record.numeric_answer is not None  # noqa: S101 - checked by validation
        question["numeric_answer"] = _format_number(record.numeric_answer)
        question["tolerance"] = _format_number(record.tolerance)
    elif record.kind == "short_text":
        question["accepted_answers"] = list(record.accepted_answers)
        question["normalized_match"] = record.normalized_match
    return question


def _check_for_export(records: list[QuestionRecord], locate: Callable[[int, _Issue], str]) -> None:
    problems = [
        FormatProblem(locate(index, issue), issue.message)
        for index, record in enumerate(records)
        for issue in _record_issues(record)
    ]
    if problems:
        raise BankFormatError(problems)


def _normalize_kind(kind: str) -> str:
    return kind.strip().lower().replace("-", "_").replace(" ", "_")


# --- CSV -------------------------------------------------------------------------------


def parse_csv(data: bytes) -> list[QuestionRecord]:
    text = _decode(data)
    first_line = text.split("\n", 1)[0]
    delimiter = next((d for d in (",", ";", "\t") if d in first_line), ",")
    rows: list[list[str]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            rows.append(row)
    except csv.Error:
        raise BankFormatError(
            [FormatProblem(_location(len(rows) + 1), _("This line is not valid CSV, or a cell in it is too long."))]
        ) from None

    header = [name.strip().lower() for name in rows[0]]
    problems: list[FormatProblem] = []
    for index, name in enumerate(header):
        if name and name not in CSV_COLUMNS:
            problems.append(
                FormatProblem(
                    _location(1, name),
                    _("Unknown column “%(column)s”. The columns are: %(columns)s.")
                    % {"column": name, "columns": ", ".join(CSV_COLUMNS)},
                )
            )
        elif name and name in header[:index]:
            problems.append(
                FormatProblem(_location(1, name), _("The column “%(column)s” appears twice.") % {"column": name})
            )
    for name in REQUIRED_CSV_COLUMNS:
        if name not in header:
            problems.append(
                FormatProblem(_location(1), _("The header row needs the column “%(column)s”.") % {"column": name})
            )
    if problems:
        raise BankFormatError(problems)

    lines = [(number, row) for number, row in enumerate(rows[1:], start=2) if any(cell.strip() for cell in row)]
    count_problem = _count_problem(len(lines))
    if count_problem:
        raise BankFormatError([count_problem])

    records = []
    for number, row in lines:
        cells = dict.fromkeys(CSV_COLUMNS, "")
        stray = False
        for index, raw in enumerate(row):
            name = header[index] if index < len(header) else ""
            value = _from_cell(raw)
            if name:
                cells[name] = value
            elif value:
                stray = True
        if stray:
            problems.append(
                FormatProblem(_location(number), _("This line has a value in a column that has no name in the header."))
            )
        records.append(_csv_question(cells, number, problems))
    if problems:
        raise BankFormatError(problems)
    return records


def _csv_question(cells: dict[str, str], line: int, problems: list[FormatProblem]) -> QuestionRecord:
    before = len(problems)

    def problem(column: str, message: str) -> None:
        problems.append(FormatProblem(_location(line, column), message))

    kind = _normalize_kind(cells["kind"])
    points = 1
    if cells["points"]:
        parsed = _parse_whole_number(cells["points"])
        if parsed is None:
            problem("points", _("“%(value)s” is not a whole number.") % {"value": cells["points"]})
        else:
            points = parsed
    partial = cells["partial_credit"].lower()
    if partial not in YES_WORDS | NO_WORDS:
        problem("partial_credit", _("Write “yes” or “no”."))

    fields: dict[str, object] = {}
    if kind in KIND_COLUMNS:
        for column in ("choices", "correct", "answer", "tolerance", "match"):
            if cells[column] and column not in KIND_COLUMNS[kind]:
                if kind == "ordering" and column == "correct":
                    problem(column, _("Leave this column empty: list the choices in the correct order."))
                else:
                    problem(column, _("Leave this column empty for “%(kind)s” questions.") % {"kind": kind})
        fields = _csv_kind_fields(kind, cells, problem)

    record = QuestionRecord(
        kind=kind,
        prompt=cells["prompt"],
        explanation=cells["explanation"],
        points=points,
        partial_credit=partial in YES_WORDS,
        **fields,
    )
    # Cells that could not be read were left out; their rules would only repeat the problem.
    unread = {problem.location for problem in problems[before:]}
    for issue in _record_issues(record):
        location = _location(line, issue.column)
        if location not in unread:
            problems.append(FormatProblem(location, issue.message))
    return record


def _csv_kind_fields(kind: str, cells: dict[str, str], problem: Callable[[str, str], None]) -> dict[str, object]:
    if kind in ("single", "multiple"):
        texts = [_unescape(text) for text in _split(cells["choices"])]
        marked = set()
        for value in _PLAIN_SEPARATOR.split(cells["correct"]) if cells["correct"] else ():
            number = _parse_whole_number(value)
            if number is None or not 1 <= number <= len(texts):
                problem(
                    "correct",
                    _("“%(value)s” is not a choice number; use numbers from 1 to %(count)s separated by “|”.")
                    % {"value": value, "count": len(texts)},
                )
            else:
                marked.add(number)
        return {"choices": tuple(ChoiceRecord(text, correct=n in marked) for n, text in enumerate(texts, 1))}
    if kind == "true_false":
        answer = cells["correct"].lower()
        if answer not in TRUE_WORDS | FALSE_WORDS:
            problem("correct", _("Write “true” or “false” (or “درست” or “نادرست”)."))
            return {}
        is_true = answer in TRUE_WORDS
        return {"choices": (ChoiceRecord(TRUE_TEXT, correct=is_true), ChoiceRecord(FALSE_TEXT, correct=not is_true))}
    if kind == "numeric":
        fields: dict[str, object] = {}
        for column, field in (("answer", "numeric_answer"), ("tolerance", "tolerance")):
            if cells[column]:
                number = _parse_number(cells[column])
                if number is None:
                    problem(column, _("“%(value)s” is not a number.") % {"value": cells[column]})
                else:
                    fields[field] = number
        return fields
    if kind == "short_text":
        mode = cells["match"].lower()
        if mode not in ("", "exact", "normalized"):
            problem("match", _("Write “exact” or “normalized”."))
        return {
            "accepted_answers": tuple(_unescape(text) for text in _split(cells["answer"])),
            "normalized_match": mode != "exact",
        }
    if kind == "ordering":
        return {"choices": tuple(ChoiceRecord(_unescape(text)) for text in _split(cells["choices"]))}
    # matching
    choices = []
    for piece in _split(cells["choices"]):
        left, *right = _PAIR_SEPARATOR.split(piece, maxsplit=1)
        match = right[0].strip() if right else ""
        choices.append(ChoiceRecord(_unescape(left, pairs=True), match=_unescape(match, pairs=True)))
    return {"choices": tuple(choices)}


def dump_csv(records: Iterable[QuestionRecord]) -> bytes:
    """UTF-8 with a BOM, so that Excel shows Persian text. Raises BankFormatError for
    invalid records, so that every file written reads back."""
    records = list(records)
    _check_for_export(records, lambda index, issue: _location(index + 2, issue.column))
    output = io.StringIO(newline="")
    writer = csv.writer(output, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for record in records:
        cells = _csv_cells(record)
        writer.writerow([_to_cell(cells[column]) for column in CSV_COLUMNS])
    return UTF8_BOM + output.getvalue().encode("utf-8")


def _csv_cells(record: QuestionRecord) -> dict[str, str]:
    cells = dict.fromkeys(CSV_COLUMNS, "")
    cells.update(
        kind=record.kind,
        prompt=record.prompt,
        points=str(record.points),
        partial_credit="yes" if record.partial_credit else "no",
        explanation=record.explanation,
    )
    if record.kind in ("single", "multiple"):
        cells["choices"] = _join(_escape(choice.text) for choice in record.choices)
        cells["correct"] = "|".join(str(n) for n, choice in enumerate(record.choices, 1) if choice.correct)
    elif record.kind == "true_false":
        cells["correct"] = "true" if record.choices[0].correct else "false"
    elif record.kind == "numeric":
        assert record.numeric_answer is not None  # noqa: S101 - checked by validation
        cells["answer"] = _format_number(record.numeric_answer)
        cells["tolerance"] = "" if record.tolerance.is_zero() else _format_number(record.tolerance)
    elif record.kind == "short_text":
        cells["answer"] = _join(_escape(answer) for answer in record.accepted_answers)
        cells["match"] = "normalized" if record.normalized_match else "exact"
    elif record.kind == "ordering":
        cells["choices"] = _join(_escape(choice.text) for choice in record.choices)
    elif record.kind == "matching":
        cells["choices"] = _join(
            f"{_escape(choice.text, pairs=True)} => {_escape(choice.match, pairs=True)}" for choice in record.choices
        )
    return cells


def _split(cell: str) -> list[str]:
    """Texts separated by unescaped bars, still escaped."""
    if not cell:
        return []
    return [piece.strip() for piece in _LIST_SEPARATOR.split(cell)]


def _join(texts: Iterable[str]) -> str:
    return " | ".join(texts)


def _escape(text: str, *, pairs: bool = False) -> str:
    text = text.replace("|", "\\|")
    return text.replace("=>", "\\=>") if pairs else text


def _unescape(text: str, *, pairs: bool = False) -> str:
    text = text.replace("\\|", "|")
    return text.replace("\\=>", "=>") if pairs else text


def _to_cell(value: str) -> str:
    """Neutralize formula injection: a spreadsheet would run a cell starting with = + - @."""
    if _FORMULA_ON_EXPORT.match(value) and not _NUMBER.fullmatch(value):
        return "'" + value
    return value


def _from_cell(raw: str) -> str:
    if _FORMULA_ON_IMPORT.match(raw):
        raw = raw[1:]
    return raw.strip()
