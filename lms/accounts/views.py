"""Sign-in with rate limiting; the other account pages are Django's own views with our templates."""

from __future__ import annotations

from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import translate_url
from django.utils import translation

from lms.accounts import ratelimit
from lms.accounts.forms import EmailAuthenticationForm


class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    authentication_form = EmailAuthenticationForm
    redirect_authenticated_user = True

    def post(self, request, *args, **kwargs):
        account = request.POST.get("username", "")
        if ratelimit.is_login_limited(request, account):
            return render(request, "accounts/rate_limited.html", status=429)
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
        url = super().get_success_url()
        language = self.request.user.preferred_language
        if language != translation.get_language():
            url = translate_url(url, language)
        return url


def set_language_cookie(response: HttpResponse, language: str) -> HttpResponse:
    from django.conf import settings

    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE,
        secure=settings.LANGUAGE_COOKIE_SECURE,
        samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        httponly=True,
    )
    return response
