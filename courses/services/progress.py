"""Lesson progress: knowledge checks, "mark complete", resuming, and course completion."""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import IntegrityError, connection, transaction
from django.utils.translation import gettext as _
from wagtail.models import Page

from courses import signals
from courses.blocks import check_answer, knowledge_check_ids, knowledge_check_value, parse_answer
from courses.models import (
    Assessment,
    Attempt,
    CoursePage,
    Enrolment,
    KnowledgeCheckAnswer,
    LessonCompletion,
    LessonPage,
)
from courses.services import CourseActionError
from courses.translations import original_page
from lms import clock
from lms.page_tree import descendant_paths
from lms.querysets import first_unordered


def course_of(lesson: LessonPage) -> CoursePage:
    """The lesson's course, looked up once per lesson object: the course that routing
    came through to the lesson, else the course among its ancestors."""
    course = lesson.__dict__.get("_course")
    if course is None:
        course = _routed_course(lesson) or CoursePage.objects.ancestor_of(lesson).get()
        lesson.__dict__["_course"] = course
    return course


def _routed_course(lesson: LessonPage) -> CoursePage | None:
    page = lesson
    while (page := page.__dict__.get("_cached_parent_obj")) is not None:
        if isinstance(page, CoursePage):
            return page
    return None


def require_enrolment(*, user, course: CoursePage) -> Enrolment:
    enrolment = Enrolment.objects.filter(user=user, course__translation_key=course.translation_key).first()
    if enrolment is None:
        raise CourseActionError(_("Enrol in the course first."), status=403)
    return enrolment


def answer_knowledge_check(*, user, lesson: LessonPage, block_id: str, chosen: list[str]) -> KnowledgeCheckAnswer:
    """Record the first answer to a knowledge check; later answers only show the result."""
    value = knowledge_check_value(lesson.body, block_id)
    if value is None:
        raise CourseActionError(_("This question is not part of the lesson."), status=404)
    require_enrolment(user=user, course=course_of(lesson))
    try:
        indexes = parse_answer(value, chosen)
        correct = check_answer(value, chosen)
    except ValueError:
        raise CourseActionError(_("Choose one of the answers offered.")) from None
    original = original_page(lesson)
    try:
        with transaction.atomic():
            return KnowledgeCheckAnswer.objects.create(
                user=user,
                lesson=original,
                block_id=block_id,
                chosen=indexes,
                correct=correct,
                answered_at=clock.now(),
            )
    except IntegrityError:
        return KnowledgeCheckAnswer.objects.get(user=user, lesson=original, block_id=block_id)


def unanswered_checks(*, user, lesson: LessonPage) -> list[str]:
    expected = knowledge_check_ids(lesson.body)
    if not expected:
        return []
    answered = set(
        KnowledgeCheckAnswer.objects.filter(
            user=user, lesson__translation_key=lesson.translation_key, block_id__in=expected
        ).values_list("block_id", flat=True)
    )
    return [block_id for block_id in expected if block_id not in answered]


def complete_lesson(*, user, lesson: LessonPage) -> LessonCompletion:
    course = course_of(lesson)
    enrolment = require_enrolment(user=user, course=course)
    if unanswered_checks(user=user, lesson=lesson):
        raise CourseActionError(_("Answer the knowledge check questions in this lesson first."), status=409)
    original = original_page(lesson)
    with transaction.atomic():
        completion, created = LessonCompletion.objects.get_or_create(
            user=user, lesson=original, defaults={"completed_at": clock.now()}
        )
        if created:
            transaction.on_commit(
                lambda: signals.lesson_completed.send(
                    sender=LessonPage,
                    user=user,
                    lesson=original,
                    course=enrolment.course,
                    completed_at=completion.completed_at,
                )
            )
        refresh_course_completion(enrolment=enrolment)
    return completion


def record_visit(*, user, lesson: LessonPage) -> None:
    """Remember the lesson a learner last opened, so they can resume there."""
    original = original_page(lesson)
    Enrolment.objects.filter(user=user, course__translation_key=course_of(lesson).translation_key).exclude(
        last_lesson=original
    ).update(last_lesson=original)


def _by_assessment(attempt: Attempt) -> int:
    return attempt.assessment_id


