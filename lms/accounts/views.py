"""Sign-in with rate limiting; the other account pages are Django's own views with our templates."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import views as auth_views
from django.shortcuts import render

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

    def form_invalid(self, form):
        if form.has_error("__all__", "invalid_login"):
            ratelimit.record_login_failure(self.request, self.request.POST.get("username", ""))
        return super().form_invalid(form)

    def form_valid(self, form):
        ratelimit.clear_account_failures(self.request, form.get_user().email)
        return super().form_valid(form)

    def get_success_url(self) -> str:
        """Send people to the interface in the language they chose before."""
        return translate_path(super().get_success_url(), self.request.user.preferred_language)
