"""Build brand assets for the asset-library tests: collections with audiences, images and
documents in them with real files, and playbooks whose blocks offer them."""

from __future__ import annotations

from io import BytesIO

from django.core.files.base import ContentFile
from django.core.files.images import ImageFile
from PIL import Image as PillowImage
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from playbooks.models import CollectionAudience
from tests.playbooks import builders


def collection(name: str, *, parent: Collection | None = None, minimum_tier: str = "", organizations=(), language=""):
    parent = parent or Collection.get_first_root_node()
    child = parent.add_child(instance=Collection(name=name))
    if minimum_tier or organizations or language:
        audience = CollectionAudience.objects.create(collection=child, minimum_tier=minimum_tier, language=language)
        audience.organizations.set(organizations)
    return child


def png_bytes(size=(64, 48), colour="#0b5f73") -> bytes:
    buffer = BytesIO()
    PillowImage.new("RGB", size, colour).save(buffer, format="PNG")
    return buffer.getvalue()


def image(title: str, in_collection: Collection, *, tags=(), size=(64, 48), name="logo.png"):
    picture = get_image_model().objects.create(
        title=title, collection=in_collection, file=ImageFile(BytesIO(png_bytes(size)), name=name)
    )
    if tags:
        picture.tags.add(*tags)
    return picture


def document(title: str, in_collection: Collection, *, content: bytes = b"%PDF-1.4 test", name="deck.pdf", tags=()):
    file = get_document_model().objects.create(
        title=title, collection=in_collection, file=ContentFile(content, name=name)
    )
    if tags:
        file.tags.add(*tags)
    return file


def gallery_playbook(*, title: str, images=(), documents=(), **fields):
    """A playbook with an asset gallery, a presentation template (the first document) and
    a case study logo (the first image)."""
    body = [
        {
            "type": "asset_gallery",
            "value": {
                "title": "",
                "items": [{"type": "image", "value": i.pk} for i in images]
                + [{"type": "document", "value": d.pk} for d in documents],
            },
        }
    ]
    if documents:
        body.append(
            {"type": "presentation_template", "value": {"document": documents[0].pk, "title": "", "description": ""}}
        )
    if images:
        body.append(
            {
                "type": "case_study",
                "value": {
                    "customer": "Pasargad Trust",
                    "industry": "",
                    "logo": images[0].pk,
                    "challenge": "<p>x</p>",
                    "solution": "<p>y</p>",
                    "results": [],
                    "quote": "",
                    "quote_author": "",
                },
            }
        )
    return builders.playbook(title=title, body=body, **fields)
