"""Starting, submitting and grading quiz and exam attempts.

Integrity rules:
- questions and choice order are drawn on the server when the attempt starts;
- the attempt limit and the single open attempt hold under concurrent starts
  (a row lock on the enrolment, backed by unique constraints);
- an attempt is graded exactly once: the submission that flips it from
  "in progress" wins, every other one just sees the result;
- a submission that arrives after the deadline plus grace is refused and the
  attempt is graded as of the deadline, with no answers.
"""

from __future__ import annotations

import json
import random
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _

from courses import signals
from courses.drawing import draw_questions, order_choices
from courses.grading import (
    AnswerKey,
    ChoiceKey,
    InvalidResponse,
    QuestionKind,
    clean_response,
    grade,
    key_from_json,
    key_to_json,
)
from courses.models import Assessment, Attempt, AttemptQuestion, Enrolment, Question
from courses.option_values import decode, encode
from courses.permissions import enrolment_locked
from courses.services import CourseActionError
from courses.services.progress import counting_attempts, refresh_course_completion
from lms import clock
from lms.compiled_queries import run_compiled
from lms.i18n import local_digits

_rng = random.SystemRandom()
HUNDRED = Decimal(100)


class AttemptTooLate(CourseActionError):
    pass


def answer_key(question: Question) -> AnswerKey:
    choices = list(question.choices.all())
    return AnswerKey(
        kind=QuestionKind(question.kind),
        choices=tuple(ChoiceKey(id=choice.pk, correct=choice.correct) for choice in choices),
        partial_credit=question.partial_credit,
        numeric_answer=question.numeric_answer,
        tolerance=question.tolerance,
        accepted_answers=tuple(question.accepted_answers or ()),
        normalized_match=question.normalized_match,
    )


def availability(
    *, user, assessment: Assessment, attempts: list[Attempt] | None = None, practice_passed: bool | None = None
) -> str | None:
    """Why the person cannot start an attempt now, or None when they can.

    Pages that show several assessments pass the person's `attempts` at this one and
    whether the course's practice quizzes are passed, so nothing is queried again.
    """
    if attempts is None:
        attempts = list(Attempt.objects.filter(user=user, assessment=assessment).order_by("number"))
    if any(attempt.is_open for attempt in attempts):
        return None  # they can resume it
    if assessment.max_attempts is not None and len(attempts) >= assessment.max_attempts:
        return _("You have used all %(count)s attempts.") % {"count": local_digits(assessment.max_attempts)}
    if attempts and assessment.cooldown_minutes:
        ready_at = attempts[-1].submitted_at + timedelta(minutes=assessment.cooldown_minutes)
        if clock.now() < ready_at:
            return _("You can try again after the cooldown, in %(minutes)s minutes.") % {
                "minutes": local_digits(_minutes_left(ready_at))
            }
    if assessment.requires_practice:
        if practice_passed is None:
            practice_passed = practice_quizzes_passed(user=user, course=assessment.course)
        if not practice_passed:
            return _("Pass the practice quizzes first.")
    return None


def practice_quizzes_passed(*, user, course) -> bool:
    practice = list(
        Assessment.objects.filter(course__translation_key=course.translation_key, kind=Assessment.Kind.PRACTICE)
    )
    counted = counting_attempts(user=user, assessments=practice)
    return all(counted.get(quiz.pk) and counted[quiz.pk].passed for quiz in practice)


def close_expired_attempts(*, user, course) -> None:
    """Grade the person's attempts at this course's assessments whose time ran out."""
    if not user.is_authenticated:
        return
    expired = Attempt.objects.select_related("assessment").filter(
        user=user,
        status=Attempt.Status.IN_PROGRESS,
        assessment__course__translation_key=course.translation_key,
        deadline__lt=clock.now(),
    )
    for attempt in expired:
        with transaction.atomic():
            close_if_expired(attempt)


def start_attempt(*, user, assessment: Assessment) -> Attempt:
    """The person's open attempt, or a new one with its questions drawn now."""
    course = assessment.course
    # An attempt whose time ran out is graded first, in its own transaction, so that it
    # stays closed even when no new attempt may start.
    close_expired_attempts(user=user, course=course)
    with transaction.atomic():
        # Serializes concurrent starts by the same person (a no-op lock on SQLite,
        # where writes are serialized anyway); the constraints are the backstop.
        enrolment = (
            Enrolment.objects.select_for_update(of=("self",))
            .filter(user=user, course__translation_key=course.translation_key)
            .first()
        )
        if enrolment is None:
            raise CourseActionError(_("Enrol in the course first."), status=403)
        open_attempt = Attempt.objects.filter(
            user=user, assessment=assessment, status=Attempt.Status.IN_PROGRESS
        ).first()
        if open_attempt is not None and not close_if_expired(open_attempt):
            return open_attempt
        reason = availability(user=user, assessment=assessment)
        if reason:
            raise CourseActionError(reason, status=409)
        try:
            with transaction.atomic():
                return _create_attempt(user=user, assessment=assessment)
        except IntegrityError:
            raise CourseActionError(
                _("An attempt was just started; open it from the course page."), status=409
            ) from None


