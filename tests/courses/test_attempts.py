"""Starting, submitting and grading quiz and exam attempts (services, no HTTP)."""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from courses.answer_forms import correct_fields, wrong_fields
from courses.grading import QuestionKind
from courses.models import Assessment, Attempt, AttemptQuestion, Question, QuestionBank
from courses.selectors import attempt_view
from courses.services import CourseActionError
from courses.services.attempts import (
    AttemptTooLate,
    answer_key,
    availability,
    scripted_answers,
    start_attempt,
    submit_attempt,
)
from courses.services.enrolment import enrol_learner
from lms import clock
from tests.courses import builders

pytestmark = pytest.mark.django_db

ALL_KINDS = [
    builders.single,
    builders.multiple,
    builders.true_false,
    builders.numeric,
    builders.short_text,
    builders.ordering,
    builders.matching,
]


# Helpers ----------------------------------------------------------------------------------


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.value = timezone.make_aware(datetime(2030, 5, 1, 10, 0))

    def __call__(self) -> datetime:
        return self.value

    def advance(self, **delta) -> datetime:
        self.value += timedelta(**delta)
        return self.value


@pytest.fixture
def now(monkeypatch) -> Clock:
    moving = Clock()
    monkeypatch.setattr(clock, "now", moving)
    return moving


@pytest.fixture
def course():
    return builders.course(title="Exam course", lessons=0, exam=False)


def make_exam(course, *makers, count: int | None = None, bank_name: str = "Exam bank", **options) -> Assessment:
    """An exam over a new bank holding one question per maker, drawing them all by default."""
    bank = QuestionBank.objects.create(name=bank_name, language="en")
    for number, maker in enumerate(makers, start=1):
        maker(bank, f"Question {number}")
    return builders.final_exam(course, bank, question_count=count or len(makers), **options)


@pytest.fixture
def enrolled(learner, course):
    enrol_learner(user=learner, course=course)
    return learner


def items_of(attempt: Attempt) -> list[AttemptQuestion]:
    return list(attempt.questions.select_related("question").prefetch_related("question__choices").order_by("position"))


def by_kind(attempt: Attempt) -> dict[str, AttemptQuestion]:
    return {item.question.kind: item for item in items_of(attempt)}


def drawn(attempt: Attempt) -> list[tuple[int, int, list[int]]]:
    return list(attempt.questions.order_by("position").values_list("position", "question_id", "choice_order"))


def right(item: AttemptQuestion) -> dict[str, list[str]]:
    return correct_fields(answer_key(item.question))


def wrong(item: AttemptQuestion) -> dict[str, list[str]]:
    return wrong_fields(answer_key(item.question))


def choice_ids(item: AttemptQuestion) -> list[str]:
    return [str(choice.pk) for choice in item.question.choices.all()]


def take(user, exam: Assessment, *, right: bool = True) -> Attempt:
    attempt = start_attempt(user=user, assessment=exam)
    return submit_attempt(user=user, attempt=attempt, answers=scripted_answers(attempt, right=right))


def set_points(exam, kind: str, points: int) -> None:
    """Before the attempt starts: an attempt keeps the points its questions had then."""
    Question.objects.filter(bank__in=exam.banks.all(), kind=kind).update(points=points)


def assert_untouched(attempt: Attempt) -> None:
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.IN_PROGRESS
    assert (attempt.submitted_at, attempt.score, attempt.passed, attempt.late) == (None, None, None, False)
    assert {(response, earned) for response, earned in attempt.questions.values_list("response", "earned")} == {
        (None, None)
    }


# Drawing questions at the start -------------------------------------------------------------


def test_questions_and_choice_order_are_fixed_when_the_attempt_starts(enrolled, course):
    exam = make_exam(course, *ALL_KINDS)

    attempt = start_attempt(user=enrolled, assessment=exam)

    items = items_of(attempt)
    assert [item.position for item in items] == list(range(1, 8))
    assert {item.question.kind for item in items} == set(QuestionKind)
    for item in items:
        assert sorted(item.choice_order) == sorted(int(pk) for pk in choice_ids(item)), item.question.kind
        assert item.response is None and item.earned is None
    assert attempt.number == 1 and attempt.status == Attempt.Status.IN_PROGRESS


