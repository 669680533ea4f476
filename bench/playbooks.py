"""Benchmark data for playbooks: a playbook of 40 blocks, and a brand asset to download.

The playbook's blocks are the demo playbooks' blocks, repeated: key messages, talking
points, objections, presentation templates, case studies, logo guidelines, campaign kits,
galleries and related courses, with their images and documents. The asset is a 3 MB PNG
of noise (it cannot be compressed), the size of a real brand photograph.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from io import BytesIO

from django.urls import reverse
from wagtail.models import Collection

from bench.scenarios import Call, Side
from courses.models import CoursePage
from playbooks import demo
from playbooks import demo_content as content
from playbooks.models import PlaybookIndexPage, PlaybookPage

BLOCKS = 40
PLAYBOOK_SLUG = "bench-playbook"
ASSET_SIZE = (1100, 950)  # RGB noise: about 3.1 MB as PNG


@dataclass
class PlaybookBench:
    playbook_path: str = ""
    download_path: str = ""
    asset_relative_path: str = ""  # under MEDIA_ROOT, for the static reference


PLAYBOOK_BENCH = PlaybookBench()


def seed_playbooks() -> None:
    catalog = PlaybookIndexPage.objects.get(locale__language_code="en")  # made by the migration
    collection = Collection.get_first_root_node()
    images = {
        key: demo.cover_image(key, title, motif, colours, collection) for key, title, motif, colours in content.COVERS
    }
    images |= {key: demo.logo_image(key, title, bg, mark, collection) for key, title, bg, mark in content.LOGOS}
    documents = {key: demo.deck_document(key, title, items, collection) for key, title, items in content.DECKS}
    english = [block for spec in content.PLAYBOOKS if spec.language == "en" for block in spec.body]
    blocks = tuple((english * (BLOCKS // len(english) + 1))[:BLOCKS])
    courses = {page.slug: page.pk for page in CoursePage.objects.all()}
    page = PlaybookPage(
        title="Bench playbook",
        slug=PLAYBOOK_SLUG,
        summary="Forty blocks of every kind.",
        cover_image=images["playbook-cover-brand"],
        body=demo.playbook_body(blocks, PLAYBOOK_SLUG, images, documents, courses),
    )
    catalog.add_child(instance=page)
    page.save_revision().publish()
    asset = demo.save_image("bench-photo", "Bench photograph", _noise_png(), collection)
    PLAYBOOK_BENCH.playbook_path = page.url
    PLAYBOOK_BENCH.download_path = reverse("assets:image_download", args=[asset.pk]) + "?format=original"
    PLAYBOOK_BENCH.asset_relative_path = asset.file.name


def _noise_png() -> bytes:
    from PIL import Image

    width, height = ASSET_SIZE
    picture = Image.frombytes("RGB", ASSET_SIZE, os.urandom(width * height * 3))
    buffer = BytesIO()
    picture.save(buffer, format="PNG", compress_level=1)
    return buffer.getvalue()


def load_playbook_references() -> None:
    """The playbook's template context, computed once: the page with its body already read."""
    from bench.data import _page_context
    from bench.views import REFERENCE

    page = PlaybookPage.objects.get(slug=PLAYBOOK_SLUG)
    REFERENCE.playbook = _page_context(page, {})


def playbook_call(side: Side) -> Call:
    return Call(PLAYBOOK_BENCH.playbook_path if side == "page" else "/__bench__/playbook/")


def download_call(side: Side) -> Call:
    if side == "page":
        return Call(PLAYBOOK_BENCH.download_path)
    return Call(f"/__bench__/media/{PLAYBOOK_BENCH.asset_relative_path}")
