"""Question banks: reusable questions that quizzes and exams draw from."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.models import Orderable
from wagtail.search import index

from courses.admin_forms import QuestionForm
from courses.grading import QuestionKind


class QuestionBank(index.Indexed, models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    language = models.CharField(_("language"), max_length=8, choices=[("en", _("English")), ("fa", _("Persian"))])
    description = models.TextField(_("description"), blank=True)
    competencies = models.ManyToManyField(
        "competencies.Competency", verbose_name=_("competencies"), blank=True, related_name="question_banks"
    )

    panels = [FieldPanel("name"), FieldPanel("language"), FieldPanel("competencies"), FieldPanel("description")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("question bank")
        verbose_name_plural = _("question banks")

    def __str__(self) -> str:
        return self.name


QUESTION_KIND_LABELS = {
    QuestionKind.SINGLE: _("Single choice"),
    QuestionKind.MULTIPLE: _("Multiple select"),
    QuestionKind.TRUE_FALSE: _("True or false"),
    QuestionKind.NUMERIC: _("Numeric"),
    QuestionKind.SHORT_TEXT: _("Short text"),
    QuestionKind.ORDERING: _("Ordering"),
    QuestionKind.MATCHING: _("Matching"),
}


class Question(index.Indexed, ClusterableModel):
    bank = models.ForeignKey(QuestionBank, verbose_name=_("bank"), on_delete=models.CASCADE, related_name="questions")
    kind = models.CharField(_("type"), max_length=16, choices=list(QUESTION_KIND_LABELS.items()))
    prompt = models.TextField(_("question"), max_length=2000)
    explanation = models.TextField(_("explanation"), blank=True, help_text=_("Shown to the learner after grading."))
    points = models.PositiveSmallIntegerField(_("points"), default=1)
    partial_credit = models.BooleanField(
        _("partial credit"),
        default=False,
        help_text=_("Multiple select, ordering and matching: give credit for each part answered right."),
    )
    numeric_answer = models.DecimalField(_("numeric answer"), max_digits=18, decimal_places=6, null=True, blank=True)
    tolerance = models.DecimalField(_("tolerance"), max_digits=18, decimal_places=6, default=0)
    accepted_answers = models.JSONField(
        _("accepted answers"),
        default=list,
        blank=True,
        help_text=_(
            'Short text: every answer that counts as right, as a list in quotes, like ["ssh", "secure shell"].'
        ),
    )
    normalized_match = models.BooleanField(
        _("lenient text matching"),
        default=True,
        help_text=_("Ignore case, spacing, punctuation, Arabic and Persian letter variants and digit scripts."),
    )
    is_active = models.BooleanField(_("in use"), default=True, help_text=_("Retired questions are no longer drawn."))

    panels = [
        FieldRowPanel([FieldPanel("bank"), FieldPanel("kind"), FieldPanel("points")]),
        FieldPanel("prompt"),
        InlinePanel(
            "choices",
            heading=_("Choices"),
            label=_("Choice"),
            help_text=_(
                "Choice questions: tick the right ones. True or false: two choices, “True” and “False” "
                "(or «درست» and «نادرست»), in that order. Ordering: list them in the right order. "
                "Matching: give each choice its match."
            ),
        ),
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("numeric_answer"), FieldPanel("tolerance")])],
            heading=_("Numeric answer"),
        ),
        MultiFieldPanel([FieldPanel("accepted_answers"), FieldPanel("normalized_match")], heading=_("Text answer")),
        FieldRowPanel([FieldPanel("partial_credit"), FieldPanel("is_active")]),
        FieldPanel("explanation"),
    ]
    search_fields = [index.SearchField("prompt"), index.FilterField("bank_id"), index.FilterField("kind")]
    base_form_class = QuestionForm

    class Meta:
        ordering = ["bank", "pk"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        constraints = [
            models.CheckConstraint(condition=models.Q(points__gte=1, points__lte=100), name="question_points_range"),
            models.CheckConstraint(condition=models.Q(tolerance__gte=0), name="question_tolerance_not_negative"),
        ]

    def __str__(self) -> str:
        return self.prompt[:80]


class QuestionChoice(Orderable):
    question = ParentalKey(Question, on_delete=models.CASCADE, related_name="choices")
    text = models.CharField(_("text"), max_length=500)
    correct = models.BooleanField(_("correct"), default=False)
    match = models.CharField(_("match"), max_length=500, blank=True, help_text=_("Matching questions only."))

    panels = [FieldRowPanel([FieldPanel("text"), FieldPanel("correct"), FieldPanel("match")])]

    class Meta(Orderable.Meta):
        verbose_name = _("choice")
        verbose_name_plural = _("choices")

    def __str__(self) -> str:
        return self.text
