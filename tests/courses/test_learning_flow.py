"""A learner's whole way through a course, service by service."""

from __future__ import annotations

import pytest

from courses import signals
from courses.blocks import knowledge_check_ids
from courses.models import Attempt, Enrolment, LessonPage
from courses.services.attempts import scripted_answers, start_attempt, submit_attempt
from courses.services.enrolment import enrol_learner
from courses.services.progress import answer_knowledge_check, complete_lesson
from tests.courses import builders

pytestmark = pytest.mark.django_db(transaction=False)


def test_enrol_learn_pass_and_complete(learner, django_capture_on_commit_callbacks):
    course = builders.course(checks=1, questions=7)
    exam = course.assessments.get()
    received = []
    for signal in (signals.lesson_completed, signals.course_completed, signals.exam_passed):
        signal.connect(lambda sender, signal=signal, **kwargs: received.append((signal, kwargs)), weak=False)

    with django_capture_on_commit_callbacks(execute=True):
        enrolment = enrol_learner(user=learner, course=course)
        for lesson in LessonPage.objects.child_of(course):
            for block_id in knowledge_check_ids(lesson.body):
                answer_knowledge_check(user=learner, lesson=lesson, block_id=block_id, chosen=["0"])
            complete_lesson(user=learner, lesson=lesson)
        attempt = start_attempt(user=learner, assessment=exam)
        submit_attempt(user=learner, attempt=attempt, answers=scripted_answers(attempt, right=True))

    attempt.refresh_from_db()
    enrolment.refresh_from_db()
    assert attempt.status == Attempt.Status.GRADED and attempt.score == 100 and attempt.passed
    assert enrolment.completed_at is not None
    kinds = [signal for signal, _kwargs in received]
    assert kinds.count(signals.lesson_completed) == 3
    assert kinds.count(signals.exam_passed) == 1
    assert kinds.count(signals.course_completed) == 1
    assert Enrolment.objects.get(pk=enrolment.pk).completed_at
