"""Sign-in with a friendly 429 page; the other account pages are Django's own views with our templates.

Failed attempts are counted, and locked accounts refused, in the authentication
backend, so every sign-in path (this page, the Wagtail admin's) is throttled alike.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import render, resolve_url
from django.urls import reverse_lazy

from lms.accounts import ratelimit
from lms.accounts.forms import EmailAuthenticationForm
from lms.i18n import translate_path


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        account = request.POST.get("username", "")
        if ratelimit.is_login_limited(request, account):
            wait_minutes = settings.LOGIN_RATE_LIMIT["window_seconds"] // 60
            return render(request, "accounts/rate_limited.html", {"wait_minutes": wait_minutes}, status=429)
        return super().post(request, *args, **kwargs)

    def get_success_url(self) -> str:
        """Send people to the interface in the language they chose before."""
        url = translate_path(super().get_success_url(), self.request.user.preferred_language)
        if url == self.request.path:  # ?next= pointing back at the login page
            url = translate_path(resolve_url(settings.LOGIN_REDIRECT_URL), self.request.user.preferred_language)
        return url


class PasswordResetView(auth_views.PasswordResetView):
    """Django's reset, throttled per address and per client, with links built from BASE_URL
    rather than from the request's Host header."""

    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset_body.txt"
    html_email_template_name = "accounts/email/password_reset_body.html"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")
    extra_email_context = {
        "protocol": urlsplit(settings.BASE_URL).scheme,
        "domain": urlsplit(settings.BASE_URL).netloc,
    }

    def post(self, request, *args, **kwargs):
        address = request.POST.get("email", "")
        if ratelimit.is_limited(request, address, scope="password-reset"):
            wait_minutes = settings.PASSWORD_RESET_RATE_LIMIT["window_seconds"] // 60
            return render(request, "accounts/rate_limited.html", {"wait_minutes": wait_minutes}, status=429)
        ratelimit.record(request, address, scope="password-reset")
        return super().post(request, *args, **kwargs)
