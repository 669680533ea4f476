"""Quizzes and exams, and the attempts people make at them.

An attempt's questions and their order are fixed on the server when it starts;
the constraints below keep attempt numbers unique and allow one open attempt per
person and assessment, so limits hold even under concurrent requests.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel, PageChooserPanel
from wagtail.search import index


class Assessment(index.Indexed, models.Model):
    class Kind(models.TextChoices):
        PRACTICE = "practice", _("Practice quiz")
        EXAM = "exam", _("Graded exam")

    class ScorePolicy(models.TextChoices):
        HIGHEST = "highest", _("Highest attempt")
        LAST = "last", _("Last attempt")

    title = models.CharField(_("title"), max_length=200)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices, default=Kind.EXAM)
    course = models.ForeignKey(
        "courses.CoursePage", verbose_name=_("course"), on_delete=models.CASCADE, related_name="assessments"
    )
    lesson = models.ForeignKey(
        "courses.LessonPage",
        verbose_name=_("lesson"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="assessments",
        help_text=_("Optional: show the quiz at the end of this lesson instead of on the course page."),
    )
    banks = models.ManyToManyField("courses.QuestionBank", verbose_name=_("question banks"), related_name="+")
    question_count = models.PositiveSmallIntegerField(
        _("questions drawn"),
        default=10,
        validators=[MinValueValidator(1), MaxValueValidator(200)],
        help_text=_("Drawn at random from the banks, preferring questions the learner has not seen yet."),
    )
    pass_mark = models.PositiveSmallIntegerField(
        _("pass mark (%)"), default=70, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    time_limit_minutes = models.PositiveSmallIntegerField(
        _("time limit (minutes)"), null=True, blank=True, help_text=_("Leave empty for no time limit.")
    )
    grace_seconds = models.PositiveSmallIntegerField(
        _("grace period (seconds)"),
        default=30,
        help_text=_("Answers arriving this long after the time limit still count, for slow connections."),
    )
    max_attempts = models.PositiveSmallIntegerField(
        _("maximum attempts"), null=True, blank=True, help_text=_("Leave empty for unlimited attempts.")
    )
    cooldown_minutes = models.PositiveIntegerField(_("cooldown between attempts (minutes)"), default=0)
    shuffle_choices = models.BooleanField(_("shuffle choices"), default=True)
    score_policy = models.CharField(
        _("attempt that counts"), max_length=16, choices=ScorePolicy.choices, default=ScorePolicy.HIGHEST
    )
    show_answers = models.BooleanField(
        _("show answers after submission"),
        default=True,
        help_text=_("Show the right answers and explanations once an attempt is graded."),
    )
    requires_practice = models.BooleanField(
        _("unlock after the practice quizzes"),
        default=False,
        help_text=_("Graded exams only: the course's practice quizzes must be passed first."),
    )

    panels = [
        FieldRowPanel([FieldPanel("title"), FieldPanel("kind")]),
        PageChooserPanel("course", page_type="courses.CoursePage"),
        PageChooserPanel("lesson", page_type="courses.LessonPage"),
        MultiFieldPanel(
            [FieldPanel("banks"), FieldPanel("question_count"), FieldPanel("shuffle_choices")], _("Questions")
        ),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("pass_mark"), FieldPanel("score_policy")]),
                FieldRowPanel([FieldPanel("time_limit_minutes"), FieldPanel("grace_seconds")]),
                FieldRowPanel([FieldPanel("max_attempts"), FieldPanel("cooldown_minutes")]),
                FieldRowPanel([FieldPanel("show_answers"), FieldPanel("requires_practice")]),
            ],
            _("Rules"),
        ),
    ]
    search_fields = [index.SearchField("title"), index.AutocompleteField("title")]

    class Meta:
        ordering = ["course", "-kind", "pk"]  # practice quizzes before the exam they unlock
        verbose_name = _("quiz or exam")
        verbose_name_plural = _("quizzes and exams")

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if self.lesson_id and self.course_id:
            lesson = self.lesson
            if not lesson.is_descendant_of(self.course):
                raise ValidationError({"lesson": _("The lesson must belong to the chosen course.")})
        if self.requires_practice and self.kind == self.Kind.PRACTICE:
            raise ValidationError({"requires_practice": _("Only a graded exam can wait for practice quizzes.")})

    @property
    def is_exam(self) -> bool:
        return self.kind == self.Kind.EXAM

    @property
    def time_limit(self) -> timedelta | None:
        return timedelta(minutes=self.time_limit_minutes) if self.time_limit_minutes else None


class Attempt(models.Model):
    class Status(models.TextChoices):
        IN_PROGRESS = "in_progress", _("In progress")
        GRADED = "graded", _("Graded")

    assessment = models.ForeignKey(Assessment, on_delete=models.CASCADE, related_name="attempts")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="attempts")
    number = models.PositiveSmallIntegerField(_("attempt"))
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.IN_PROGRESS)
    started_at = models.DateTimeField(_("started"))
    deadline = models.DateTimeField(_("deadline"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("submitted"), null=True, blank=True)
    late = models.BooleanField(_("arrived after the deadline"), default=False)
    score = models.DecimalField(_("score (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    passed = models.BooleanField(_("passed"), null=True, blank=True)

    class Meta:
        ordering = ["assessment", "user", "number"]
        verbose_name = _("attempt")
        verbose_name_plural = _("attempts")
        constraints = [
            models.UniqueConstraint(fields=["assessment", "user", "number"], name="attempt_number_once"),
            models.UniqueConstraint(
                fields=["assessment", "user"],
                condition=models.Q(status="in_progress"),
                name="one_open_attempt",
            ),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="attempt_number_positive"),
            models.CheckConstraint(
                condition=models.Q(status="in_progress") | models.Q(score__isnull=False, passed__isnull=False),
                name="graded_attempt_has_score",
            ),
        ]
        indexes = [models.Index(fields=["user", "assessment", "status"], name="attempt_person_idx")]

    def __str__(self) -> str:
        return f"{self.assessment} #{self.number} ({self.user})"

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.IN_PROGRESS


class AttemptQuestion(models.Model):
    """One drawn question, in the order and with the choice order the learner saw."""

    attempt = models.ForeignKey(Attempt, on_delete=models.CASCADE, related_name="questions")
    question = models.ForeignKey("courses.Question", on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField()
    choice_order = models.JSONField(default=list)
    # The answer key and points as they were when the attempt started (courses.grading.key_to_json):
    # grading reads them without loading the question, and later edits don't change it.
    key = models.JSONField(default=dict)
    points = models.PositiveSmallIntegerField(default=1)
    response = models.JSONField(null=True, blank=True)
    earned = models.DecimalField(max_digits=5, decimal_places=4, null=True, blank=True)

    class Meta:
        ordering = ["attempt", "position"]
        constraints = [
            models.UniqueConstraint(fields=["attempt", "position"], name="attempt_position_once"),
            models.UniqueConstraint(fields=["attempt", "question"], name="attempt_question_once"),
        ]

    def __str__(self) -> str:
        return f"{self.attempt} · {self.position}"
