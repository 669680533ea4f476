"""Editorial course content: the catalog, courses, sections, lessons and learning paths.

Pages hold content only. Who may see a course is decided by `courses.audience` and
`courses.permissions`; what a person did with it lives in `courses.models.progress`.
"""

from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, PageChooserPanel
from wagtail.contrib.routable_page.models import RoutablePageMixin, path
from wagtail.fields import StreamField
from wagtail.models import Orderable, Page
from wagtail.search import index

from courses.blocks import LessonBodyBlock
from lms.pages import DirectChildRoute, UnrestrictedPagesShortcut
from lms.partners.models import Tier


class Level(models.TextChoices):
    BEGINNER = "beginner", _("Beginner")
    INTERMEDIATE = "intermediate", _("Intermediate")
    ADVANCED = "advanced", _("Advanced")


class CourseIndexPage(DirectChildRoute, UnrestrictedPagesShortcut, Page):
    """The catalog at /courses/: every course the reader may see, with filters."""

    intro = models.TextField(_("introduction"), blank=True)
    courses_per_page = models.PositiveSmallIntegerField(
        _("courses per page"), default=12, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    settings_panels = [*Page.settings_panels, FieldPanel("courses_per_page")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["courses.CoursePage", "courses.LearningPathPage"]
    template = "courses/course_index_page.html"
    cache_children = True  # the courses, routed through on every course and lesson request

    class Meta:
        verbose_name = _("course catalog")

    def get_context(self, request, *args, **kwargs):
        from courses.selectors import catalog_for

        context = super().get_context(request, *args, **kwargs)
        context["catalog"] = catalog_for(request.user, index=self, params=request.GET)
        return context


class CoursePage(RoutablePageMixin, DirectChildRoute, UnrestrictedPagesShortcut, Page):
    summary = models.TextField(_("summary"), max_length=600)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    competencies = ParentalManyToManyField(
        "competencies.Competency", verbose_name=_("competencies"), blank=True, related_name="courses"
    )
    level = models.CharField(_("level"), max_length=16, choices=Level.choices, default=Level.BEGINNER)
    estimated_minutes = models.PositiveIntegerField(_("estimated minutes"), default=60)
    prerequisites = ParentalManyToManyField(
        "courses.CoursePage",
        verbose_name=_("prerequisite courses"),
        blank=True,
        related_name="required_by",
        help_text=_("Courses a person must complete before enrolling in this one."),
    )
    minimum_tier = models.CharField(
        _("minimum partner tier"),
        max_length=16,
        choices=Tier.choices,
        blank=True,
        help_text=_("Leave empty to open the course to every partner tier."),
    )
    audience_organizations = ParentalManyToManyField(
        "partners.Organization",
        verbose_name=_("only these organizations"),
        blank=True,
        related_name="+",
        help_text=_("Leave empty for every organization. Other organizations do not see the course at all."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        MultiFieldPanel(
            [
                FieldPanel("competencies", widget=forms.CheckboxSelectMultiple),
                FieldRowPanel([FieldPanel("level"), FieldPanel("estimated_minutes")]),
                FieldPanel("prerequisites"),
            ],
            heading=_("Course details"),
        ),
        MultiFieldPanel(
            [FieldPanel("minimum_tier"), FieldPanel("audience_organizations")],
            heading=_("Audience"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.FilterField("level"),
        index.FilterField("locale_id"),
    ]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types = ["courses.CourseSectionPage", "courses.LessonPage"]
    route_child_models = ("courses.LessonPage",)  # most courses have no sections
    cache_children = True
    template = "courses/course_page.html"

    class Meta:
        verbose_name = _("course")

    @staticmethod
    def routing_cache_prefetches() -> list:
        """Kept with the page in the routing cache: every request of the course and its
        lessons checks the audience, and the course page shows the competencies
        (`courses.routing_cache` empties the entry when either changes)."""
        from courses.permissions import audience_prefetch

        return [audience_prefetch(), "competencies"]

    def clean(self) -> None:
        super().clean()
        if self.pk and any(prerequisite.pk == self.pk for prerequisite in self.prerequisites.all()):
            raise ValidationError({"prerequisites": _("A course cannot be its own prerequisite.")})

    def serve(self, request, *args, **kwargs):
        from courses.permissions import access_course

        access_course(request.user, self)
        return super().serve(request, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from courses.permissions import forget_enrolment
        from courses.selectors import course_overview
        from courses.services.attempts import close_expired_attempts

        context = super().get_context(request, *args, **kwargs)
        overview = course_overview(request.user, self)
        if overview.has_lapsed_attempt:  # graded as of its deadline before it is shown
            close_expired_attempts(user=request.user, course=self)
            forget_enrolment(self)  # closing it may have completed the course
            overview = course_overview(request.user, self)
        context["overview"] = overview
        return context

    @path("enrol/", name="enrol")
    def enrol_route(self, request):
        from courses import views

        return views.enrol(request, self)

    @path("withdraw/", name="withdraw")
    def withdraw_route(self, request):
        from courses import views

        return views.withdraw(request, self)

    @path("assessments/<int:assessment_id>/start/", name="start_attempt")
    def start_attempt_route(self, request, assessment_id: int):
        from courses import views

        return views.start_attempt(request, self, assessment_id)

    @path("attempts/<int:attempt_id>/", name="attempt")
    def attempt_route(self, request, attempt_id: int):
        from courses import views

        return views.attempt(request, self, attempt_id)

    @path("attempts/<int:attempt_id>/result/", name="attempt_result")
    def attempt_result_route(self, request, attempt_id: int):
        from courses import views

        return views.attempt_result(request, self, attempt_id)


class CourseSectionPage(DirectChildRoute, UnrestrictedPagesShortcut, Page):
    """An optional module grouping lessons inside a course."""

    summary = models.TextField(_("summary"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("summary")]
    parent_page_types = ["courses.CoursePage"]
    subpage_types = ["courses.LessonPage"]
    cache_children = True
    template = "courses/course_section_page.html"

    class Meta:
        verbose_name = _("course section")

    def serve(self, request, *args, **kwargs):
        from django.shortcuts import redirect

        return redirect(self.get_parent().specific.get_url(request))


class LessonPage(RoutablePageMixin, UnrestrictedPagesShortcut, Page):
    body = StreamField(LessonBodyBlock(), verbose_name=_("body"))
    estimated_minutes = models.PositiveIntegerField(_("estimated minutes"), default=10)
    required = models.BooleanField(
        _("required"), default=True, help_text=_("Optional lessons do not count toward completing the course.")
    )

    content_panels = [*Page.content_panels, FieldPanel("body")]
    settings_panels = [*Page.settings_panels, FieldRowPanel([FieldPanel("estimated_minutes"), FieldPanel("required")])]
    search_fields = [*Page.search_fields, index.SearchField("body")]
    parent_page_types = ["courses.CoursePage", "courses.CourseSectionPage"]
    subpage_types: list[str] = []
    template = "courses/lesson_page.html"

    class Meta:
        verbose_name = _("lesson")

    def serve(self, request, *args, **kwargs):
        from courses import views

        return views.serve_lesson(request, self, super().serve, *args, **kwargs)

    def get_context(self, request, *args, **kwargs):
        from courses.selectors import lesson_context

        context = super().get_context(request, *args, **kwargs)
        context.update(lesson_context(request.user, self))
        return context

    @path("complete/", name="complete")
    def complete_route(self, request):
        from courses import views

        return views.complete_lesson(request, self)

    @path("check/<str:block_id>/", name="knowledge_check")
    def knowledge_check_route(self, request, block_id: str):
        from courses import views

        return views.answer_knowledge_check(request, self, block_id)


class LearningPathPage(RoutablePageMixin, UnrestrictedPagesShortcut, Page):
    """An ordered set of courses, such as "Cloud Security Specialist"."""

    summary = models.TextField(_("summary"), max_length=600)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        InlinePanel("path_courses", heading=_("Courses, in order"), label=_("Course"), min_num=1),
    ]
    search_fields = [*Page.search_fields, index.SearchField("summary")]
    parent_page_types = ["courses.CourseIndexPage"]
    subpage_types: list[str] = []
    template = "courses/learning_path_page.html"

    class Meta:
        verbose_name = _("learning path")

    def get_context(self, request, *args, **kwargs):
        from courses.selectors import path_overview

        context = super().get_context(request, *args, **kwargs)
        context["overview"] = path_overview(request.user, self)
        return context

    @path("follow/", name="follow")
    def follow_route(self, request):
        from courses import views

        return views.follow_path(request, self)


class LearningPathCourse(Orderable):
    path = ParentalKey(LearningPathPage, on_delete=models.CASCADE, related_name="path_courses")
    course = models.ForeignKey(CoursePage, verbose_name=_("course"), on_delete=models.CASCADE, related_name="+")

    panels = [PageChooserPanel("course", page_type="courses.CoursePage")]

    class Meta(Orderable.Meta):
        verbose_name = _("course in a path")
        constraints = [models.UniqueConstraint(fields=["path", "course"], name="path_course_once")]
