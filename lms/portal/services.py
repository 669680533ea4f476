from __future__ import annotations

from django.conf import settings
from wagtail.models import Locale

from lms.portal.models import HomePage


def ensure_home_page_translation(*, language: str, hero_title: str, hero_text: str, title: str) -> HomePage:
    """The home page in `language`, created as a translation of the default one if missing."""
    home = HomePage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).first()
    translation = home.get_translation_or_none(Locale.objects.get(language_code=language))
    if translation is None:
        translation = home.copy_for_translation(Locale.objects.get(language_code=language))
    translation = translation.specific
    wanted = {"title": title, "hero_title": hero_title, "hero_text": hero_text}
    if translation.live and all(getattr(translation, name) == value for name, value in wanted.items()):
        return translation
    for name, value in wanted.items():
        setattr(translation, name, value)
    translation.save_revision().publish()
    return translation
