"""People who sign in: partner staff and vendor staff alike, identified by email."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from lms.accounts.emails import canonical_email, validate_ascii_email


class EmailUserManager(UserManager):
    """Looks people up by email, ignoring case, as the login form does."""

    def get_by_natural_key(self, username):
        return self.get(email=canonical_email(username or ""))


class User(AbstractUser):
    email = models.EmailField(_("email address"), unique=True, validators=[validate_ascii_email])
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=8,
        choices=settings.LANGUAGES,
        default="en",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = ["username"]

    objects = EmailUserManager()

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [models.UniqueConstraint(Lower("email"), name="accounts_user_email_ci_unique")]

    def save(self, *args, **kwargs):
        self.email = canonical_email(self.email)
        if not self.username:
            self.username = username_for(self.email)
        super().save(*args, **kwargs)

    def clean(self) -> None:
        super().clean()
        if self.is_superuser and self.pk and hasattr(self, "membership"):
            raise ValidationError({"is_superuser": _("Members of a partner organization cannot be superusers.")})

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.email


def username_for(email: str) -> str:
    """Django's required, unique username, derived from the (unique) email.

    People sign in with their email; the username only has to be unique and fit 150
    characters, so a long address is shortened and made unique by its hash.
    """
    if len(email) <= 150:
        return email
    return f"{email[:100]}#{hashlib.sha256(email.encode()).hexdigest()[:40]}"