def test_starting_again_reopens_the_same_attempt_with_the_same_questions(enrolled, course, now):
    exam = make_exam(course, *ALL_KINDS, builders.single, builders.single, count=5)
    attempt = start_attempt(user=enrolled, assessment=exam)
    before = drawn(attempt)
    bank = exam.banks.get()
    for number in range(5):  # the bank grows and a drawn question is retired meanwhile
        builders.single(bank, f"Added {number}")
    Question.objects.filter(pk=before[0][1]).update(is_active=False)
    now.advance(minutes=5)

    again = start_attempt(user=enrolled, assessment=exam)

    assert again.pk == attempt.pk
    assert drawn(again) == before
    assert Attempt.objects.count() == 1
    assert again.started_at == attempt.started_at


def test_the_attempt_page_shows_the_choices_in_the_drawn_order(enrolled, course):
    exam = make_exam(course, builders.multiple, builders.ordering)
    attempt = start_attempt(user=enrolled, assessment=exam)

    shown = {
        view.kind: [choice.id for choice in view.choices] for view in attempt_view(attempt, graded=False)["questions"]
    }

    for item in items_of(attempt):
        if item.question.kind == QuestionKind.ORDERING:
            assert shown["ordering"] == item.choice_order
        else:
            assert shown["multiple"] == item.choice_order


def test_without_shuffling_choices_keep_their_order_except_ordering_and_matching(enrolled, course):
    exam = make_exam(course, *ALL_KINDS, shuffle_choices=False)

    attempt = start_attempt(user=enrolled, assessment=exam)

    for item in items_of(attempt):
        in_order = [int(pk) for pk in choice_ids(item)]
        if item.question.kind in (QuestionKind.ORDERING, QuestionKind.MATCHING):
            assert item.choice_order != in_order  # seen in order they would give the answer away
        else:
            assert item.choice_order == in_order


def test_true_false_choices_are_never_shuffled(enrolled, course):
    exam = make_exam(course, *[builders.true_false] * 8)

    attempt = start_attempt(user=enrolled, assessment=exam)

    for item in items_of(attempt):
        assert item.choice_order == [int(pk) for pk in choice_ids(item)]


def test_later_attempts_draw_unseen_questions_first(enrolled, course):
    exam = make_exam(course, *[builders.single] * 10, count=5)
    everything = set(exam.banks.get().questions.values_list("pk", flat=True))

    first = {question for _p, question, _o in drawn(take(enrolled, exam))}
    second = {question for _p, question, _o in drawn(take(enrolled, exam))}
    third = {question for _p, question, _o in drawn(take(enrolled, exam))}

    assert len(first) == len(second) == len(third) == 5
    assert first.isdisjoint(second)
    assert first | second == everything
    assert third <= everything


def test_a_draw_takes_every_unseen_question_before_repeating_any(enrolled, course):
    exam = make_exam(course, *[builders.single] * 10, count=7)

    first = {question for _p, question, _o in drawn(take(enrolled, exam))}
    second = {question for _p, question, _o in drawn(take(enrolled, exam))}

    unseen = set(exam.banks.get().questions.values_list("pk", flat=True)) - first
    assert len(unseen) == 3 and unseen <= second
    assert len(second) == 7


def test_retired_questions_are_not_drawn_and_a_small_pool_is_drawn_whole(enrolled, course):
    exam = make_exam(course, *[builders.single] * 4, count=10)
    retired = exam.banks.get().questions.first()
    retired.is_active = False
    retired.save()

    questions = {question for _p, question, _o in drawn(start_attempt(user=enrolled, assessment=exam))}

    assert len(questions) == 3 and retired.pk not in questions


def test_an_exam_without_questions_cannot_start(enrolled, course):
    exam = builders.final_exam(course, QuestionBank.objects.create(name="Empty", language="en"))

    with pytest.raises(CourseActionError):
        start_attempt(user=enrolled, assessment=exam)

    assert not Attempt.objects.exists()


def test_starting_needs_an_enrolment(learner, course):
    exam = make_exam(course, builders.single)

    with pytest.raises(CourseActionError) as caught:
        start_attempt(user=learner, assessment=exam)

    assert caught.value.status == 403
    assert not Attempt.objects.exists()


# Limits ---------------------------------------------------------------------------------------