def counting_attempts(*, user, assessments) -> dict[int, Attempt]:
    """For each assessment, the graded attempt that counts by its score policy."""
    graded = Attempt.objects.filter(user=user, assessment__in=assessments, status=Attempt.Status.GRADED)
    return attempts_that_count(graded.order_by("number"), assessments)


def attempts_that_count[K](
    attempts: Iterable[Attempt], assessments: Iterable[Assessment], key: Callable[[Attempt], K] = _by_assessment
) -> dict[K, Attempt]:
    """The counting attempt per `key` (the assessment, or person and assessment), from
    attempts in the order they were made; ungraded ones are skipped."""
    policies = {assessment.pk: assessment.score_policy for assessment in assessments}
    counted: dict[K, Attempt] = {}
    for attempt in attempts:
        if attempt.status != Attempt.Status.GRADED:
            continue
        current = counted.get(key(attempt))
        if (
            current is None
            or policies[attempt.assessment_id] == Assessment.ScorePolicy.LAST
            or attempt.score > current.score
        ):
            counted[key(attempt)] = attempt
    return counted


def _steps_left_sql() -> str:
    def table(model) -> str:
        return connection.ops.quote_name(model._meta.db_table)

    graded = f"FROM {table(Attempt)} t WHERE t.assessment_id = a.id AND t.user_id = %(user)s AND t.status = %(graded)s"
    return f"""
        SELECT EXISTS (
            SELECT 1 FROM {table(LessonPage)} l JOIN {table(Page)} p ON p.id = l.page_ptr_id
            WHERE p.path > %(above)s AND p.path <= %(highest)s AND p.live AND l.required AND NOT EXISTS (
                SELECT 1 FROM {table(LessonCompletion)} c WHERE c.lesson_id = l.page_ptr_id AND c.user_id = %(user)s
            )
        ) OR EXISTS (
            SELECT 1 FROM {table(Assessment)} a JOIN {table(Page)} cp ON cp.id = a.course_id
            WHERE cp.translation_key = %(course_key)s AND a.kind = %(exam)s AND CASE
                WHEN a.score_policy = %(last)s
                THEN NOT COALESCE((SELECT t.passed {graded} ORDER BY t.number DESC LIMIT 1), FALSE)
                ELSE NOT EXISTS (SELECT 1 {graded} AND t.passed)
            END
        )
    """  # noqa: S608 - table names only, every value is a parameter


def _steps_left(*, user, course: CoursePage) -> bool:
    """Whether a live required lesson of the course is not completed by the person, or
    one of its exams (in any language version of the course) is not passed: under
    "highest attempt" no graded attempt passed, under "last attempt" the latest one
    did not.

    One statement, written out: built by the ORM, the same check took longer than
    grading a 50-question exam.
    """
    above, highest = descendant_paths(course)
    translation_key = Page._meta.get_field("translation_key").get_db_prep_value(course.translation_key, connection)
    parameters = {
        "above": above,
        "highest": highest,
        "user": user.pk,
        "course_key": translation_key,
        "exam": Assessment.Kind.EXAM.value,
        "last": Assessment.ScorePolicy.LAST.value,
        "graded": Attempt.Status.GRADED.value,
    }
    with connection.cursor() as cursor:
        cursor.execute(_steps_left_sql(), parameters)
        return bool(cursor.fetchone()[0])


def refresh_course_completion(*, enrolment: Enrolment, locked: bool = False) -> bool:
    """Mark the enrolment completed when every required lesson and exam is done.

    `locked`: the enrolment was read under its row lock (`enrolment_locked`) already."""
    if enrolment.completed_at is not None:
        return True
    # Lock the enrolment before counting: when the last two steps are committed at the
    # same moment, the second transaction to get here then sees the first one's row.
    # (SQLite has no row locks: there the statement would only read.)
    if connection.features.has_select_for_update and not locked:
        first_unordered(Enrolment.objects.select_for_update().filter(pk=enrolment.pk).values_list("pk"))
    course = enrolment.course
    user = enrolment.user
    if _steps_left(user=user, course=course):
        return False
    now = clock.now()
    updated = Enrolment.objects.filter(pk=enrolment.pk, completed_at__isnull=True).update(completed_at=now)
    if updated:
        enrolment.completed_at = now
        transaction.on_commit(
            lambda: signals.course_completed.send(
                sender=CoursePage, user=user, course=course, enrolment=enrolment, completed_at=now
            )
        )
    return True
