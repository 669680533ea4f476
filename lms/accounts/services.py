"""Writes about people's accounts."""

from __future__ import annotations

from django.contrib.auth import password_validation

from lms.accounts.models import User


def create_person(
    *, email: str, password: str, first_name: str = "", last_name: str = "", preferred_language: str = "en"
) -> User:
    """A new account; the password must pass the configured validators."""
    user = User(
        email=email.strip().lower(),
        username=email.strip().lower(),
        first_name=first_name,
        last_name=last_name,
        preferred_language=preferred_language,
    )
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.save()
    return user
