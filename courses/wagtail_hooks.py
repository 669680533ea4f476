"""Course authors manage question banks, questions, quizzes and exams in the Wagtail admin."""

from django.contrib.auth.views import redirect_to_login
from django.contrib.contenttypes.models import ContentType
from django.http import Http404
from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import HeaderButton
from wagtail.models import ReferenceIndex
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import EditView, SnippetViewSet, SnippetViewSetGroup

from courses import admin_views
from courses.audience import Access
from courses.models import Assessment, LessonPage, Question, QuestionBank
from courses.permissions import course_access, enrolment_for, is_staff_reader
from courses.services.progress import course_of


class BankEditView(EditView):
    @property
    def header_buttons(self):
        pk = self.object.pk
        return [
            *super().header_buttons,
            HeaderButton(
                _("Import questions"), url=reverse("courses_admin_import_bank", args=(pk,)), icon_name="upload"
            ),
            HeaderButton(
                _("Export CSV"), url=reverse("courses_admin_export_bank", args=(pk, "csv")), icon_name="download"
            ),
            HeaderButton(
                _("Export JSON"), url=reverse("courses_admin_export_bank", args=(pk, "json")), icon_name="download"
            ),
        ]


class QuestionBankViewSet(SnippetViewSet):
    model = QuestionBank
    icon = "list-ul"
    menu_label = _("Question banks")
    edit_view_class = BankEditView
    list_display = ["name", "language"]
    list_filter = ["language", "competencies"]
    search_fields = ["name"]


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    menu_label = _("Questions")
    list_display = ["prompt", "bank", "kind", "points", "is_active"]
    list_filter = ["bank", "kind", "is_active"]
    search_fields = ["prompt"]


class AssessmentViewSet(SnippetViewSet):
    model = Assessment
    icon = "tasks"
    menu_label = _("Quizzes and exams")
    list_display = ["title", "kind", "course", "pass_mark", "max_attempts"]
    list_filter = ["kind"]
    search_fields = ["title"]


class CourseAuthoringGroup(SnippetViewSetGroup):
    items = (QuestionBankViewSet, QuestionViewSet, AssessmentViewSet)
    menu_icon = "doc-full-inverse"
    menu_label = _("Assessments")
    menu_order = 150


register_snippet(CourseAuthoringGroup)


@hooks.register("register_admin_urls")
def register_bank_file_urls():
    return [
        path("question-banks/<int:pk>/import/", admin_views.import_bank, name="courses_admin_import_bank"),
        path(
            "question-banks/<int:pk>/export/<str:file_format>/",
            admin_views.export_bank,
            name="courses_admin_export_bank",
        ),
    ]


@hooks.register("before_serve_document")
def guard_lesson_documents(document, request):
    """A document used in lessons is for the people who may take one of those courses.

    Wagtail serves documents to anyone with the link; lesson material of a course meant
    for certain organizations or tiers must not be. Documents no lesson uses stay public.
    """
    lesson_ids = [
        int(object_id)
        for object_id in ReferenceIndex.get_references_to(document)
        .filter(content_type=ContentType.objects.get_for_model(LessonPage))
        .values_list("object_id", flat=True)
    ]
    lessons = list(LessonPage.objects.filter(pk__in=lesson_ids))
    if not lessons:
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if is_staff_reader(request.user):
        return None
    for lesson in lessons:
        course = course_of(lesson)
        if course_access(request.user, course) == Access.OPEN and enrolment_for(request.user, course):
            return None
    raise Http404
