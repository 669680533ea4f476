"""The portal shell: my dashboard, the language switch and the error pages."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from lms.accounts.services import set_preferred_language
from lms.pages import path_in_language
from lms.portal.sections import learn_sections
from lms.portal.selectors import dashboard_for


@login_required
def learn(request: HttpRequest) -> HttpResponse:
    context = {"dashboard": dashboard_for(request.user), "sections": learn_sections(request)}
    return render(request, "portal/learn.html", context)


@require_http_methods(["GET", "POST"])
def switch_language(request: HttpRequest) -> HttpResponse:
    """Switch the interface language and stay on the same page, or as close to it as
    the other language has. Signed-in people POST, which also saves their choice;
    visitors follow a link (GET), which changes nothing on the server."""
    data = request.POST if request.method == "POST" else request.GET
    language = data.get("language", "")
    if language not in dict(settings.LANGUAGES):
        return HttpResponseBadRequest(_("Unknown language."))
    next_url = data.get("next", "/")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = "/"
    if request.user.is_authenticated and request.method == "POST":
        set_preferred_language(user=request.user, language=language)
    return redirect(path_in_language(request, next_url, language))


def permission_denied(request: HttpRequest, exception=None) -> HttpResponse:
    message = str(exception) if exception and str(exception) else _("You do not have access to this page.")
    return render(request, "403.html", {"message": message}, status=403)


def page_not_found(request: HttpRequest, exception=None) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """Rendered without context processors: the database may be what failed."""
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render({}), status=500)