def test_the_attempt_limit_refuses_a_further_attempt(enrolled, course):
    exam = make_exam(course, builders.single, max_attempts=2)
    take(enrolled, exam, right=False)
    assert availability(user=enrolled, assessment=exam) is None
    take(enrolled, exam, right=False)

    with pytest.raises(CourseActionError) as caught:
        start_attempt(user=enrolled, assessment=exam)

    assert caught.value.status == 409 and "2" in caught.value.message
    assert availability(user=enrolled, assessment=exam)
    assert list(Attempt.objects.values_list("number", flat=True)) == [1, 2]


def test_an_open_attempt_at_the_limit_can_still_be_resumed(enrolled, course):
    exam = make_exam(course, builders.single, max_attempts=1)
    attempt = start_attempt(user=enrolled, assessment=exam)

    assert availability(user=enrolled, assessment=exam) is None
    assert start_attempt(user=enrolled, assessment=exam).pk == attempt.pk


def test_the_cooldown_refuses_a_new_attempt_until_it_has_passed(enrolled, course, now):
    exam = make_exam(course, builders.single, cooldown_minutes=60)
    submitted = take(enrolled, exam, right=False)
    assert submitted.submitted_at == now.value

    now.advance(minutes=59, seconds=59)
    with pytest.raises(CourseActionError) as caught:
        start_attempt(user=enrolled, assessment=exam)
    assert caught.value.status == 409 and "1 minutes" in caught.value.message
    assert Attempt.objects.count() == 1

    now.advance(seconds=1)  # exactly an hour after the submission
    assert availability(user=enrolled, assessment=exam) is None
    assert start_attempt(user=enrolled, assessment=exam).number == 2


def test_the_cooldown_message_counts_whole_minutes_left(enrolled, course, now):
    exam = make_exam(course, builders.single, cooldown_minutes=30)
    take(enrolled, exam, right=False)

    now.advance(minutes=10, seconds=30)

    assert "20 minutes" in availability(user=enrolled, assessment=exam)


def test_an_exam_that_requires_practice_waits_for_every_practice_quiz_to_be_passed(enrolled, course):
    exam = make_exam(course, builders.single, requires_practice=True)
    quizzes = []
    for number in (1, 2):
        quiz = make_exam(course, builders.single, bank_name=f"Practice {number}", kind=Assessment.Kind.PRACTICE)
        quizzes.append(quiz)

    def refused() -> None:
        with pytest.raises(CourseActionError) as caught:
            start_attempt(user=enrolled, assessment=exam)
        assert caught.value.status == 409

    refused()
    take(enrolled, quizzes[0], right=False)
    refused()
    take(enrolled, quizzes[0], right=True)
    refused()  # one practice quiz is still to pass
    take(enrolled, quizzes[1], right=True)

    assert start_attempt(user=enrolled, assessment=exam).assessment_id == exam.pk
    assert Attempt.objects.filter(assessment=exam).count() == 1


def test_an_exam_that_requires_practice_opens_when_the_course_has_none(enrolled, course):
    exam = make_exam(course, builders.single, requires_practice=True)

    assert start_attempt(user=enrolled, assessment=exam).assessment_id == exam.pk


# Deadlines ---------------------------------------------------------------------------------------


def test_a_submission_after_deadline_and_grace_is_refused_and_graded_as_of_the_deadline(enrolled, course, now):
    exam = make_exam(course, *ALL_KINDS, time_limit_minutes=10, grace_seconds=30, pass_mark=10)
    started = now.value
    attempt = start_attempt(user=enrolled, assessment=exam)
    assert attempt.deadline == started + timedelta(minutes=10)
    answers = scripted_answers(attempt, right=True)

    now.advance(minutes=10, seconds=31)
    with pytest.raises(AttemptTooLate) as caught:
        submit_attempt(user=enrolled, attempt=attempt, answers=answers)

    assert caught.value.status == 409
    attempt.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED
    assert attempt.late is True
    assert attempt.submitted_at == attempt.deadline
    assert (attempt.score, attempt.passed) == (Decimal(0), False)
    assert [(response, earned) for response, earned in attempt.questions.values_list("response", "earned")] == [
        ({}, Decimal(0))
    ] * 7


