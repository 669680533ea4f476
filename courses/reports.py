"""Progress over many enrolments at once: "My learning" and a partner's team view.

The queries are set-based: their number stays the same whether a person has one
enrolment or fifty, and whether a team has three people or three hundred.
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from functools import reduce
from operator import attrgetter, or_

from django.db.models import F

from courses.models import (
    Assessment,
    Attempt,
    Enrolment,
    LearningPathCourse,
    LessonCompletion,
    LessonPage,
    PathEnrolment,
)
from courses.progress import CourseProgress, course_progress
from courses.services.progress import attempts_that_count
from lms import clock
from lms.page_tree import descendants_q
from lms.querysets import in_order
from lms.spreadsheets import safe_cell


@dataclass(frozen=True)
class EnrolmentProgress:
    enrolment: Enrolment
    progress: CourseProgress
    next_lesson: LessonPage | None
    score: Decimal | None  # the counting exam score, when the course has one exam attempted

    @property
    def overdue(self) -> bool:
        due = self.enrolment.due_date
        return bool(due and not self.progress.completed and due < clock.now().date())


def progress_for(enrolments: list[Enrolment], *, next_lessons: bool = True) -> list[EnrolmentProgress]:
    """Progress of each enrolment; `enrolments` must have `course` selected. Without
    `next_lessons`, the lesson to go on with is left out (`next_lesson` is None)."""
    if not enrolments:
        return []
    courses = {enrolment.course.path: enrolment.course for enrolment in enrolments}
    lessons_by_course: dict[int, list[int]] = defaultdict(list)  # required lesson ids, in order
    prefix_lengths = {len(path) for path in courses}
    lessons = (
        LessonPage.objects.live()
        .filter(required=True)
        .filter(reduce(or_, (descendants_q(course) for course in courses.values())))
        .order_by("path")
        .values_list("pk", "path")
    )
    for lesson_id, path in lessons:
        for length in prefix_lengths:
            course = courses.get(path[:length])
            if course is not None and len(path) > length:
                lessons_by_course[course.pk].append(lesson_id)
    user_ids = {enrolment.user_id for enrolment in enrolments}
    lesson_ids = [lesson_id for group in lessons_by_course.values() for lesson_id in group]
    done: dict[int, set[int]] = defaultdict(set)
    for user_id, lesson_id in LessonCompletion.objects.filter(user__in=user_ids, lesson__in=lesson_ids).values_list(
        "user_id", "lesson_id"
    ):
        done[user_id].add(lesson_id)
    exams_by_key: dict[object, list[Assessment]] = defaultdict(list)
    for exam in Assessment.objects.filter(
        course__translation_key__in={course.translation_key for course in courses.values()},
        kind=Assessment.Kind.EXAM,
    ).annotate(course_key=F("course__translation_key")):
        exams_by_key[exam.course_key].append(exam)
    counted = _counting_attempts(user_ids, [exam for group in exams_by_key.values() for exam in group])

    results = []
    for enrolment in enrolments:
        course_lessons = lessons_by_course[enrolment.course_id]
        exams = exams_by_key[enrolment.course.translation_key]
        passed = [exam.pk for exam in exams if (a := counted.get((enrolment.user_id, exam.pk))) and a.passed]
        progress = course_progress(
            lesson_keys=[str(pk) for pk in course_lessons],
            completed_lessons={str(pk) for pk in done[enrolment.user_id]},
            exam_ids=[exam.pk for exam in exams],
            passed_exams=passed,
            completed=enrolment.completed_at is not None,
            last_lesson_key=str(enrolment.last_lesson_id) if enrolment.last_lesson_id in course_lessons else None,
        )
        scores = [a.score for exam in exams if (a := counted.get((enrolment.user_id, exam.pk)))]
        results.append((enrolment, progress, max(scores) if scores else None))
    # Only the lessons to link to are loaded as pages, one per enrolment at most.
    next_ids = {int(progress.next_lesson_key) for _enrolment, progress, _score in results if progress.next_lesson_key}
    pages = LessonPage.objects.defer_streamfields().in_bulk(next_ids) if next_ids and next_lessons else {}
    return [
        EnrolmentProgress(enrolment, progress, pages.get(int(progress.next_lesson_key or 0)), score)
        for enrolment, progress, score in results
    ]


def _counting_attempts(user_ids: Iterable[int], exams: list[Assessment]) -> dict[tuple[int, int], Attempt]:
    graded = Attempt.objects.filter(user__in=user_ids, assessment__in=exams, status=Attempt.Status.GRADED)
    return attempts_that_count(
        graded.order_by("number"), exams, key=lambda attempt: (attempt.user_id, attempt.assessment_id)
    )


# My learning -----------------------------------------------------------------------------


@dataclass(frozen=True)
class PathProgress:
    path_enrolment: PathEnrolment
    total: int
    completed: int

    @property
    def percent(self) -> int:
        return self.completed * 100 // self.total if self.total else 0


@dataclass(frozen=True)
class LearningDashboard:
    in_progress: list[EnrolmentProgress]
    assigned: list[EnrolmentProgress]
    completed: list[EnrolmentProgress]
    paths: list[PathProgress]


def learning_dashboard(user) -> LearningDashboard:
    enrolments = in_order(
        Enrolment.objects.filter(user=user).select_related("course", "course__locale"),
        key=attrgetter("enrolled_at", "pk"),
        reverse=True,
    )
    rows = progress_for(enrolments)
    completed = sorted(
        (row for row in rows if row.progress.completed), key=lambda row: row.enrolment.completed_at, reverse=True
    )
    open_rows = [row for row in rows if not row.progress.completed]
    assigned = sorted(
        (row for row in open_rows if row.enrolment.source == Enrolment.Source.ASSIGNED),
        key=lambda row: (row.enrolment.due_date is None, row.enrolment.due_date or date.max),
    )
    return LearningDashboard(
        in_progress=[row for row in open_rows if row.enrolment.source == Enrolment.Source.SELF],
        assigned=assigned,
        completed=completed,
        paths=_path_progress(user, {row.enrolment.course.translation_key for row in completed}),
    )


def _path_progress(user, completed_keys: set) -> list[PathProgress]:
    path_enrolments = in_order(
        PathEnrolment.objects.filter(user=user).select_related("path"),
        key=attrgetter("enrolled_at", "pk"),
        reverse=True,
    )
    if not path_enrolments:
        return []
    steps: dict[int, list] = defaultdict(list)
    for path_id, key in LearningPathCourse.objects.filter(
        path__in=[enrolment.path_id for enrolment in path_enrolments]
    ).values_list("path_id", "course__translation_key"):
        steps[path_id].append(key)
    return [
        PathProgress(
            path_enrolment=enrolment,
            total=len(steps[enrolment.path_id]),
            completed=sum(key in completed_keys for key in steps[enrolment.path_id]),
        )
        for enrolment in path_enrolments
    ]


# Team progress ------------------------------------------------------------------------------


def team_progress(organization) -> list[EnrolmentProgress]:
    enrolments = list(
        Enrolment.objects.filter(user__membership__organization=organization)
        .select_related("course", "user")
        .order_by("user__last_name", "user__first_name", "user__email", "course__title")
    )
    return progress_for(enrolments, next_lessons=False)


CSV_HEADER = (
    "name",
    "email",
    "course",
    "source",
    "enrolled",
    "due",
    "progress_percent",
    "completed",
    "exam_score",
    "overdue",
)


def team_progress_csv(rows: list[EnrolmentProgress]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(CSV_HEADER)
    for row in rows:
        enrolment = row.enrolment
        writer.writerow(
            [
                safe_cell(enrolment.user.get_full_name()),
                safe_cell(enrolment.user.email),
                safe_cell(enrolment.course.title),
                enrolment.source,
                enrolment.enrolled_at.date().isoformat(),
                enrolment.due_date.isoformat() if enrolment.due_date else "",
                row.progress.percent,
                enrolment.completed_at.date().isoformat() if enrolment.completed_at else "",
                row.score if row.score is not None else "",
                "yes" if row.overdue else "no",
            ]
        )
    return "\ufeff" + buffer.getvalue()  # the byte-order mark makes Excel read Persian names as UTF-8
