"""Request bodies over their limit are refused before anything reads them.

Django's CSRF middleware reads request.POST, which parses a multipart body and
spools its files, before any view runs. So the limit is checked here, from the
Content-Length the client announces, ahead of the CSRF middleware.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def declared_body_size(request: HttpRequest) -> int:
    try:
        return int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return 0


# Where tier-gate evidence is sent: /tiers/<slug>/gates/submit/, in either language.
EVIDENCE_PATH = re.compile(r"^/(?:fa/)?tiers/[-\w]+/gates/submit/$")


def body_limit(path: str) -> int:
    """The largest body accepted for `path`: the admin takes media uploads, the evidence
    form a report, the other portal forms little."""
    if path.startswith("/admin/"):
        return settings.MAX_ADMIN_REQUEST_BYTES
    if EVIDENCE_PATH.match(path):
        return settings.MAX_EVIDENCE_UPLOAD_BYTES + 64 * 1024  # the form's other fields
    return settings.MAX_PORTAL_REQUEST_BYTES


class RequestSizeLimitMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        limit = body_limit(request.path_info)
        if declared_body_size(request) > limit:
            context = {"limit_kb": limit // 1024}
            return render(request, "413.html", context, status=413)
        return self.get_response(request)
