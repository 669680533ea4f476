"""PDF presentation templates get a first-page thumbnail when a playbook using them is published."""

from __future__ import annotations

import shutil

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from wagtail.documents import get_document_model

from courses.demo import checklist_pdf
from courses.demo_content import ChecklistSpec
from playbooks.thumbnails import render_first_page, thumbnail_name
from tests.playbooks import builders

pytestmark = pytest.mark.django_db
needs_pdftoppm = pytest.mark.skipif(shutil.which("pdftoppm") is None, reason="poppler's pdftoppm is not installed")


def pdf_document():
    data = checklist_pdf(ChecklistSpec("deck", "Pitch deck", ("Why", "How")))
    return get_document_model().objects.create(title="Pitch deck", file=ContentFile(data, name="deck.pdf"))


def presentation(document) -> list[dict]:
    return [
        {
            "type": "presentation_template",
            "value": {"document": document.pk, "title": "", "description": "", "thumbnail": None},
        }
    ]


@needs_pdftoppm
def test_publishing_draws_the_first_page_and_the_block_shows_it(client, django_capture_on_commit_callbacks):
    document = pdf_document()
    with django_capture_on_commit_callbacks(execute=True):
        builders.playbook(title="Deck", body=presentation(document))
    document.refresh_from_db()

    assert default_storage.exists(thumbnail_name(document))
    page = client.get("/playbooks/deck/").content.decode()
    assert f'src="/media/{thumbnail_name(document)}"' in page or thumbnail_name(document) in page


def test_without_a_thumbnail_the_file_type_is_shown(client):
    builders.playbook(title="Deck", body=presentation(pdf_document()))
    page = client.get("/playbooks/deck/").content.decode()
    assert '<span class="presentation-type">PDF</span>' in page


@pytest.mark.parametrize("data", [b"", b"not a pdf", b"%PDF-1.4 broken"])
def test_files_that_are_not_readable_pdfs_get_no_thumbnail(data):
    assert render_first_page(data) is None
