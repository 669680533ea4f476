"""Racing requests of one person: grading, starting attempts, enrolling, completing (PostgreSQL)."""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Callable

import pytest
from django.db import connection

from courses import signals
from courses.models import Attempt, AttemptQuestion, Enrolment, LessonCompletion, LessonPage
from courses.services import CourseActionError
from courses.services import attempts as attempt_services
from courses.services import progress as progress_services
from courses.services.attempts import scripted_answers, start_attempt, submit_attempt
from courses.services.enrolment import enrol_learner
from courses.services.progress import complete_lesson
from tests.concurrency import run_together as run_concurrently
from tests.courses import builders

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (set DATABASE_URL)"),
]

# Serialized rollback, as in every transactional test here: the flush afterwards must not
# re-run post_migrate, or the next test could not restore the migrated data.
transactional = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def run_together(count: int, action: Callable[[], object]) -> list[tuple[str, object]]:
    return run_concurrently(count, action, refusals=(CourseActionError,))


@pytest.fixture
def received():
    events: list[str] = []
    connected = []
    for name in ("lesson_completed", "course_completed", "exam_passed"):
        signal = getattr(signals, name)

        def receiver(sender, _name=name, **kwargs):
            events.append(_name)

        signal.connect(receiver, weak=False)
        connected.append((signal, receiver))
    yield events
    for signal, receiver in connected:
        signal.disconnect(receiver)


def crashes(outcomes) -> list[object]:
    return [result for kind, result in outcomes if kind == "crashed"]


@transactional
def test_fifty_simultaneous_submissions_grade_the_attempt_once(learner, received):
    course = builders.course(lessons=0, questions=7)
    exam = course.assessments.get()
    enrol_learner(user=learner, course=course)
    attempt = start_attempt(user=learner, assessment=exam)
    answers = scripted_answers(attempt, right=True)

    outcomes = run_together(50, lambda: submit_attempt(user=learner, attempt=attempt, answers=answers))

    assert crashes(outcomes) == []
    assert {kind for kind, _result in outcomes} == {"ok"}
    assert {(result.pk, result.status, result.score) for _kind, result in outcomes} == {
        (attempt.pk, Attempt.Status.GRADED, 100)
    }
    graded = Attempt.objects.get()
    assert (graded.status, graded.score, graded.passed, graded.late) == (Attempt.Status.GRADED, 100, True, False)
    assert set(AttemptQuestion.objects.values_list("earned", flat=True)) == {1}
    assert received.count("exam_passed") == 1
    assert received.count("course_completed") == 1
    assert Enrolment.objects.filter(user=learner, completed_at__isnull=False).count() == 1


@transactional
@pytest.mark.parametrize("max_attempts", [1, None])
def test_twenty_simultaneous_starts_create_one_attempt(learner, max_attempts):
    course = builders.course(lessons=0, questions=5)
    exam = course.assessments.get()
    exam.max_attempts = max_attempts
    exam.save()
    enrol_learner(user=learner, course=course)

    outcomes = run_together(20, lambda: start_attempt(user=learner, assessment=exam))

    assert crashes(outcomes) == []
    attempt = Attempt.objects.get()
    assert (attempt.number, attempt.status) == (1, Attempt.Status.IN_PROGRESS)
    assert {result.pk for kind, result in outcomes if kind == "ok"} == {attempt.pk}
    assert AttemptQuestion.objects.filter(attempt=attempt).count() == 5


@transactional
def test_simultaneous_starts_after_the_last_allowed_attempt_create_nothing(learner):
    course = builders.course(lessons=0, questions=3)
    exam = course.assessments.get()
    exam.max_attempts = 1
    exam.save()
    enrol_learner(user=learner, course=course)
    first = start_attempt(user=learner, assessment=exam)
    submit_attempt(user=learner, attempt=first, answers=scripted_answers(first, right=False))

    outcomes = run_together(20, lambda: start_attempt(user=learner, assessment=exam))

    assert {kind for kind, _result in outcomes} == {"refused"}
    assert list(Attempt.objects.values_list("pk", flat=True)) == [first.pk]


@transactional
def test_ten_simultaneous_enrolments_create_one_enrolment(learner):
    course = builders.course(lessons=1, exam=False)

    outcomes = run_together(10, lambda: enrol_learner(user=learner, course=course))

    assert crashes(outcomes) == []
    enrolment = Enrolment.objects.get()
    assert (enrolment.user_id, enrolment.course_id) == (learner.pk, course.pk)
    assert {(kind, result.pk) for kind, result in outcomes} == {("ok", enrolment.pk)}


@transactional
def test_ten_simultaneous_completions_of_a_lesson_record_it_once(learner, received):
    course = builders.course(lessons=2, exam=False)
    lesson = LessonPage.objects.child_of(course).first()
    enrol_learner(user=learner, course=course)

    outcomes = run_together(10, lambda: complete_lesson(user=learner, lesson=lesson))

    assert crashes(outcomes) == []
    assert LessonCompletion.objects.filter(user=learner, lesson=lesson).count() == 1
    assert received == ["lesson_completed"]


@transactional
@pytest.mark.parametrize("last_steps", ["two lessons", "lesson and exam"])
def test_finishing_the_last_two_steps_at_once_completes_the_course(learner, received, monkeypatch, last_steps):
    course = builders.course(lessons=2, questions=3, exam=last_steps == "lesson and exam")
    first, second = LessonPage.objects.child_of(course).order_by("path")
    enrol_learner(user=learner, course=course)
    if last_steps == "two lessons":
        steps = [
            lambda: complete_lesson(user=learner, lesson=first),
            lambda: complete_lesson(user=learner, lesson=second),
        ]
    else:
        complete_lesson(user=learner, lesson=first)
        attempt = start_attempt(user=learner, assessment=course.assessments.get())
        answers = scripted_answers(attempt, right=True)
        steps = [
            lambda: complete_lesson(user=learner, lesson=second),
            lambda: submit_attempt(user=learner, attempt=attempt, answers=answers),
        ]
    # The interleaving two requests a moment apart can have: both steps have written their row, uncommitted,
    # before either checks whether the course is done, and both have checked before either commits. A fix
    # that serializes the check makes one request wait for the other; the rendezvous then times out and
    # lets it go on.
    both_written = threading.Barrier(2, timeout=10)
    both_checked = threading.Barrier(2, timeout=10)
    refresh = progress_services.refresh_course_completion

    def meet(barrier: threading.Barrier) -> None:
        with contextlib.suppress(threading.BrokenBarrierError):
            barrier.wait()

    def refresh_in_lockstep(*, enrolment, **options):
        meet(both_written)
        done = refresh(enrolment=enrolment, **options)
        meet(both_checked)
        return done

    monkeypatch.setattr(progress_services, "refresh_course_completion", refresh_in_lockstep)
    monkeypatch.setattr(attempt_services, "refresh_course_completion", refresh_in_lockstep)
    remaining = iter(steps)
    lock = threading.Lock()

    def next_step():
        with lock:
            step = next(remaining)
        return step()

    outcomes = run_together(2, next_step)

    assert crashes(outcomes) == []
    assert Enrolment.objects.get(user=learner).completed_at is not None
    assert received.count("course_completed") == 1
