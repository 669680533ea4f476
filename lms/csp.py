"""Content-Security-Policy: strict on the portal, relaxed only where Wagtail's admin needs it.

The Wagtail admin still runs a few inline scripts (inline panels, date pickers),
so under /admin/ script-src also allows 'unsafe-inline'. Everything else —
every page partners see — keeps script-src 'self' plus a nonce.
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.csp import CSP

ADMIN_PREFIX = "/admin/"


def admin_policy() -> dict[str, list[str]]:
    policy = {directive: list(sources) for directive, sources in settings.SECURE_CSP.items()}
    policy["script-src"] = [CSP.SELF, CSP.UNSAFE_INLINE]
    return policy


class AdminContentSecurityPolicyMiddleware:
    """Sits inside Django's ContentSecurityPolicyMiddleware and picks the admin policy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = admin_policy()

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if request.path_info.startswith(ADMIN_PREFIX):
            response._csp_config = self.policy
        return response
