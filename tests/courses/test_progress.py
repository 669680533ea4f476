"""Lesson progress, course completion, resuming and the progress signals (services, no HTTP)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from wagtail.models import Locale

from courses import signals
from courses.blocks import knowledge_check_ids
from courses.models import (
    Assessment,
    CoursePage,
    Enrolment,
    KnowledgeCheckAnswer,
    LessonCompletion,
    LessonPage,
)
from courses.progress import course_progress
from courses.reports import progress_for
from courses.selectors import course_overview, lesson_context
from courses.services import CourseActionError
from courses.services.attempts import scripted_answers, start_attempt, submit_attempt
from courses.services.enrolment import enrol_learner, withdraw_learner
from courses.services.progress import (
    answer_knowledge_check,
    complete_lesson,
    counting_attempts,
    record_visit,
    unanswered_checks,
)
from tests.courses import builders

pytestmark = pytest.mark.django_db

DOCUMENTED_KWARGS = {
    "lesson_completed": {"user", "lesson", "course", "completed_at"},
    "course_completed": {"user", "course", "enrolment", "completed_at"},
    "exam_passed": {"user", "assessment", "attempt", "course", "score", "completes_course"},
}


# Helpers ----------------------------------------------------------------------------------


def lessons_of(course: CoursePage) -> list[LessonPage]:
    return list(LessonPage.objects.child_of(course).order_by("path"))


def add_lesson(course: CoursePage, slug: str, **fields) -> LessonPage:
    return builders.publish(course, LessonPage(title=slug.title(), slug=slug, body=builders.lesson_body(), **fields))


def answer_every_check(user, lesson: LessonPage, choice: str = "0") -> None:
    for block_id in knowledge_check_ids(lesson.body):
        answer_knowledge_check(user=user, lesson=lesson, block_id=block_id, chosen=[choice])


def take_exam(user, exam: Assessment, *, right: bool):
    attempt = start_attempt(user=user, assessment=exam)
    return submit_attempt(user=user, attempt=attempt, answers=scripted_answers(attempt, right=right))


def enrolment_of(user, course: CoursePage) -> Enrolment:
    return Enrolment.objects.select_related("course").get(user=user, course=course)


def persian(page):
    builders.catalog("fa")
    translation = page.copy_for_translation(Locale.objects.get(language_code="fa"))
    translation.save_revision().publish()
    return type(page).objects.get(pk=translation.pk)


def percents(user, course: CoursePage) -> tuple[int, int, bool]:
    """The course page's percentage, the reports' percentage, and whether the course is completed."""
    page = course_overview(user, course).progress
    row = progress_for([enrolment_of(user, course)])[0]
    return page.percent, row.progress.percent, row.progress.completed


@pytest.fixture
def received():
    """Every progress signal sent, as (name, kwargs without `signal`)."""
    events: list[tuple[str, dict]] = []
    connected = []
    for name in DOCUMENTED_KWARGS:
        signal = getattr(signals, name)

        def receiver(sender, _name=name, **kwargs):
            kwargs.pop("signal", None)
            events.append((_name, kwargs))

        signal.connect(receiver, weak=False)
        connected.append((signal, receiver))
    yield events
    for signal, receiver in connected:
        signal.disconnect(receiver)


def names(events) -> list[str]:
    return [name for name, _kwargs in events]


# Knowledge checks and completing lessons ----------------------------------------------------


def test_a_lesson_cannot_be_completed_until_every_knowledge_check_is_answered(learner):
    course = builders.course(lessons=1, checks=2, exam=False)
    lesson = lessons_of(course)[0]
    first_check, second_check = knowledge_check_ids(lesson.body)
    enrol_learner(user=learner, course=course)

    with pytest.raises(CourseActionError) as caught:
        complete_lesson(user=learner, lesson=lesson)
    assert caught.value.status == 409

    answer_knowledge_check(user=learner, lesson=lesson, block_id=first_check, chosen=["0"])
    assert unanswered_checks(user=learner, lesson=lesson) == [second_check]
    with pytest.raises(CourseActionError):
        complete_lesson(user=learner, lesson=lesson)
    assert not LessonCompletion.objects.exists()

    answer_knowledge_check(user=learner, lesson=lesson, block_id=second_check, chosen=["1"])  # wrong still counts
    complete_lesson(user=learner, lesson=lesson)
    assert LessonCompletion.objects.filter(user=learner, lesson=lesson).exists()


def test_a_lesson_cannot_be_completed_without_an_enrolment(learner):
    course = builders.course(lessons=1, exam=False)

    with pytest.raises(CourseActionError) as caught:
        complete_lesson(user=learner, lesson=lessons_of(course)[0])

    assert caught.value.status == 403
    assert not LessonCompletion.objects.exists()


def test_a_knowledge_check_cannot_be_answered_without_an_enrolment(learner):
    course = builders.course(lessons=1, checks=1, exam=False)
    lesson = lessons_of(course)[0]

    with pytest.raises(CourseActionError) as caught:
        answer_knowledge_check(user=learner, lesson=lesson, block_id=knowledge_check_ids(lesson.body)[0], chosen=["0"])

    assert caught.value.status == 403
    assert not KnowledgeCheckAnswer.objects.exists()


def test_a_knowledge_check_answer_is_marked_right_or_wrong(learner):
    course = builders.course(lessons=1, checks=2, exam=False)
    lesson = lessons_of(course)[0]
    first_check, second_check = knowledge_check_ids(lesson.body)
    enrol_learner(user=learner, course=course)

    right = answer_knowledge_check(user=learner, lesson=lesson, block_id=first_check, chosen=["0"])
    wrong = answer_knowledge_check(user=learner, lesson=lesson, block_id=second_check, chosen=["1"])

    assert (right.chosen, right.correct) == ([0], True)
    assert (wrong.chosen, wrong.correct) == ([1], False)


def test_the_first_answer_to_a_knowledge_check_is_the_one_kept(learner):
    course = builders.course(lessons=1, checks=1, exam=False)
    lesson = lessons_of(course)[0]
    block_id = knowledge_check_ids(lesson.body)[0]
    enrol_learner(user=learner, course=course)
    answer_knowledge_check(user=learner, lesson=lesson, block_id=block_id, chosen=["1"])

    again = answer_knowledge_check(user=learner, lesson=lesson, block_id=block_id, chosen=["0"])

    assert (again.chosen, again.correct) == ([1], False)
    assert KnowledgeCheckAnswer.objects.count() == 1


@pytest.mark.parametrize(
    "chosen",
    [["2"], ["99"], ["-1"], ["x"], ["1.0"], [" 0"], ["٠"], ["0", "1"], ["0", "0"], []],
    ids=["out-of-range", "far-out", "negative", "letter", "decimal", "space", "persian-digit", "two", "twice", "none"],
)
def test_a_tampered_knowledge_check_answer_is_refused_and_records_nothing(learner, chosen):
    course = builders.course(lessons=1, checks=1, exam=False)
    lesson = lessons_of(course)[0]
    enrol_learner(user=learner, course=course)

    with pytest.raises(CourseActionError) as caught:
        answer_knowledge_check(user=learner, lesson=lesson, block_id=knowledge_check_ids(lesson.body)[0], chosen=chosen)

    assert caught.value.status == 400
    assert not KnowledgeCheckAnswer.objects.exists()
    assert unanswered_checks(user=learner, lesson=lesson) == knowledge_check_ids(lesson.body)


@pytest.mark.parametrize("block_id", ["no-such-block", "", "0"])
def test_an_unknown_knowledge_check_is_refused_and_records_nothing(learner, block_id):
    course = builders.course(lessons=2, checks=1, exam=False)
    lesson, other_lesson = lessons_of(course)
    enrol_learner(user=learner, course=course)

    for wrong_id in (block_id, knowledge_check_ids(other_lesson.body)[0]):  # another lesson's check does not count
        with pytest.raises(CourseActionError) as caught:
            answer_knowledge_check(user=learner, lesson=lesson, block_id=wrong_id, chosen=["0"])
        assert caught.value.status == 404

    assert not KnowledgeCheckAnswer.objects.exists()


def test_knowledge_checks_answered_in_one_language_count_in_the_other(learner):
    course = builders.course(lessons=1, checks=1, exam=False)
    lesson = lessons_of(course)[0]
    persian(course)
    persian_lesson = persian(lesson)
    enrol_learner(user=learner, course=course)

    answer_every_check(learner, persian_lesson)
    complete_lesson(user=learner, lesson=lesson)

    assert KnowledgeCheckAnswer.objects.get().lesson_id == lesson.pk
    assert LessonCompletion.objects.get().lesson_id == lesson.pk


# Course completion --------------------------------------------------------------------------


def test_the_course_completes_with_its_last_required_lesson(learner):
    course = builders.course(lessons=2, exam=False)
    first, second = lessons_of(course)
    enrol_learner(user=learner, course=course)

    complete_lesson(user=learner, lesson=first)
    assert enrolment_of(learner, course).completed_at is None

    complete_lesson(user=learner, lesson=second)
    assert enrolment_of(learner, course).completed_at is not None


def test_optional_and_unpublished_lessons_do_not_count_toward_completion(learner):
    course = builders.course(lessons=2, exam=False)
    first, second = lessons_of(course)
    optional = add_lesson(course, "extra-reading", required=False)
    withdrawn = add_lesson(course, "old-lesson")
    withdrawn.unpublish()
    enrol_learner(user=learner, course=course)

    complete_lesson(user=learner, lesson=optional)
    complete_lesson(user=learner, lesson=first)
    assert enrolment_of(learner, course).completed_at is None  # the optional lesson did not stand in for one

    complete_lesson(user=learner, lesson=second)
    assert enrolment_of(learner, course).completed_at is not None
    progress = course_overview(learner, course).progress
    assert (progress.done, progress.total, progress.percent) == (2, 2, 100)


def test_the_course_completes_only_once_every_exam_is_passed(learner):
    course = builders.course(lessons=1, questions=3)
    final = course.assessments.get()
    second_exam = builders.final_exam(course, builders.question_bank(name="Second bank", size=3), question_count=3)
    practice = Assessment.objects.create(course=course, title="Practice", kind=Assessment.Kind.PRACTICE)
    practice.banks.add(builders.question_bank(name="Practice bank", size=3))
    enrol_learner(user=learner, course=course)
    complete_lesson(user=learner, lesson=lessons_of(course)[0])

    overview = course_overview(learner, course)
    assert overview.progress.exam_pending and overview.enrolment.completed_at is None

    take_exam(learner, final, right=False)
    take_exam(learner, final, right=True)
    assert enrolment_of(learner, course).completed_at is None  # the second exam is still to pass

    take_exam(learner, second_exam, right=True)
    assert enrolment_of(learner, course).completed_at is not None  # the practice quiz was never needed


def test_passing_the_exam_before_the_lessons_completes_the_course_with_the_last_lesson(learner):
    course = builders.course(lessons=2, questions=3)
    enrol_learner(user=learner, course=course)
    take_exam(learner, course.assessments.get(), right=True)
    first, second = lessons_of(course)

    complete_lesson(user=learner, lesson=first)
    assert enrolment_of(learner, course).completed_at is None
    complete_lesson(user=learner, lesson=second)
    assert enrolment_of(learner, course).completed_at is not None


@pytest.mark.parametrize(
    ("policy", "completes", "score"),
    [(Assessment.ScorePolicy.HIGHEST, True, Decimal(100)), (Assessment.ScorePolicy.LAST, False, Decimal(0))],
)
def test_the_score_policy_decides_which_attempt_counts(learner, policy, completes, score):
    course = builders.course(lessons=1, questions=3)
    exam = course.assessments.get()
    exam.score_policy = policy
    exam.save()
    enrol_learner(user=learner, course=course)
    passed = take_exam(learner, exam, right=True)
    failed = take_exam(learner, exam, right=False)

    counted = counting_attempts(user=learner, assessments=[exam])[exam.pk]
    assert counted.pk == (passed.pk if policy == Assessment.ScorePolicy.HIGHEST else failed.pk)

    complete_lesson(user=learner, lesson=lessons_of(course)[0])
    assert (enrolment_of(learner, course).completed_at is not None) is completes
    assert progress_for([enrolment_of(learner, course)])[0].score == score
    assert next(state for state in course_overview(learner, course).assessments).passed is completes


def test_the_highest_policy_keeps_the_first_of_equal_scores(learner):
    course = builders.course(lessons=1, questions=3)
    exam = course.assessments.get()
    enrol_learner(user=learner, course=course)
    first = take_exam(learner, exam, right=True)
    take_exam(learner, exam, right=True)

    assert counting_attempts(user=learner, assessments=[exam])[exam.pk].pk == first.pk


def test_a_completed_course_stays_completed_when_a_later_attempt_fails(learner):
    course = builders.course(lessons=1, questions=3)
    exam = course.assessments.get()
    exam.score_policy = Assessment.ScorePolicy.LAST
    exam.save()
    enrol_learner(user=learner, course=course)
    complete_lesson(user=learner, lesson=lessons_of(course)[0])
    take_exam(learner, exam, right=True)
    completed_at = enrolment_of(learner, course).completed_at

    take_exam(learner, exam, right=False)

    assert completed_at is not None
    assert enrolment_of(learner, course).completed_at == completed_at


# The percentage ---------------------------------------------------------------------------------


def test_the_percentage_agrees_between_the_course_page_and_the_reports_at_every_step(learner):
    course = builders.course(lessons=3, questions=3)
    add_lesson(course, "extra-reading", required=False)
    exam = course.assessments.get()
    enrol_learner(user=learner, course=course)
    first, second, third, optional = lessons_of(course)
    seen = []

    seen.append(percents(learner, course))
    for lesson in (optional, first, second, third):
        complete_lesson(user=learner, lesson=lesson)
        seen.append(percents(learner, course))
    take_exam(learner, exam, right=False)
    seen.append(percents(learner, course))
    take_exam(learner, exam, right=True)
    seen.append(percents(learner, course))

    # Three required lessons and one exam: four steps of 25%; the optional lesson adds nothing.
    assert seen == [
        (0, 0, False),
        (0, 0, False),
        (25, 25, False),
        (50, 50, False),
        (75, 75, False),
        (75, 75, False),
        (100, 100, True),
    ]


def test_the_percentage_never_reaches_100_before_the_enrolment_is_completed(learner):
    course = builders.course(lessons=3, questions=3)
    first, second, third = lessons_of(course)
    enrol_learner(user=learner, course=course)
    complete_lesson(user=learner, lesson=first)
    complete_lesson(user=learner, lesson=second)
    take_exam(learner, course.assessments.get(), right=True)
    third.unpublish()  # now every counted step is done, but nothing completed the enrolment

    assert enrolment_of(learner, course).completed_at is None
    assert percents(learner, course) == (99, 99, False)


def test_a_completed_course_shows_100_even_after_a_lesson_is_added(learner):
    course = builders.course(lessons=1, exam=False)
    enrol_learner(user=learner, course=course)
    complete_lesson(user=learner, lesson=lessons_of(course)[0])
    add_lesson(course, "new-lesson")

    assert percents(learner, course) == (100, 100, True)
    progress = course_overview(learner, course).progress
    assert (progress.done, progress.total, progress.next_lesson_key) == (1, 2, None)


@pytest.mark.parametrize(
    ("done", "total", "completed", "percent"),
    [
        (0, 0, False, 0),
        (0, 0, True, 100),
        (1, 3, False, 33),
        (3, 3, False, 99),
        (299, 300, False, 99),
        (1, 4, True, 100),
    ],
)
def test_course_progress_percentage(done, total, completed, percent):
    keys = [str(n) for n in range(total)]
    progress = course_progress(
        lesson_keys=keys, completed_lessons=set(keys[:done]), exam_ids=[], passed_exams=[], completed=completed
    )

    assert progress.percent == percent


# Resuming -----------------------------------------------------------------------------------


def test_a_new_enrolment_starts_at_the_first_lesson(learner):
    course = builders.course(lessons=3, exam=False)
    enrol_learner(user=learner, course=course)

    assert course_overview(learner, course).next_lesson.pk == lessons_of(course)[0].pk
    assert progress_for([enrolment_of(learner, course)])[0].next_lesson.pk == lessons_of(course)[0].pk


def test_the_last_visited_lesson_is_where_the_learner_resumes(learner):
    course = builders.course(lessons=3, exam=False)
    first, second, _third = lessons_of(course)
    enrol_learner(user=learner, course=course)
    complete_lesson(user=learner, lesson=first)

    record_visit(user=learner, lesson=second)

    assert enrolment_of(learner, course).last_lesson_id == second.pk
    assert course_overview(learner, course).next_lesson.pk == second.pk
    assert progress_for([enrolment_of(learner, course)])[0].next_lesson.pk == second.pk
    assert lesson_context(learner, first)["overview"].next_lesson.pk == second.pk


def test_a_completed_last_visited_lesson_resumes_at_the_first_remaining_one(learner):
    course = builders.course(lessons=3, exam=False)
    first, _second, third = lessons_of(course)
    enrol_learner(user=learner, course=course)
    record_visit(user=learner, lesson=third)
    complete_lesson(user=learner, lesson=third)

    assert course_overview(learner, course).next_lesson.pk == first.pk
    assert progress_for([enrolment_of(learner, course)])[0].next_lesson.pk == first.pk


def test_visiting_a_lesson_without_an_enrolment_records_nothing(learner):
    course = builders.course(lessons=1, exam=False)

    record_visit(user=learner, lesson=lessons_of(course)[0])

    assert not Enrolment.objects.exists()


def test_a_completed_course_has_no_lesson_to_resume(learner):
    course = builders.course(lessons=1, exam=False)
    lesson = lessons_of(course)[0]
    enrol_learner(user=learner, course=course)
    complete_lesson(user=learner, lesson=lesson)
    record_visit(user=learner, lesson=lesson)

    assert course_overview(learner, course).next_lesson is None
    assert progress_for([enrolment_of(learner, course)])[0].next_lesson is None


def test_resuming_after_a_visit_to_a_translated_lesson(learner):
    course = builders.course(lessons=3, exam=False)
    _first, second, _third = lessons_of(course)
    persian(course)
    persian_second = persian(second)
    enrol_learner(user=learner, course=course)

    record_visit(user=learner, lesson=persian_second)

    assert progress_for([enrolment_of(learner, course)])[0].next_lesson.pk == second.pk  # My learning
    assert course_overview(learner, course).next_lesson.pk == second.pk  # the original course page
    assert enrolment_of(learner, course).last_lesson_id == second.pk  # rows point at the original page


# Signals ----------------------------------------------------------------------------------------


def test_progress_signals_fire_once_each_after_commit_with_the_documented_kwargs(
    learner, received, django_capture_on_commit_callbacks
):
    course = builders.course(lessons=2, questions=3)
    exam = course.assessments.get()
    first, second = lessons_of(course)

    with django_capture_on_commit_callbacks() as callbacks:
        enrolment = enrol_learner(user=learner, course=course)
        complete_lesson(user=learner, lesson=first)
        complete_lesson(user=learner, lesson=first)  # again: no second signal
        complete_lesson(user=learner, lesson=second)
        attempt = start_attempt(user=learner, assessment=exam)
        answers = scripted_answers(attempt, right=True)
        submit_attempt(user=learner, attempt=attempt, answers=answers)
        submit_attempt(user=learner, attempt=attempt, answers=answers)  # again: graded once
        complete_lesson(user=learner, lesson=second)  # after completion: nothing new
        assert received == []  # nothing is sent before the commit
    for callback in callbacks:
        callback()

    assert names(received) == ["lesson_completed", "lesson_completed", "exam_passed", "course_completed"]
    for name, kwargs in received:
        assert set(kwargs) == DOCUMENTED_KWARGS[name], name
        assert kwargs["user"] == learner
        assert kwargs["course"] == course
    lesson_events = [kwargs for name, kwargs in received if name == "lesson_completed"]
    assert [kwargs["lesson"] for kwargs in lesson_events] == [first, second]
    assert lesson_events[0]["completed_at"] == LessonCompletion.objects.get(lesson=first).completed_at
    exam_event = next(kwargs for name, kwargs in received if name == "exam_passed")
    assert exam_event["assessment"] == exam
    assert exam_event["attempt"].pk == attempt.pk
    assert exam_event["score"] == Decimal(100)
    assert exam_event["completes_course"] is True  # the last step: course_completed follows
    course_event = next(kwargs for name, kwargs in received if name == "course_completed")
    assert course_event["enrolment"].pk == enrolment.pk
    assert course_event["completed_at"] == enrolment_of(learner, course).completed_at


def test_signals_name_the_original_pages_when_the_learner_uses_a_translation(
    learner, received, django_capture_on_commit_callbacks
):
    course = builders.course(lessons=1, exam=False)
    lesson = lessons_of(course)[0]
    persian_course = persian(course)
    persian_lesson = persian(lesson)

    with django_capture_on_commit_callbacks(execute=True):
        enrol_learner(user=learner, course=persian_course)
        complete_lesson(user=learner, lesson=persian_lesson)

    assert names(received) == ["lesson_completed", "course_completed"]
    lesson_event, course_event = (kwargs for _name, kwargs in received)
    assert lesson_event["lesson"].pk == lesson.pk
    assert lesson_event["course"].pk == course.pk
    assert course_event["course"].pk == course.pk


def test_failing_and_practice_attempts_send_no_exam_passed(learner, received, django_capture_on_commit_callbacks):
    course = builders.course(lessons=1, questions=3)
    practice = Assessment.objects.create(course=course, title="Practice", kind=Assessment.Kind.PRACTICE)
    practice.banks.add(builders.question_bank(name="Practice bank", size=3))

    with django_capture_on_commit_callbacks(execute=True):
        enrol_learner(user=learner, course=course)
        take_exam(learner, course.assessments.get(kind=Assessment.Kind.EXAM), right=False)
        assert take_exam(learner, practice, right=True).passed

    assert received == []


def test_withdrawing_and_coming_back_sends_no_second_lesson_signal(
    learner, received, django_capture_on_commit_callbacks
):
    course = builders.course(lessons=2, exam=False)
    first = lessons_of(course)[0]

    with django_capture_on_commit_callbacks(execute=True):
        enrol_learner(user=learner, course=course)
        complete_lesson(user=learner, lesson=first)
        withdraw_learner(user=learner, course=course)
        enrol_learner(user=learner, course=course)
        complete_lesson(user=learner, lesson=first)

    assert names(received) == ["lesson_completed"]
