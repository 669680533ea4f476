"""Build playbook content for tests: catalogs, playbooks, media and a body with every block."""

from __future__ import annotations

from io import BytesIO

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PillowImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Locale

from lms.portal.models import HomePage
from playbooks.models import PlaybookIndexPage, PlaybookPage

BLOCK_TYPES = (
    "key_message",
    "talking_points",
    "objection_handling",
    "presentation_template",
    "case_study",
    "logo_usage",
    "campaign_kit",
    "asset_gallery",
    "related_courses",
)


def catalog(language: str = "en") -> PlaybookIndexPage:
    """The catalog the migration made (English), or its translation, made here."""
    existing = PlaybookIndexPage.objects.filter(locale__language_code=language).first()
    if existing:
        return existing
    english = PlaybookIndexPage.objects.get(locale__language_code="en")
    locale = Locale.objects.get(language_code=language)
    home = HomePage.objects.get(locale__language_code="en")
    home_translation = home.get_translation_or_none(locale) or home.copy_for_translation(locale)
    home_translation.save_revision().publish()
    translation = english.copy_for_translation(locale)
    translation.title = "راهنماهای فروش"
    translation.save_revision().publish()
    return translation


def playbook(index: PlaybookIndexPage | None = None, *, title: str = "Selling backups", **fields) -> PlaybookPage:
    index = index or catalog()
    competencies = fields.pop("competencies", [])
    organizations = fields.pop("audience_organizations", [])
    tags = fields.pop("tags", [])
    page = PlaybookPage(
        title=title,
        slug=fields.pop("slug", None) or title.lower().replace(" ", "-")[:50],
        summary=fields.pop("summary", f"Summary of {title}."),
        **fields,
    )
    page.competencies = competencies
    page.audience_organizations = organizations
    index.add_child(instance=page)
    if tags:
        page.tags.add(*tags)
    page.save_revision().publish()
    return page


def translate(page: PlaybookPage, language: str, *, title: str) -> PlaybookPage:
    locale = Locale.objects.get(language_code=language)
    catalog(language)
    translation = page.copy_for_translation(locale)
    translation.title = title
    translation.save_revision().publish()
    return translation


def image(title: str = "Logo", colour: str = "#0b5f73"):
    buffer = BytesIO()
    PillowImage.new("RGB", (64, 48), colour).save(buffer, format="PNG")
    return get_image_model().objects.create(title=title, file=ImageFile(BytesIO(buffer.getvalue()), name="logo.png"))


def document(title: str = "Pitch deck"):
    return get_document_model().objects.create(title=title, file=ContentFile(b"%PDF-1.4 test", name="deck.pdf"))


def full_body(*, picture, file, course=None) -> list[dict]:
    """A body with one block of every type, in raw StreamField form."""
    return [
        {
            "type": "key_message",
            "value": {
                "headline": "Backups you can prove",
                "supporting_points": ["Tested every night"],
                "proof_points": [{"statement": "99.7% restores succeed", "source": "Telemetry 2026"}],
            },
        },
        {
            "type": "talking_points",
            "value": {
                "title": "",
                "personas": [{"persona": "CIO", "concern": "Risk", "points": ["Show the board a restore"]}],
            },
        },
        {
            "type": "objection_handling",
            "value": {
                "title": "",
                "objections": [{"objection": "Too expensive", "answer": "<p>Cheaper than one outage.</p>"}],
            },
        },
        {
            "type": "presentation_template",
            "value": {"document": file.pk, "title": "", "description": "Twelve slides", "thumbnail": picture.pk},
        },
        {
            "type": "case_study",
            "value": {
                "customer": "Pasargad Trust",
                "industry": "Banking",
                "logo": picture.pk,
                "challenge": "<p>Restores failed.</p>",
                "solution": "<p>Nightly tests.</p>",
                "results": [{"figure": "89%", "label": "shorter recovery"}],
                "quote": "We finally know our backups work.",
                "quote_author": "Head of IT",
            },
        },
        {
            "type": "logo_usage",
            "value": {
                "title": "",
                "variants": [{"name": "Full colour", "image": picture.pk, "background": "dark"}],
                "clear_space": "The height of the A",
                "minimum_size": "24 px",
                "swatches": [{"name": "Teal", "hex": "#0B5F73", "rgb": "", "cmyk": "90%, 17%, 0%, 55%"}],
                "examples": [{"kind": "dont", "image": picture.pk, "caption": "Never stretch it"}],
            },
        },
        {
            "type": "campaign_kit",
            "value": {
                "title": "",
                "emails": [{"subject": "Tested restores", "body": "Hello,\nLet us talk."}],
                "social_posts": [{"network": "linkedin", "text": "A backup is only as good as its last restore."}],
            },
        },
        {
            "type": "asset_gallery",
            "value": {
                "title": "",
                "items": [{"type": "image", "value": picture.pk}, {"type": "document", "value": file.pk}],
            },
        },
        {
            "type": "related_courses",
            "value": {"title": "", "courses": [course.pk] if course else []},
        },
    ]
