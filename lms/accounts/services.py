"""Writes about people's accounts."""

from __future__ import annotations

from django.contrib.auth import password_validation
from wagtail.users.models import UserProfile

from lms.accounts.models import User


def create_person(
    *, email: str, password: str, first_name: str = "", last_name: str = "", preferred_language: str = "en"
) -> User:
    """A new account; the password must pass the configured validators."""
    user = User(
        email=email,
        first_name=first_name,
        last_name=last_name,
        preferred_language=preferred_language,
    )
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.save()
    set_preferred_language(user=user, language=preferred_language)
    return user


def set_preferred_language(*, user: User, language: str) -> None:
    """Remember the language for the portal and for the Wagtail admin alike."""
    if user.preferred_language != language:
        user.preferred_language = language
        user.save(update_fields=["preferred_language"])
    profile = UserProfile.get_for_user(user)
    if profile.preferred_language != language:
        profile.preferred_language = language
        profile.save(update_fields=["preferred_language"])
