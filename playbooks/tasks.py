"""Background work for playbooks: thumbnails of the PDFs their presentation blocks offer,
and the message alignment metric after an acknowledgement."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django_tasks import task
from wagtail.documents import get_document_model

from playbooks.thumbnails import is_pdf, make_thumbnail


@task()
def make_pdf_thumbnails(*, document_ids: list[int]) -> None:
    for document in get_document_model().objects.filter(pk__in=document_ids):
        make_thumbnail(document)


def presentation_documents(page) -> list:
    return [
        block.value["document"]
        for block in page.body
        if block.block_type == "presentation_template" and is_pdf(block.value["document"])
    ]


def queue_thumbnails(sender, instance, **kwargs) -> None:
    """On `page_published`: draw the thumbnails the playbook's presentations still lack."""
    ids = [document.pk for document in presentation_documents(instance)]
    if ids:
        transaction.on_commit(lambda: make_pdf_thumbnails.enqueue(document_ids=ids))


@task()
def record_coverage(*, organization_ids: list[int], as_of: str) -> int:
    """Refresh the `playbook-acknowledgement` metric of these organizations for the day
    `as_of` (ISO date: task arguments are JSON)."""
    from playbooks.services.coverage_metric import record_acknowledgement_coverage

    return record_acknowledgement_coverage(organization_ids=organization_ids, as_of=date.fromisoformat(as_of))
