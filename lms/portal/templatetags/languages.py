"""The current page's address in another language."""

from __future__ import annotations

from django import template

from lms.i18n import translate_path

register = template.Library()


@register.simple_tag(takes_context=True)
def page_in_language(context, language: str) -> str:
    request = context.get("request")
    return translate_path(request.get_full_path(), language) if request else "/"
