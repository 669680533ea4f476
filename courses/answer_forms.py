"""The form fields that answer a question right or wrong.

Used to drive attempts from code: the demo data, the tests and the benchmarks all
submit answers the way the attempt page's form does.
"""

from __future__ import annotations

from courses.grading import AnswerKey, QuestionKind


def correct_fields(key: AnswerKey) -> dict[str, list[str]]:
    correct = [str(choice.id) for choice in key.choices if choice.correct]
    match key.kind:
        case QuestionKind.SINGLE | QuestionKind.TRUE_FALSE:
            return {"choice": correct[:1]}
        case QuestionKind.MULTIPLE:
            return {"choices": correct}
        case QuestionKind.NUMERIC:
            return {"value": [f"{key.numeric_answer.normalize():f}"]}
        case QuestionKind.SHORT_TEXT:
            return {"text": [key.accepted_answers[0]]}
        case QuestionKind.ORDERING:
            return {"order": [str(choice.id) for choice in key.choices]}
        case QuestionKind.MATCHING:
            return {f"match-{choice.id}": [str(choice.id)] for choice in key.choices}
    raise ValueError(key.kind)


def wrong_fields(key: AnswerKey) -> dict[str, list[str]]:
    wrong = [str(choice.id) for choice in key.choices if not choice.correct]
    match key.kind:
        case QuestionKind.SINGLE | QuestionKind.TRUE_FALSE | QuestionKind.MULTIPLE:
            return {"choice" if key.kind != QuestionKind.MULTIPLE else "choices": wrong[:1]}
        case QuestionKind.NUMERIC:
            return {"value": [f"{(key.numeric_answer + key.tolerance + 1000).normalize():f}"]}
        case QuestionKind.SHORT_TEXT:
            return {"text": ["no such answer"]}
        case QuestionKind.ORDERING:
            ids = [str(choice.id) for choice in key.choices]
            return {"order": ids[1:] + ids[:1]}  # a rotation leaves nothing in its place
        case QuestionKind.MATCHING:
            ids = [str(choice.id) for choice in key.choices]
            return {f"match-{left}": [right] for left, right in zip(ids, ids[1:] + ids[:1], strict=True)}
    raise ValueError(key.kind)