@pytest.mark.parametrize("after_deadline", [timedelta(0), timedelta(seconds=29), timedelta(seconds=30)])
def test_a_submission_within_the_grace_period_counts(enrolled, course, now, after_deadline):
    exam = make_exam(course, builders.single, builders.numeric, time_limit_minutes=10, grace_seconds=30)
    attempt = start_attempt(user=enrolled, assessment=exam)

    now.value = attempt.deadline + after_deadline
    graded = submit_attempt(user=enrolled, attempt=attempt, answers=scripted_answers(attempt, right=True))

    graded.refresh_from_db()
    assert (graded.late, graded.score, graded.passed) == (False, Decimal(100), True)
    assert graded.submitted_at == now.value


def test_an_untimed_attempt_has_no_deadline(enrolled, course, now):
    exam = make_exam(course, builders.single)
    attempt = start_attempt(user=enrolled, assessment=exam)

    now.advance(days=30)
    graded = submit_attempt(user=enrolled, attempt=attempt, answers=scripted_answers(attempt, right=True))

    assert attempt.deadline is None
    assert (graded.late, graded.passed) == (False, True)


def test_a_stale_open_attempt_is_closed_when_the_next_one_starts(enrolled, course, now):
    exam = make_exam(course, builders.single, time_limit_minutes=10, grace_seconds=30)
    stale = start_attempt(user=enrolled, assessment=exam)

    now.advance(minutes=10, seconds=31)
    fresh = start_attempt(user=enrolled, assessment=exam)

    assert fresh.pk != stale.pk and fresh.number == 2
    assert fresh.deadline == now.value + timedelta(minutes=10)
    stale.refresh_from_db()
    assert stale.status == Attempt.Status.GRADED
    assert (stale.late, stale.submitted_at, stale.score, stale.passed) == (True, stale.deadline, Decimal(0), False)


def test_an_open_attempt_within_its_grace_period_is_resumed(enrolled, course, now):
    exam = make_exam(course, builders.single, time_limit_minutes=10, grace_seconds=30)
    attempt = start_attempt(user=enrolled, assessment=exam)

    now.advance(minutes=10, seconds=30)

    assert start_attempt(user=enrolled, assessment=exam).pk == attempt.pk
    attempt.refresh_from_db()
    assert attempt.is_open


@pytest.mark.parametrize("rule", [{"max_attempts": 1}, {"cooldown_minutes": 60}])
def test_a_stale_open_attempt_is_closed_even_when_no_new_attempt_may_start(enrolled, course, now, rule):
    exam = make_exam(course, builders.single, time_limit_minutes=10, grace_seconds=30, **rule)
    stale = start_attempt(user=enrolled, assessment=exam)

    now.advance(minutes=11)
    with pytest.raises(CourseActionError):
        start_attempt(user=enrolled, assessment=exam)

    stale.refresh_from_db()
    assert stale.status == Attempt.Status.GRADED
    assert (stale.late, stale.submitted_at) == (True, stale.deadline)


# Tampered answers --------------------------------------------------------------------------------


def _unknown_position(items):
    return {99: {"choice": choice_ids(items["single"])[:1]}}


def _position_zero(items):
    return {0: {"choice": choice_ids(items["single"])[:1]}}


def _position_as_text(items):
    return {str(items["single"].position): right(items["single"])}


def _choice_of_another_question(items):
    return {items["single"].position: {"choice": choice_ids(items["multiple"])[:1]}}


def _choice_not_a_number(items):
    return {items["single"].position: {"choice": ["first"]}}


def _choice_with_a_sign(items):
    return {items["single"].position: {"choice": ["+" + choice_ids(items["single"])[0]]}}


def _two_choices_for_single(items):
    return {items["single"].position: {"choice": choice_ids(items["single"])[:2]}}


def _both_true_and_false(items):
    return {items["true_false"].position: {"choice": choice_ids(items["true_false"])}}


def _a_choice_picked_twice(items):
    first = choice_ids(items["multiple"])[0]
    return {items["multiple"].position: {"choices": [first, first]}}


def _ordering_missing_a_choice(items):
    return {items["ordering"].position: {"order": choice_ids(items["ordering"])[:-1]}}


def _ordering_repeating_a_choice(items):
    ids = choice_ids(items["ordering"])
    return {items["ordering"].position: {"order": [ids[0], ids[0], ids[1]]}}


def _ordering_with_a_foreign_choice(items):
    ids = choice_ids(items["ordering"])
    return {items["ordering"].position: {"order": [*ids[:-1], choice_ids(items["single"])[0]]}}


def _matching_a_foreign_choice(items):
    ids = choice_ids(items["matching"])
    return {items["matching"].position: {f"match-{ids[0]}": choice_ids(items["single"])[:1]}}


