"""Open Badges 2.0 hosted documents and the badge image, at language-free addresses
under /badges/ (see `certifications.badges` for what each status answers and why).

Backpacks and validators fetch these from other origins without a session: every
answer allows any origin, sets no cookie and needs no sign-in. JSON-LD goes out as
`application/ld+json` unless the request accepts only `application/json` (the spec's
"Setting Content-Type"). Assertions are never cached, so a revocation shows on the
very next request.
"""

from __future__ import annotations

import json

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_safe

from certifications import badges
from certifications.models import IssuerSettings
from lms import clock

JSON_LD = "application/ld+json"
JSON = "application/json"
DOCUMENT_MAX_AGE = 3600  # issuer and badge class: edits show within the hour
IMAGE_MAX_AGE = 24 * 3600


def _json_type(request: HttpRequest) -> str:
    if "Accept" in request.headers and not request.accepts(JSON_LD) and request.accepts(JSON):
        return JSON
    return JSON_LD


def _document(request: HttpRequest, document: dict, *, status: int = 200, max_age: int | None = None) -> HttpResponse:
    body = json.dumps(document, ensure_ascii=False, indent=2)
    response = HttpResponse(body.encode(), status=status, content_type=f"{_json_type(request)}; charset=utf-8")
    response["Access-Control-Allow-Origin"] = "*"
    patch_vary_headers(response, ["Accept"])
    if max_age is None:
        patch_cache_control(response, no_cache=True)
    else:
        patch_cache_control(response, public=True, max_age=max_age)
    return response


def _not_found(request: HttpRequest) -> HttpResponse:
    return _document(request, {"error": "not found"}, status=404)


@require_safe
def issuer(request: HttpRequest) -> HttpResponse:
    facts = badges.issuer_facts(IssuerSettings.load(request_or_site=request))
    return _document(request, badges.issuer_document(facts), max_age=DOCUMENT_MAX_AGE)


@require_safe
def badge_class(request: HttpRequest, slug: str) -> HttpResponse:
    # Switched-off certifications keep their BadgeClass: issued assertions point at it.
    certification = badges.badge_class_queryset().filter(slug=slug).first()
    if certification is None:
        return _not_found(request)
    document = badges.badge_class_document(badges.badge_class_facts(certification))
    return _document(request, document, max_age=DOCUMENT_MAX_AGE)


@require_safe
def badge_image(request: HttpRequest, slug: str) -> HttpResponse:
    certification = badges.Certification.objects.select_related("badge_image").filter(slug=slug).first()
    if certification is None:
        return _not_found(request)
    response = HttpResponse(badges.badge_image_png(certification), content_type="image/png")
    response["Access-Control-Allow-Origin"] = "*"
    patch_cache_control(response, public=True, max_age=IMAGE_MAX_AGE)
    if request.GET.get("download") == "1":
        response["Content-Disposition"] = content_disposition_header(True, f"{certification.slug}.png")
    return response


@require_safe
def assertion(request: HttpRequest, code: str) -> HttpResponse:
    credential = badges.assertion_queryset().filter(code=code).first() if badges.is_code_shaped(code) else None
    if credential is None:
        return _not_found(request)
    status, document = badges.assertion_answer(credential, now=clock.now())
    return _document(request, document, status=status)
