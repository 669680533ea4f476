"""Course progress arithmetic over plain values, shared by every page that shows it."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass


@dataclass(frozen=True)
class CourseProgress:
    done: int
    total: int
    completed: bool
    next_lesson_key: str | None  # translation key of the lesson to resume or start next
    exam_pending: bool  # every required lesson done, a graded exam still to pass

    @property
    def percent(self) -> int:
        if self.completed:
            return 100
        if not self.total:
            return 0
        return min(99, self.done * 100 // self.total)  # 100 only once the course is completed


def course_progress(
    *,
    lesson_keys: Sequence[str],
    completed_lessons: Collection[str],
    exam_ids: Collection[int],
    passed_exams: Collection[int],
    completed: bool,
    last_lesson_key: str | None = None,
) -> CourseProgress:
    """`lesson_keys` are the required lessons in course order."""
    lessons_done = [key for key in lesson_keys if key in completed_lessons]
    exams_done = [exam for exam in exam_ids if exam in passed_exams]
    remaining = [key for key in lesson_keys if key not in completed_lessons]
    next_key = last_lesson_key if last_lesson_key in remaining else remaining[0] if remaining else None
    return CourseProgress(
        done=len(lessons_done) + len(exams_done),
        total=len(lesson_keys) + len(exam_ids),
        completed=completed,
        next_lesson_key=None if completed else next_key,
        exam_pending=not completed and not remaining and len(exams_done) < len(exam_ids),
    )
