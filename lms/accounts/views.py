"""Sign-in with a friendly 429 page; the other account pages are Django's own views with our templates.

Failed attempts are counted, and locked accounts refused, in the authentication
backend, so every sign-in path (this page, the Wagtail admin's) is throttled alike.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import render, resolve_url

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
