"""Language versions of a page share one identity: the original (first) page.

Progress, enrolments and attempts point at the original page, so a learner's
record is the same whichever language version of a course they use.
"""

from __future__ import annotations

from wagtail.models import Page


def original_page[P: Page](page: P) -> P:
    original = type(page).objects.filter(translation_key=page.translation_key).order_by("pk").first()
    return page if original is None or original.pk == page.pk else original