def _matching_one_choice_twice(items):
    ids = choice_ids(items["matching"])
    return {items["matching"].position: {f"match-{ids[0]}": [ids[0]], f"match-{ids[1]}": [ids[0]]}}


def _text_too_long(items):
    return {items["short_text"].position: {"text": ["x" * 501]}}


def _two_numbers(items):
    return {items["numeric"].position: {"value": ["42", "43"]}}


TAMPERED = [
    _unknown_position,
    _position_zero,
    _position_as_text,
    _choice_of_another_question,
    _choice_not_a_number,
    _choice_with_a_sign,
    _two_choices_for_single,
    _both_true_and_false,
    _a_choice_picked_twice,
    _ordering_missing_a_choice,
    _ordering_repeating_a_choice,
    _ordering_with_a_foreign_choice,
    _matching_a_foreign_choice,
    _matching_one_choice_twice,
    _text_too_long,
    _two_numbers,
]


@pytest.mark.parametrize("tamper", TAMPERED, ids=[tamper.__name__.strip("_") for tamper in TAMPERED])
def test_tampered_answers_are_refused_and_the_attempt_stays_open_with_nothing_saved(enrolled, course, tamper):
    exam = make_exam(course, *ALL_KINDS)
    attempt = start_attempt(user=enrolled, assessment=exam)
    items = by_kind(attempt)
    answers = {item.position: right(item) for item in items.values()}  # every other answer is honest
    answers.update(tamper(items))

    with pytest.raises(CourseActionError) as caught:
        submit_attempt(user=enrolled, attempt=attempt, answers=answers)

    assert not isinstance(caught.value, AttemptTooLate)
    assert caught.value.status == 400
    assert_untouched(attempt)
    honest = submit_attempt(user=enrolled, attempt=attempt, answers=scripted_answers(attempt, right=True))
    assert honest.score == Decimal(100)  # the attempt can still be submitted properly


def test_the_attempt_of_another_person_is_refused(enrolled, course, organization, make_member):
    exam = make_exam(course, builders.single)
    attempt = start_attempt(user=enrolled, assessment=exam)
    intruder = make_member(organization)
    enrol_learner(user=intruder, course=course)

    with pytest.raises(CourseActionError) as caught:
        submit_attempt(user=intruder, attempt=attempt, answers=scripted_answers(attempt, right=True))

    assert caught.value.status == 404
    assert_untouched(attempt)
    assert start_attempt(user=intruder, assessment=exam).pk != attempt.pk  # they get their own


# Grading -----------------------------------------------------------------------------------------


def test_every_kind_answered_right_scores_100_and_wrong_scores_0(enrolled, course):
    exam = make_exam(course, *ALL_KINDS)

    passed = take(enrolled, exam, right=True)
    failed = take(enrolled, exam, right=False)

    assert (passed.score, passed.passed) == (Decimal(100), True)
    assert (failed.score, failed.passed) == (Decimal(0), False)
    assert set(passed.questions.values_list("earned", flat=True)) == {Decimal(1)}
    assert set(failed.questions.values_list("earned", flat=True)) == {Decimal(0)}


def test_unanswered_questions_earn_nothing(enrolled, course):
    exam = make_exam(course, builders.single, builders.numeric)
    attempt = start_attempt(user=enrolled, assessment=exam)
    items = by_kind(attempt)

    graded = submit_attempt(user=enrolled, attempt=attempt, answers={items["single"].position: right(items["single"])})

    assert graded.score == Decimal(50)
    numeric = AttemptQuestion.objects.get(pk=items["numeric"].pk)
    assert (numeric.response, numeric.earned) == ({}, Decimal(0))


def test_submitting_twice_grades_once(enrolled, course, now):
    exam = make_exam(course, *ALL_KINDS)
    attempt = start_attempt(user=enrolled, assessment=exam)
    first = submit_attempt(user=enrolled, attempt=attempt, answers=scripted_answers(attempt, right=True))
    graded_answers = list(attempt.questions.order_by("position").values_list("response", "earned"))

    now.advance(minutes=3)
    second = submit_attempt(user=enrolled, attempt=attempt, answers=scripted_answers(attempt, right=False))

    assert second.pk == first.pk
    second.refresh_from_db()
    assert (second.score, second.passed, second.submitted_at) == (Decimal(100), True, first.submitted_at)
    assert list(attempt.questions.order_by("position").values_list("response", "earned")) == graded_answers
    assert all(earned == 1 for _response, earned in graded_answers)
    assert Attempt.objects.count() == 1


