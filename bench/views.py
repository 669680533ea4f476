"""Reference views: the real templates rendered from in-memory data.

Each one stands for the least work its page can do: the same middleware, context
processors and template, but no data access of its own. They are served only
through bench.urls, never by the app.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

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


@dataclass
class ReferenceData:
    """Filled once by bench.data.load_references before any request."""

    home_page: PageData | None = None
    dashboards: dict[int, Dashboard] = field(default_factory=dict)


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
    return render(request, "portal/learn.html", {"dashboard": REFERENCE.dashboards[request.user.pk]})
