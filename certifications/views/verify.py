"""Public credential verification: the lookup form, the verification page and the PDF
certificate. No sign-in; a credential is found only by its own code.

Every page and certificate request counts against the client address
(`VERIFY_RATE_LIMIT`), found or not, before the database is asked: counting only
unknown codes would let someone holding one valid code make unlimited requests, and
counting all of them also caps how many certificates one address can have rendered.
Being refused says nothing about whether a code exists. Responses are never cached by
browsers or proxies, so a revocation shows on the very next request, and are kept out
of search engines. The page an anonymous visitor gets is kept in the server's cache
(`certifications.verify_cache`), which every change to what it shows invalidates.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from django import forms
from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe

from certifications import badges, certificates, verify_cache
from certifications.models import IssuerSettings
from certifications.verification import (
    STATUS_EXPLANATIONS,
    STATUS_LABELS,
    PublicStatus,
    credential_by_code,
    extract_code,
    is_code_shaped,
    printed_date,
    public_holder_name,
    public_status,
    verification_url,
)
from lms import clock
from lms.accounts.ratelimit import hit_limit

RATE_SCOPE = "verify"


class LookupForm(forms.Form):
    code = forms.CharField(
        label=_("Verification code or address"),
        max_length=500,
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off", "spellcheck": "false"}),
        help_text=_("The code or the verification address printed on the certificate."),
        error_messages={"required": _("Enter the verification code printed on the certificate.")},
    )

    def clean_code(self) -> str:
        code = extract_code(self.cleaned_data["code"])
        if code is None:
            raise forms.ValidationError(
                _("This is not a verification code. Check it against the certificate and try again.")
            )
        return code


def public_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """No caching anywhere (a status change shows at once) and no search indexing."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        response = view(request, *args, **kwargs)
        add_never_cache_headers(response)
        response["X-Robots-Tag"] = "noindex, nofollow"
        return response

    return wrapped


def _limited(request: HttpRequest) -> HttpResponse | None:
    limits = settings.VERIFY_RATE_LIMIT
    window = limits["window_seconds"]
    if not hit_limit(request, scope=RATE_SCOPE, limit=limits["per_ip"], window_seconds=window):
        return None
    context = {"form": LookupForm(), "limited": True, "wait_minutes": max(1, window // 60)}
    response = render(request, "certifications/verify_lookup.html", context, status=429)
    response["Retry-After"] = str(window)
    return response


@require_safe
@public_page
def lookup(request: HttpRequest) -> HttpResponse:
    """The "verify a credential" form (GET): a bare code or a pasted address."""
    if "code" not in request.GET:
        return render(request, "certifications/verify_lookup.html", {"form": LookupForm()})
    form = LookupForm(request.GET)
    if not form.is_valid():
        return render(request, "certifications/verify_lookup.html", {"form": form}, status=400)
    return redirect("certifications:verify", code=form.cleaned_data["code"])


@require_safe
@public_page
def verify(request: HttpRequest, code: str) -> HttpResponse:
    if response := _limited(request):
        return response
    if not is_code_shaped(code):
        raise Http404
    now = clock.now()
    use_cache = verify_cache.cacheable(request)
    if use_cache:
        cached, tokens = verify_cache.cached_response(request, code, now=now)
        if cached is not None:
            return cached
    credential = credential_by_code(code)
    if credential is None:
        raise Http404
    status = PublicStatus(public_status(credential, now=now))
    context = {
        "credential": credential,
        "certification": credential.certification,
        "holder_name": public_holder_name(credential),
        "status": status.value,
        "status_label": STATUS_LABELS[status],
        "status_explanation": STATUS_EXPLANATIONS[status],
        "issued": printed_date(credential.issued_at),
        "expires": printed_date(credential.expires_at),
        "status_changed": printed_date(credential.status_changed_at) if status != PublicStatus.VALID else None,
        "issuer": IssuerSettings.load(request),
        "verify_url": verification_url(credential),
        "assertion_url": badges.assertion_url(credential),
        "form": LookupForm(),
    }
    response = render(request, "certifications/verify.html", context)
    if use_cache:
        # A valid page turns into an expired one at the expiry, with no change to store.
        valid_until = credential.expires_at if status == PublicStatus.VALID else None
        verify_cache.store(request, response, code=code, tokens=tokens, valid_until=valid_until)
    return response


@require_safe
@public_page
def certificate_pdf(request: HttpRequest, code: str) -> HttpResponse:
    if response := _limited(request):
        return response
    credential = credential_by_code(code)
    if credential is None:
        raise Http404
    response = HttpResponse(certificates.certificate_pdf(credential), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{certificates.download_filename(credential)}"'
    return response
