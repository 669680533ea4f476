"""What each person did: enrolments, completed lessons, knowledge-check answers.

Rows point at the original-language page of a course or lesson (see
`courses.translations.original_page`), so progress does not depend on which
language version a person used.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Enrolment(models.Model):
    class Source(models.TextChoices):
        SELF = "self", _("Self-enrolled")
        ASSIGNED = "assigned", _("Assigned")

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="enrolments")
    course = models.ForeignKey("courses.CoursePage", on_delete=models.CASCADE, related_name="enrolments")
    source = models.CharField(_("source"), max_length=16, choices=Source.choices)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    enrolled_at = models.DateTimeField(_("enrolled"))
    completed_at = models.DateTimeField(_("completed"), null=True, blank=True)
    last_lesson = models.ForeignKey(
        "courses.LessonPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ["-enrolled_at"]
        verbose_name = _("enrolment")
        verbose_name_plural = _("enrolments")
        constraints = [models.UniqueConstraint(fields=["user", "course"], name="enrol_once")]

    def __str__(self) -> str:
        return f"{self.user} → {self.course}"


class LessonCompletion(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="lesson_completions")
    lesson = models.ForeignKey("courses.LessonPage", on_delete=models.CASCADE, related_name="completions")
    completed_at = models.DateTimeField(_("completed"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "lesson"], name="lesson_completed_once")]

    def __str__(self) -> str:
        return f"{self.user} ✓ {self.lesson}"


class KnowledgeCheckAnswer(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    lesson = models.ForeignKey("courses.LessonPage", on_delete=models.CASCADE, related_name="+")
    block_id = models.CharField(max_length=64)
    chosen = models.JSONField(default=list)
    correct = models.BooleanField()
    answered_at = models.DateTimeField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "lesson", "block_id"], name="check_answered_once")]

    def __str__(self) -> str:
        return f"{self.user} · {self.lesson} · {self.block_id}"


class PathEnrolment(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="path_enrolments")
    path = models.ForeignKey("courses.LearningPathPage", on_delete=models.CASCADE, related_name="enrolments")
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    due_date = models.DateField(_("due date"), null=True, blank=True)
    enrolled_at = models.DateTimeField(_("enrolled"))

    class Meta:
        ordering = ["-enrolled_at"]
        constraints = [models.UniqueConstraint(fields=["user", "path"], name="path_enrol_once")]

    def __str__(self) -> str:
        return f"{self.user} → {self.path}"
