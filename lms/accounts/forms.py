"""Sign-in and sign-up forms."""

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from lms.accounts.backends import organization_is_suspended
from lms.accounts.emails import canonical_email, validate_ascii_email


class CanonicalEmailField(forms.EmailField):
    """An email field that cleans to the platform's one spelling of the address."""

    def to_python(self, value):
        return canonical_email(super().to_python(value))


class EmailAuthenticationForm(AuthenticationForm):
    username = CanonicalEmailField(
        label=_("Email"),
        max_length=254,
        validators=[validate_ascii_email],
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email", "dir": "ltr"}),
    )

    error_messages = {
        **AuthenticationForm.error_messages,
        "invalid_login": _("The email or password is not correct."),
        "suspended": _(
            "Your organization, %(organization)s, is suspended, so its members cannot sign in. "
            "Please contact the vendor's partner team."
        ),
    }

    def confirm_login_allowed(self, user) -> None:
        super().confirm_login_allowed(user)
        if organization_is_suspended(user):
            raise forms.ValidationError(
                self.error_messages["suspended"],
                code="suspended",
                params={"organization": user.membership.organization.display_name},
            )


class SignUpFromInvitationForm(forms.Form):
    """The new person's name and password; the email comes from the invitation."""

    first_name = forms.CharField(label=_("First name"), max_length=150)
    last_name = forms.CharField(label=_("Last name"), max_length=150)
    password1 = forms.CharField(
        label=_("Password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text=_("At least 12 characters, and not a common password."),
    )
    password2 = forms.CharField(
        label=_("Password again"), strip=False, widget=forms.PasswordInput(attrs={"autocomplete": "new-password"})
    )

    def __init__(self, *args, email: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("The two passwords do not match."))
        elif password1:
            from lms.accounts.models import User

            candidate = User(
                email=self.email, first_name=cleaned.get("first_name", ""), last_name=cleaned.get("last_name", "")
            )
            try:
                password_validation.validate_password(password1, candidate)
            except forms.ValidationError as error:
                self.add_error("password1", error)
        return cleaned
