"""Models written in English and Persian: show the reader's language, English as fallback."""

from __future__ import annotations

from django.utils.translation import get_language


class BilingualNameMixin:
    """For models with `name`/`name_fa` and `description`/`description_fa` fields."""

    name: str
    name_fa: str
    description: str
    description_fa: str

    @property
    def display_name(self) -> str:
        return self.name_fa if get_language() == "fa" and self.name_fa else self.name

    @property
    def display_description(self) -> str:
        return self.description_fa if get_language() == "fa" and self.description_fa else self.description
