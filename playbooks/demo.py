"""Demo playbooks: the Persian catalog, four playbooks (one in Persian, one for Gold
partners and above, one overdue for review) with every kind of block.

Runs from `lms.portal.demo.load_demo`, inside its transaction, after the people and the
demo courses exist. Everything is looked up before it is created, so a second run changes
nothing.
"""

from __future__ import annotations

import uuid
from datetime import timedelta
from io import BytesIO
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from django.utils import timezone
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection, Locale
from wagtail.utils.file import hash_filelike

from courses.demo import checklist_pdf, draw_picture
from courses.demo_content import ChecklistSpec, PictureSpec
from courses.models import CoursePage
from lms import clock
from lms.accounts.models import User
from lms.competencies.models import Competency
from lms.portal.demo import DEMO_DOMAIN, DemoSummary
from playbooks import demo_content as content
from playbooks.demo_activity import load_activity
from playbooks.models import PlaybookIndexPage, PlaybookPage

COLLECTION_NAME = "Demo"
BLOCK_NAMESPACE = uuid.UUID("2b7c9a0e-61f4-4d8e-b1a3-5c0d9e7f8a21")


def load_playbook_demo(summary: DemoSummary) -> None:
    marketer = User.objects.filter(email=f"marketer@{DEMO_DOMAIN}").first()
    catalogs = ensure_catalogs(author=marketer)
    collection = _collection()
    images = {key: cover_image(key, title, motif, colours, collection) for key, title, motif, colours in content.COVERS}
    images |= {key: logo_image(key, title, bg, mark, collection) for key, title, bg, mark in content.LOGOS}
    documents = {key: deck_document(key, title, items, collection) for key, title, items in content.DECKS}
    for spec in content.PLAYBOOKS:
        _playbook(spec, catalogs[spec.language], marketer, images, documents)
    load_activity(collection, DEMO_DOMAIN)


def ensure_catalogs(*, author: User | None) -> dict[str, PlaybookIndexPage]:
    """The English catalog (made by the migration) and its Persian translation."""
    english = PlaybookIndexPage.objects.filter(locale__language_code=settings.LANGUAGE_CODE).first()
    if english is None:
        from lms.portal.models import HomePage

        home = HomePage.objects.get(locale__language_code=settings.LANGUAGE_CODE)
        english = home.add_child(instance=PlaybookIndexPage(title="Playbooks", slug="playbooks", owner=author))
        _publish(english, author)
    persian = Locale.objects.get(language_code="fa")
    translation = english.get_translation_or_none(persian)
    if translation is None:
        translation = english.copy_for_translation(persian)
        translation.owner = author
    translation = translation.specific
    wanted = {"title": content.CATALOG_TITLE_FA, "intro": content.CATALOG_INTRO_FA}
    if not (translation.live and all(getattr(translation, name) == value for name, value in wanted.items())):
        for name, value in wanted.items():
            setattr(translation, name, value)
        _publish(translation, author)
    return {"en": english, "fa": translation}


def _publish(page, author: User | None) -> None:
    page.save_revision(user=author).publish(user=author, skip_permission_checks=True)


def _collection() -> Collection:
    root = Collection.get_first_root_node()
    return root.get_children().filter(name=COLLECTION_NAME).first() or root.add_child(name=COLLECTION_NAME)


def save_image(key: str, title: str, data: bytes, collection: Collection):
    Image = get_image_model()
    image = Image.objects.filter(collection__path__startswith=collection.path, title=title).first()
    if image is None:
        image = Image(
            title=title,
            collection=collection,
            file=ImageFile(BytesIO(data), name=f"{key}.png"),
            file_size=len(data),
            file_hash=hash_filelike(BytesIO(data)),
        )
        image.save()
    return image


def cover_image(key: str, title: str, motif: str, colours: tuple[str, str, str], collection: Collection):
    Image = get_image_model()
    existing = Image.objects.filter(collection__path__startswith=collection.path, title=title).first()
    if existing is not None:
        return existing
    return save_image(key, title, draw_picture(PictureSpec(key, title, motif, colours)), collection)