@pytest.mark.parametrize(
    ("single_answer", "multiple_answer", "score"),
    [
        ("right", "right", Decimal("100.00")),
        ("right", "half", Decimal("87.50")),  # (3 × 1 + 1 × 0.5) / 4
        ("right", "wrong", Decimal("75.00")),
        ("wrong", "right", Decimal("25.00")),
        ("wrong", "half", Decimal("12.50")),
    ],
)
def test_partial_credit_is_weighted_by_points(enrolled, course, single_answer, multiple_answer, score):
    exam = make_exam(course, builders.single, builders.multiple)
    set_points(exam, "single", 3)
    attempt = start_attempt(user=enrolled, assessment=exam)
    items = by_kind(attempt)
    single, multiple = items["single"], items["multiple"]
    correct = [str(choice.pk) for choice in multiple.question.choices.all() if choice.correct]
    answers = {
        single.position: right(single) if single_answer == "right" else wrong(single),
        multiple.position: {
            "right": right(multiple),
            "half": {"choices": correct[:1]},
            "wrong": wrong(multiple),
        }[multiple_answer],
    }

    graded = submit_attempt(user=enrolled, attempt=attempt, answers=answers)

    assert graded.score == score
    assert (
        AttemptQuestion.objects.get(pk=multiple.pk).earned
        == {"right": 1, "half": Decimal("0.5"), "wrong": 0}[multiple_answer]
    )


def test_a_wrong_pick_cancels_a_right_one_under_partial_credit(enrolled, course):
    exam = make_exam(course, builders.multiple)
    attempt = start_attempt(user=enrolled, assessment=exam)
    item = items_of(attempt)[0]
    choices = list(item.question.choices.all())
    one_right_one_wrong = [str(choices[0].pk), str(choices[2].pk)]  # A is right, C is wrong

    graded = submit_attempt(user=enrolled, attempt=attempt, answers={item.position: {"choices": one_right_one_wrong}})

    assert graded.score == Decimal(0)


@pytest.mark.parametrize(
    ("questions", "right_answers", "pass_mark", "passed"),
    [
        (4, 2, 50, True),  # exactly the pass mark passes
        (4, 2, 51, False),
        (4, 3, 75, True),
        (4, 4, 100, True),
        (4, 3, 100, False),
        (3, 2, 66, True),  # 66.67%
        (3, 2, 67, False),
        (1, 0, 1, False),
    ],
)
def test_the_pass_mark_boundary(enrolled, course, questions, right_answers, pass_mark, passed):
    exam = make_exam(course, *[builders.single] * questions, pass_mark=pass_mark)
    attempt = start_attempt(user=enrolled, assessment=exam)
    items = items_of(attempt)
    answers = {item.position: right(item) if n < right_answers else wrong(item) for n, item in enumerate(items)}

    graded = submit_attempt(user=enrolled, attempt=attempt, answers=answers)

    expected = (Decimal(100) * right_answers / questions).quantize(Decimal("0.01"))
    assert graded.score == expected
    assert graded.passed is passed
    graded.refresh_from_db()
    assert (graded.score, graded.passed) == (expected, passed)


def test_attempt_numbers_count_up_per_person(enrolled, course, organization, make_member):
    exam = make_exam(course, builders.single)
    other = make_member(organization)
    enrol_learner(user=other, course=course)

    take(enrolled, exam)
    take(other, exam)
    take(enrolled, exam)

    assert sorted(Attempt.objects.values_list("user_id", "number")) == sorted(
        [(enrolled.pk, 1), (enrolled.pk, 2), (other.pk, 1)]
    )


def test_an_attempt_is_graded_by_the_key_it_started_with(enrolled, course):
    exam = make_exam(course, builders.single)
    attempt = start_attempt(user=enrolled, assessment=exam)
    item = attempt.questions.get()
    answers = {item.position: right(item)}
    # The author changes the right answer while the learner is answering.
    item.question.choices.update(correct=False)
    item.question.choices.filter(text="B").update(correct=True)

    graded = submit_attempt(user=enrolled, attempt=attempt, answers=answers)

    assert graded.score == 100