def _create_attempt(*, user, assessment: Assessment) -> Attempt:
    number = Attempt.objects.filter(user=user, assessment=assessment).count() + 1
    if assessment.max_attempts is not None and number > assessment.max_attempts:
        raise CourseActionError(
            _("You have used all %(count)s attempts.") % {"count": local_digits(assessment.max_attempts)}, status=409
        )
    pool = list(Question.objects.filter(bank__in=assessment.banks.all(), is_active=True).values_list("pk", flat=True))
    if not pool:
        raise CourseActionError(_("This quiz has no questions yet."), status=409)
    seen = set(
        AttemptQuestion.objects.filter(attempt__user=user, attempt__assessment=assessment).values_list(
            "question_id", flat=True
        )
    )
    drawn = draw_questions(pool, seen, assessment.question_count, _rng)
    questions = Question.objects.prefetch_related("choices").in_bulk(drawn)
    now = clock.now()
    time_limit = assessment.time_limit
    attempt = Attempt.objects.create(
        assessment=assessment,
        user=user,
        number=number,
        started_at=now,
        deadline=now + time_limit if time_limit else None,
    )
    AttemptQuestion.objects.bulk_create(
        AttemptQuestion(
            attempt=attempt,
            question_id=question_id,
            position=position,
            choice_order=order_choices(
                questions[question_id].kind,
                [choice.pk for choice in questions[question_id].choices.all()],
                shuffle=assessment.shuffle_choices,
                rng=_rng,
            ),
            key=key_to_json(answer_key(questions[question_id])),
            points=questions[question_id].points,
        )
        for position, question_id in enumerate(drawn, start=1)
    )
    return attempt


def close_if_expired(attempt: Attempt) -> bool:
    """Grade an abandoned attempt whose time ran out; True if it was closed."""
    if attempt.deadline is None or clock.now() <= grace_end(attempt):
        return False
    _grade(attempt, responses={}, submitted_at=attempt.deadline, late=True)
    return True


def grace_end(attempt: Attempt):
    return attempt.deadline + timedelta(seconds=attempt.assessment.grace_seconds)


def submit_attempt(*, user, attempt: Attempt, answers: Mapping[int, Mapping[str, list[str]]]) -> Attempt:
    """Grade the attempt once. `answers` maps question position → submitted form fields.

    Tampered input (unknown positions, choices or ids) is refused and records nothing.
    """
    if attempt.user_id != user.pk:
        raise CourseActionError(_("No such attempt."), status=404)
    with transaction.atomic():
        if attempt.status != Attempt.Status.IN_PROGRESS:
            attempt.refresh_from_db()
            return attempt  # graded already, by an earlier submission
        too_late = attempt.deadline is not None and clock.now() > grace_end(attempt)
        if too_late:
            _grade(attempt, responses={}, submitted_at=attempt.deadline, late=True)
        else:
            items = _items(attempt)
            responses = _clean_answers(items, answers)
            _grade(attempt, responses=responses, submitted_at=clock.now(), late=False, items=items, user=user)
    if too_late:
        raise AttemptTooLate(
            _(
                "Time ran out before your answers arrived, so they were not accepted. "
                "The attempt was graded as of the deadline."
            ),
            status=409,
        )
    return attempt


@dataclass(slots=True)
class _Item:
    """One question of an attempt, as grading reads and writes it."""

    pk: int
    position: int
    choice_order: list[int]
    key: AnswerKey
    points: int
    response: dict | None = None
    earned: Decimal = Decimal(0)


def _items(attempt: Attempt) -> list[_Item]:
    rows = run_compiled(_questions_of, attempt_id=attempt.pk)
    return [
        _Item(pk=pk, position=position, choice_order=order, key=key_from_json(key), points=points)
        for pk, position, order, key, points in rows
    ]


def _questions_of(*, attempt_id: int):
    return (
        AttemptQuestion.objects.filter(attempt=attempt_id)
        .order_by("position")
        .values_list("pk", "position", "choice_order", "key", "points")
    )


