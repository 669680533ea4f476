"""Course actions: enrol, withdraw, lessons, knowledge checks, attempts, team progress.

Course and lesson pages route their actions here (see the `@path` routes on the
page models). Each page's `serve()` checks that the reader may open the course
(`CoursePage.serve`, `serve_lesson` below) before any of its routes runs, so the
route views only check what is theirs: sign-in, the method and the person's own
attempt. Refusals are pages with a 4xx status and a message in the reader's language.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache

from courses.forms import AssignForm, answers_from_post
from courses.models import Assessment, CoursePage, LearningPathPage, LessonPage
from courses.permissions import access_attempt, access_course, enrolment_for, is_staff_reader
from courses.reports import team_progress, team_progress_csv
from courses.selectors import attempt_view, course_overview
from courses.services import CourseActionError
from courses.services.attempts import AttemptTooLate, close_if_expired, submit_attempt
from courses.services.attempts import start_attempt as start_attempt_service
from courses.services.enrolment import assign_course, assign_path, enrol_in_path, enrol_learner, withdraw_learner
from courses.services.progress import answer_knowledge_check as answer_check_service
from courses.services.progress import complete_lesson as complete_lesson_service
from courses.services.progress import course_of, record_visit
from lms.i18n import local_digits
from lms.partners.permissions import access_managed_organization


def refused(request: HttpRequest, error: CourseActionError, *, back: str | None = None) -> HttpResponse:
    return render(request, "courses/refused.html", {"message": error.message, "back": back}, status=error.status)


def _require_post(request: HttpRequest) -> HttpResponse | None:
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    return None


def _require_login(request: HttpRequest) -> HttpResponse | None:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    return None


def enrol(request: HttpRequest, course: CoursePage) -> HttpResponse:
    if response := _require_post(request) or _require_login(request):
        return response
    try:
        enrol_learner(user=request.user, course=course)
    except CourseActionError as error:
        return refused(request, error, back=course.get_url(request))
    messages.success(request, _("You are enrolled. Start with the first lesson."))
    return redirect(course.get_url(request))


def withdraw(request: HttpRequest, course: CoursePage) -> HttpResponse:
    if response := _require_post(request) or _require_login(request):
        return response
    try:
        withdraw_learner(user=request.user, course=course)
    except CourseActionError as error:
        return refused(request, error, back=course.get_url(request))
    messages.success(request, _("You have left the course. Your completed lessons are kept if you come back."))
    return redirect(course.get_url(request))


def serve_lesson(request: HttpRequest, lesson: LessonPage, serve, *args, **kwargs) -> HttpResponse:
    """Lessons are for enrolled people (and vendor staff, who may preview them)."""
    if response := _require_login(request):
        return response
    course = course_of(lesson)
    access_course(request.user, course)
    if not is_staff_reader(request.user):
        enrolment = enrolment_for(request.user, course)
        if enrolment is None:
            messages.info(request, _("Enrol in the course to open its lessons."))
            return redirect(course.get_url(request))
        if enrolment.last_lesson_id != lesson.pk:
            record_visit(user=request.user, lesson=lesson)
            enrolment.last_lesson_key = lesson.translation_key  # as the page shows it
    return never_cache(lambda req: serve(req, *args, **kwargs))(request)


def complete_lesson(request: HttpRequest, lesson: LessonPage) -> HttpResponse:
    if response := _require_post(request) or _require_login(request):
        return response
    try:
        complete_lesson_service(user=request.user, lesson=lesson)
    except CourseActionError as error:
        return refused(request, error, back=lesson.get_url(request))
    messages.success(request, _("Lesson completed."))
    following = request.POST.get("next_lesson", "")
    next_page = LessonPage.objects.filter(pk=following).live().first() if following.isdigit() else None
    if next_page is not None and course_of(next_page).pk == course_of(lesson).pk:
        return redirect(next_page.get_url(request))
    return redirect(course_of(lesson).get_url(request))


def answer_knowledge_check(request: HttpRequest, lesson: LessonPage, block_id: str) -> HttpResponse:
    if response := _require_post(request) or _require_login(request):
        return response
    chosen = request.POST.getlist("choice")
    anchor = f"{lesson.get_url(request)}#check-{block_id}"
    if not chosen:  # an honest slip, not tampering: back to the question
        messages.warning(request, _("Choose an answer before checking it."))
        return redirect(anchor)
    try:
        answer_check_service(user=request.user, lesson=lesson, block_id=block_id, chosen=chosen)
    except CourseActionError as error:
        return refused(request, error, back=lesson.get_url(request))
    return redirect(anchor)


def _assessment(course: CoursePage, assessment_id: int) -> Assessment:
    assessment = (
        Assessment.objects.select_related("course")
        .filter(pk=assessment_id, course__translation_key=course.translation_key)
        .first()
    )
    if assessment is None:
        raise Http404(_("No such quiz or exam."))
    return assessment


def start_attempt(request: HttpRequest, course: CoursePage, assessment_id: int) -> HttpResponse:
    if response := _require_post(request) or _require_login(request):
        return response
    assessment = _assessment(course, assessment_id)
    try:
        attempt = start_attempt_service(user=request.user, assessment=assessment)
    except CourseActionError as error:
        return refused(request, error, back=course.get_url(request))
    return redirect(course.get_url(request) + course.reverse_subpage("attempt", args=(attempt.pk,)))


@never_cache
def attempt(request: HttpRequest, course: CoursePage, attempt_id: int) -> HttpResponse:
    if response := _require_login(request):
        return response
    own = access_attempt(request.user, course, attempt_id)
    result_url = course.get_url(request) + course.reverse_subpage("attempt_result", args=(own.pk,))
    if request.method == "POST":
        try:
            answers = answers_from_post(request.POST)
            submit_attempt(user=request.user, attempt=own, answers=answers)
        except AttemptTooLate as error:
            return refused(request, error, back=result_url)
        except CourseActionError as error:
            return refused(request, error, back=request.path)
        return redirect(result_url)
    if not own.is_open or close_if_expired(own):
        return redirect(result_url)
    return render(request, "courses/attempt.html", {"course": course, **attempt_view(own, graded=False)})


@never_cache
def attempt_result(request: HttpRequest, course: CoursePage, attempt_id: int) -> HttpResponse:
    if response := _require_login(request):
        return response
    own = access_attempt(request.user, course, attempt_id)
    if own.is_open and not close_if_expired(own):
        return redirect(course.get_url(request) + course.reverse_subpage("attempt", args=(own.pk,)))
    overview = course_overview(request.user, course)
    context = {"course": course, "overview": overview, **attempt_view(own, graded=True)}
    return render(request, "courses/attempt_result.html", context)


def follow_path(request: HttpRequest, path: LearningPathPage) -> HttpResponse:
    if response := _require_post(request) or _require_login(request):
        return response
    enrol_in_path(user=request.user, path=path)
    messages.success(request, _("You are following this learning path."))
    return redirect(path.get_url(request))


# Partner admins -------------------------------------------------------------------------


@login_required
def assign(request: HttpRequest, slug: str) -> HttpResponse:
    organization = access_managed_organization(request.user, slug=slug)
    form = AssignForm(request.POST or None, organization=organization, user=request.user)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            people = [member.user_id for member in data["members"]]
            try:
                if data["path"]:
                    count = assign_path(
                        assigned_by=request.user,
                        organization=organization,
                        user_ids=people,
                        path=data["path"],
                        due_date=data["due_date"],
                    )
                else:
                    count = assign_course(
                        assigned_by=request.user,
                        organization=organization,
                        user_ids=people,
                        course=data["course"],
                        due_date=data["due_date"],
                    )
            except CourseActionError as error:
                form.add_error(None, error.message)
                status = error.status
            else:
                messages.success(
                    request,
                    ngettext("Assigned to %(count)s person.", "Assigned to %(count)s people.", count)
                    % {"count": local_digits(count)},
                )
                return redirect("partners:team", slug=organization.slug)
        else:
            status = 400
    return render(request, "courses/assign.html", {"organization": organization, "form": form}, status=status)


@login_required
def team_progress_export(request: HttpRequest, slug: str) -> HttpResponse:
    organization = access_managed_organization(request.user, slug=slug)
    response = HttpResponse(team_progress_csv(team_progress(organization)), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{organization.slug}-progress.csv"'
    patch_cache_control(response, private=True, no_store=True)
    return response
