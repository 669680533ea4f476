"""Listen to the courses app: progress may complete a certification's requirements."""

from __future__ import annotations

from django.dispatch import receiver

from certifications.services.awarding import evaluate_person
from courses.signals import course_completed, exam_passed


@receiver(course_completed, dispatch_uid="certifications.course_completed")
def _course_completed(sender, user, **kwargs) -> None:
    evaluate_person(user=user)


@receiver(exam_passed, dispatch_uid="certifications.exam_passed")
def _exam_passed(sender, user, completes_course: bool = False, **kwargs) -> None:
    if not completes_course:  # else the course's completion, in the same commit, evaluates once
        evaluate_person(user=user)
