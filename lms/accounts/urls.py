from django.contrib.auth import views as auth_views
from django.urls import path, reverse_lazy
from django.utils.translation import gettext_lazy as _

from lms.accounts import views
from lms.partners import views as partner_views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "password/change/",
        auth_views.PasswordChangeView.as_view(
            template_name="accounts/password_change.html", success_url=reverse_lazy("accounts:password_change_done")
        ),
        name="password_change",
    ),
    path(
        "password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(
            template_name="accounts/notice.html",
            extra_context={"heading": _("Password changed"), "text": _("Your password has been changed.")},
        ),
        name="password_change_done",
    ),
    path(
        "password/reset/",
        views.PasswordResetView.as_view(),
        name="password_reset",
    ),
    path(
        "password/reset/sent/",
        auth_views.PasswordResetDoneView.as_view(
            template_name="accounts/notice.html",
            extra_context={
                "heading": _("Check your email"),
                "text": _(
                    "If an account exists for that address, we have sent a link to choose a new password. "
                    "The link is valid for one day."
                ),
            },
        ),
        name="password_reset_done",
    ),
    path(
        "password/reset/<uidb64>/<token>/",
        auth_views.PasswordResetConfirmView.as_view(
            template_name="accounts/password_reset_confirm.html",
            success_url=reverse_lazy("accounts:password_reset_complete"),
        ),
        name="password_reset_confirm",
    ),
    path(
        "password/reset/complete/",
        auth_views.PasswordResetCompleteView.as_view(
            template_name="accounts/notice.html",
            extra_context={
                "heading": _("Password saved"),
                "text": _("Your new password has been saved. You can sign in now."),
            },
        ),
        name="password_reset_complete",
    ),
    path("invite/<str:token>/", partner_views.accept_invitation, name="accept_invitation"),
]