def logo_image(key: str, title: str, background: str, mark: str, collection: Collection):
    Image = get_image_model()
    existing = Image.objects.filter(collection__path__startswith=collection.path, title=title).first()
    if existing is not None:
        return existing
    return save_image(key, title, draw_logo(background, mark, stretched="stretched" in key), collection)


def draw_logo(background: str, mark: str, *, stretched: bool = False) -> bytes:
    """A simple word-less logo: a rounded square with a peak, on a plain background."""
    from PIL import Image as PillowImage
    from PIL import ImageDraw

    width, height = (640, 200) if stretched else (400, 200)
    picture = PillowImage.new("RGB", (width, height), background)
    draw = ImageDraw.Draw(picture)
    box = (40, 40, width - 40 if stretched else 160, 160)
    draw.rounded_rectangle(box, radius=24, fill=mark)
    middle = (box[0] + box[2]) / 2
    draw.polygon([(middle - 30, 135), (middle, 65), (middle + 30, 135)], fill=background)
    if not stretched:
        for row in range(3):
            draw.rounded_rectangle((190, 60 + row * 30, 360 - row * 40, 78 + row * 30), radius=8, fill=mark)
    buffer = BytesIO()
    picture.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def deck_document(key: str, title: str, items: tuple[str, ...], collection: Collection):
    Document = get_document_model()
    document = Document.objects.filter(collection__path__startswith=collection.path, title=title).first()
    if document is None:
        data = checklist_pdf(ChecklistSpec(key, title, items))
        document = Document(
            title=title,
            collection=collection,
            file=ContentFile(data, name=f"{key}.pdf"),
            file_size=len(data),
            file_hash=hash_filelike(BytesIO(data)),
        )
        document.save()
    return document


def _playbook(
    spec: content.PlaybookSpec,
    catalog: PlaybookIndexPage,
    owner: User | None,
    images: dict[str, Any],
    documents: dict[str, Any],
) -> PlaybookPage:
    existing = PlaybookPage.objects.child_of(catalog).filter(slug=spec.slug).first()
    if existing is not None:
        return existing
    courses = {page.slug: page.pk for page in CoursePage.objects.all()}
    page = PlaybookPage(
        title=spec.title,
        slug=spec.slug,
        summary=spec.summary,
        cover_image=images[spec.cover],
        minimum_tier=spec.minimum_tier,
        review_by=timezone.localdate(clock.now()) + timedelta(days=spec.review_in_days),
        body=playbook_body(spec.body, spec.slug, images, documents, courses),
        owner=owner,
    )
    page.competencies = list(Competency.objects.filter(slug__in=spec.competencies))
    catalog.add_child(instance=page)
    page.tags.add(*spec.tags)
    _publish(page, owner)
    return page


def playbook_body(
    blocks: tuple[tuple[str, object], ...], seed: str, images: dict, documents: dict, courses: dict[str, int]
) -> list[dict]:
    """StreamField data for a playbook, with stable block ids and media references resolved."""

    def block_id(*parts: object) -> str:
        return str(uuid.uuid5(BLOCK_NAMESPACE, "/".join([seed, *map(str, parts)])))

    def resolve(value: Any, *path: object) -> Any:
        if isinstance(value, content.Image):
            return images[value.key].pk
        if isinstance(value, content.Document):
            return documents[value.key].pk
        if isinstance(value, dict):
            return {key: resolve(item, *path, key) for key, item in value.items()}
        if isinstance(value, list):
            items = []
            for i, item in enumerate(value):
                if isinstance(item, content.Course):
                    if item.slug in courses:  # the course demo may not have run
                        items.append({"type": "item", "value": courses[item.slug], "id": block_id(*path, i)})
                elif isinstance(item, tuple):  # a StreamBlock child: (type, value)
                    kind, child = item
                    items.append({"type": kind, "value": resolve(child, *path, i), "id": block_id(*path, i)})
                else:
                    items.append({"type": "item", "value": resolve(item, *path, i), "id": block_id(*path, i)})
            return items
        return value

    return [
        {"type": kind, "value": resolve(value, position), "id": block_id(position)}
        for position, (kind, value) in enumerate(blocks)
    ]
