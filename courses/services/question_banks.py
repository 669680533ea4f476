"""Bringing question banks in and out as CSV or JSON files."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.db import transaction

from courses.bank_formats import ChoiceRecord, QuestionRecord, dump_csv, dump_json, parse_csv, parse_json
from courses.models import Question, QuestionBank, QuestionChoice

PARSERS = {"csv": parse_csv, "json": parse_json}


@dataclass(frozen=True)
class ImportResult:
    added: int
    already_there: int  # same kind and question text as one in the bank: not added again


@transaction.atomic
def import_questions(*, bank: QuestionBank, data: bytes, file_format: str) -> ImportResult:
    """Add the file's questions to `bank`, all or nothing; raises BankFormatError.

    Importing the same file twice adds nothing the second time.
    """
    records = PARSERS[file_format](data)
    existing = set(bank.questions.values_list("kind", "prompt"))
    new = [record for record in records if (record.kind, record.prompt) not in existing]
    add_questions(bank=bank, records=new)
    return ImportResult(added=len(new), already_there=len(records) - len(new))


def add_questions(*, bank: QuestionBank, records: Iterable[QuestionRecord]) -> None:
    """Create a question, with its choices, for each record (already validated)."""
    for record in records:
        question = Question.objects.create(
            bank=bank,
            kind=record.kind,
            prompt=record.prompt,
            explanation=record.explanation,
            points=record.points,
            partial_credit=record.partial_credit,
            numeric_answer=record.numeric_answer,
            tolerance=record.tolerance,
            accepted_answers=list(record.accepted_answers),
            normalized_match=record.normalized_match,
        )
        QuestionChoice.objects.bulk_create(
            QuestionChoice(
                question=question, text=choice.text, correct=choice.correct, match=choice.match, sort_order=i
            )
            for i, choice in enumerate(record.choices)
        )


def question_records(bank: QuestionBank) -> list[QuestionRecord]:
    questions = bank.questions.prefetch_related("choices").order_by("pk")
    return [
        QuestionRecord(
            kind=question.kind,
            prompt=question.prompt,
            explanation=question.explanation,
            points=question.points,
            partial_credit=question.partial_credit,
            choices=tuple(
                ChoiceRecord(text=choice.text, correct=choice.correct, match=choice.match)
                for choice in question.choices.all()
            ),
            numeric_answer=question.numeric_answer.normalize() if question.numeric_answer is not None else None,
            tolerance=question.tolerance.normalize(),
            accepted_answers=tuple(question.accepted_answers or ()),
            normalized_match=question.normalized_match,
        )
        for question in questions
    ]


def export_questions(*, bank: QuestionBank, file_format: str) -> bytes:
    records = question_records(bank)
    if file_format == "csv":
        return dump_csv(records)
    return dump_json(records, bank_name=bank.name, language=bank.language)
