"""The record of asset downloads: one `AssetDownload` row per file handed out."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction

from lms import clock
from playbooks.models import AssetDownload, AssetKind
from playbooks.services.tracking import reader_context


def _row(*, asset, kind: str, rendition: str, channel: str, playbook, context: dict, now) -> AssetDownload:
    return AssetDownload(
        kind=kind,
        image=asset if kind == AssetKind.IMAGE else None,
        document=asset if kind == AssetKind.DOCUMENT else None,
        title=asset.title[:255],
        rendition=rendition[:40],
        channel=channel,
        playbook=playbook,
        downloaded_at=now,
        **context,
    )


def record_download(
    *, user, asset, kind: str, rendition: str = "", channel: str = AssetDownload.Channel.LIBRARY, playbook=None
) -> AssetDownload:
    """One download of one image or document by `user`, with their organization and tier now."""
    row = _row(
        asset=asset,
        kind=kind,
        rendition=rendition,
        channel=channel,
        playbook=playbook,
        context=reader_context(user),
        now=clock.now(),
    )
    row.save(force_insert=True)
    return row


def record_zip_downloads(*, user, playbook, assets: Iterable[tuple[str, object]]) -> list[AssetDownload]:
    """One row per file of a playbook's "download all" zip, written together or not at all."""
    context, now = reader_context(user), clock.now()
    rows = [
        _row(
            asset=asset,
            kind=kind,
            rendition="",
            channel=AssetDownload.Channel.ZIP,
            playbook=playbook,
            context=context,
            now=now,
        )
        for kind, asset in assets
    ]
    with transaction.atomic():
        return AssetDownload.objects.bulk_create(rows)
