"""Reference views: the real templates rendered from in-memory data.

Each one stands for the least work its page can do: the same middleware, context
processors and template, but no data access of its own. They are served only
through bench.urls, never by the app.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseNotAllowed, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.views.decorators.cache import never_cache

from courses.models import LessonCompletion
from lms.portal.sections import RenderedSection
from lms.portal.selectors import Dashboard


@dataclass(frozen=True)
class PageData:
    """The HomePage attributes that templates/portal/home_page.html reads."""

    title: str
    seo_title: str
    hero_title: str
    hero_text: str
    body: str


@dataclass(frozen=True)
class OrganizationData:
    """The Organization attributes that templates/portal/learn.html reads.

    get_*_display are plain strings: templates call callables and print strings alike.
    """

    display_name: str
    tier: str
    get_tier_display: str


@dataclass(frozen=True)
class MembershipData:
    is_admin: bool
    get_role_display: str
    joined_at: datetime


@dataclass(frozen=True)
class PageContext:
    """A Wagtail page's template, path and context, computed once by the app's own selectors.

    The objects in `context` are the selectors' results, models included, with every
    relation the template reads already loaded, so rendering them queries nothing.
    """

    template: str
    path: str
    context: dict[str, Any]


@dataclass
class ReferenceData:
    """Filled once by bench.data.load_references before any request."""

    home_page: PageData | None = None
    dashboards: dict[int, Dashboard] = field(default_factory=dict)
    learn_sections: dict[int, list[RenderedSection]] = field(default_factory=dict)
    catalog: PageContext | None = None
    course: PageContext | None = None
    lesson: PageContext | None = None
    # exam_submit: the one row the bare POST inserts is a LessonCompletion of this lesson.
    insert_lesson_id: int | None = None
    # verify: the bytes the verification page answered once, served by the bare view.
    verify_html: bytes = b""
    # tiers-dashboard: the dashboard's context (form, first page, its rows), computed once.
    tier_dashboard: dict[str, Any] | None = None
    # playbook: the 40-block playbook page, its body already read (bench.playbooks).
    playbook: PageContext | None = None


REFERENCE = ReferenceData()


def _mirror(request: HttpRequest, path: str) -> None:
    # The navigation marks the current item and the language switch posts back to
    # request.path; showing the real page's path keeps the HTML identical to it.
    request.path = path


def home(request: HttpRequest) -> HttpResponse:
    _mirror(request, "/")
    # The same context Wagtail's Page.get_context gives the template.
    return render(request, "portal/home_page.html", {"page": REFERENCE.home_page, "self": REFERENCE.home_page})


@login_required
def learn(request: HttpRequest) -> HttpResponse:
    _mirror(request, "/learn/")
    context = {
        "dashboard": REFERENCE.dashboards[request.user.pk],
        "sections": REFERENCE.learn_sections[request.user.pk],
    }
    return render(request, "portal/learn.html", context)


def _page(request: HttpRequest, page: PageContext | None) -> HttpResponse:
    assert page is not None, "bench.data.load_references fills it"
    _mirror(request, page.path)
    return render(request, page.template, page.context)


@login_required
def catalog(request: HttpRequest) -> HttpResponse:
    return _page(request, REFERENCE.catalog)


@login_required
def course(request: HttpRequest) -> HttpResponse:
    return _page(request, REFERENCE.course)


@login_required
def playbook(request: HttpRequest) -> HttpResponse:
    return _page(request, REFERENCE.playbook)


@login_required
@never_cache  # as courses.views.serve_lesson
def lesson(request: HttpRequest) -> HttpResponse:
    return _page(request, REFERENCE.lesson)


@login_required
def exam_submit(request: HttpRequest) -> HttpResponse:
    """A bare POST: read the submitted form, insert one row, redirect."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    if not request.POST:  # parsing the form is work every submission does
        return HttpResponse(status=400)
    LessonCompletion.objects.create(
        user=request.user, lesson_id=REFERENCE.insert_lesson_id, completed_at=timezone.now()
    )
    return HttpResponseRedirect(f"{request.path}done/")


def bare(request: HttpRequest) -> HttpResponse:
    """A bare view: no data access, no template, just bytes (the verification page's own)."""
    return HttpResponse(REFERENCE.verify_html)


@login_required
def tier_dashboard(request: HttpRequest) -> HttpResponse:
    """certifications/tiers/dashboard.html from the rows the dashboard's selectors returned once."""
    assert REFERENCE.tier_dashboard is not None, "bench.tiers.load_tier_references fills it"
    _mirror(request, "/tiers/")
    response = render(request, "certifications/tiers/dashboard.html", REFERENCE.tier_dashboard)
    patch_cache_control(response, private=True, no_cache=True)  # as the page
    return response