def _clean_answers(items: list[_Item], answers: Mapping[int, Mapping[str, list[str]]]) -> dict[int, dict]:
    if set(answers) - {item.position for item in items}:
        raise CourseActionError(_("The answers do not match the questions of this attempt."))
    responses = {}
    for item in items:
        try:
            raw = decode(item.key.kind, item.choice_order, answers.get(item.position, {}))
            responses[item.position] = clean_response(item.key, raw)
        except InvalidResponse:
            raise CourseActionError(
                _("Question %(number)s has an answer that is not one of its choices.") % {"number": item.position}
            ) from None
    return responses


def _grade(attempt: Attempt, *, responses, submitted_at, late: bool, items=None, user=None) -> None:
    if items is None:
        items = _items(attempt)
    earned_points = total_points = Decimal(0)
    for item in items:
        response = responses.get(item.position, {})
        item.response = response
        item.earned = grade(item.key, response) if response else Decimal(0)
        earned_points += item.earned * item.points
        total_points += item.points
    assessment = attempt.assessment
    score = (earned_points * HUNDRED / total_points).quantize(Decimal("0.01")) if total_points else Decimal(0)
    passed = score >= assessment.pass_mark
    # Only one grading can flip the attempt out of "in progress": a concurrent submission
    # waits for the row, then finds nothing to update (PostgreSQL checks the WHERE again
    # against the committed row; SQLite runs one writer at a time) and leaves the
    # answers alone.
    claimed = Attempt.objects.filter(pk=attempt.pk, status=Attempt.Status.IN_PROGRESS).update(
        status=Attempt.Status.GRADED, submitted_at=submitted_at, late=late, score=score, passed=passed
    )
    if not claimed:
        attempt.refresh_from_db()
        return
    _save_answers(items)
    attempt.status, attempt.submitted_at, attempt.late = Attempt.Status.GRADED, submitted_at, late
    attempt.score, attempt.passed = score, passed
    if not (passed and assessment.is_exam):
        return  # only a passed exam can complete a course
    user = user or attempt.user
    course = assessment.course
    completes_course = False  # read by the callback when it runs, after the check below
    transaction.on_commit(
        lambda: signals.exam_passed.send(
            sender=Assessment,
            user=user,
            assessment=assessment,
            attempt=attempt,
            course=course,
            score=score,
            completes_course=completes_course,
        )
    )
    enrolment = enrolment_locked(user, course)
    if enrolment is not None and enrolment.completed_at is None:
        enrolment.user = user
        if enrolment.course_id == course.pk:
            enrolment.course = course
        refresh_course_completion(enrolment=enrolment, locked=True)
        completes_course = enrolment.completed_at is not None  # set only when this call completed it


def _save_answers(items: list[_Item]) -> None:
    """Write the graded answers. On PostgreSQL one UPDATE joins the table to a list of
    values; on SQLite, where a statement costs no round trip, one UPDATE per answer is
    sent as a batch.

    `bulk_update` would build a CASE expression per field over every row, which costs
    more than the grading itself for a long exam.
    """
    if not items:
        return
    table = connection.ops.quote_name(AttemptQuestion._meta.db_table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            values = ", ".join(["(%s, CAST(%s AS jsonb), CAST(%s AS numeric))"] * len(items))
            cursor.execute(
                f"UPDATE {table} AS answer SET response = given.response, earned = given.earned "  # noqa: S608 - no user input
                f"FROM (VALUES {values}) AS given (id, response, earned) WHERE answer.id = given.id",
                [value for item in items for value in (item.pk, json.dumps(item.response), item.earned)],
            )
        else:
            cursor.executemany(
                f"UPDATE {table} SET response = %s, earned = %s WHERE id = %s",  # noqa: S608 - no user input
                [(json.dumps(item.response), item.earned, item.pk) for item in items],
            )


def _minutes_left(ready_at) -> int:
    seconds = (ready_at - clock.now()).total_seconds()
    return max(1, int(-(-seconds // 60)))


def scripted_answers(attempt: Attempt, *, right: bool) -> dict[int, dict[str, list[str]]]:
    """Answers for every question of an attempt, all right or all wrong (demo data and tests)."""
    from courses.answer_forms import correct_fields, wrong_fields

    fields = correct_fields if right else wrong_fields
    items = attempt.questions.only("pk", "position", "choice_order", "key")
    return {
        item.position: encode(item.key["kind"], item.choice_order, fields(key_from_json(item.key))) for item in items
    }
