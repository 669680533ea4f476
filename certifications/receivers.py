"""Listen to the courses app: progress may complete a certification's requirements."""

from __future__ import annotations

from django.dispatch import receiver

from certifications.services.awarding import evaluate_person
from courses.signals import course_completed, exam_passed


@receiver(course_completed, dispatch_uid="certifications.course_completed")
def _course_completed(sender, user, **kwargs) -> None:
    evaluate_person(user=user)


@receiver(exam_passed, dispatch_uid="certifications.exam_passed")
def _exam_passed(sender, user, **kwargs) -> None:
    evaluate_person(user=user)
