"""Links from playbook blocks to the tracked download views.

A block template asks for an asset's download URL; it is "" when a signed-in reader may
not download that asset (so the block shows no link), and carries `?from=<playbook>` so
the download is counted for the playbook. Visitors get the link: the view asks them to
sign in. The collections a reader may see are read once per request.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django import template
from django.urls import reverse
from wagtail.documents import get_document_model
from wagtail.images import get_image_model

from playbooks.asset_audience import visible_collection_ids
from playbooks.models import AssetKind, PlaybookPage
from playbooks.playbook_assets import playbook_asset_ids

register = template.Library()


def _visible(request) -> set[int] | None:
    """None for visitors (every link shown, the view asks them to sign in)."""
    user = getattr(request, "user", None)
    if not getattr(user, "is_authenticated", False):
        return None
    cached = getattr(request, "_abrzad_visible_collections", None)
    if cached is None:
        cached = visible_collection_ids(user)
        request._abrzad_visible_collections = cached
    return cached


def _playbook(context) -> PlaybookPage | None:
    page = context.get("page")
    return page if isinstance(page, PlaybookPage) and page.pk else None


@register.simple_tag(takes_context=True)
def asset_download_url(context, asset, kind: str = "", format: str = "") -> str:
    """The download URL of `asset` (an image or a document) for this reader, or ""."""
    if asset is None or context.get("request") is None:
        return ""
    visible = _visible(context["request"])
    if visible is not None and asset.collection_id not in visible:
        return ""
    kind = kind or (AssetKind.IMAGE if hasattr(asset, "get_rendition") else AssetKind.DOCUMENT)
    name = "assets:image_download" if kind == AssetKind.IMAGE else "assets:document_download"
    params = {}
    if kind == AssetKind.IMAGE and format:
        params["format"] = format
    playbook = _playbook(context)
    if playbook is not None:
        params["from"] = playbook.pk
    url = reverse(name, args=[asset.pk])
    return f"{url}?{urlencode(params)}" if params else url


@register.simple_tag(takes_context=True)
def playbook_zip_url(context, playbook) -> str:
    """The "download all" URL when the playbook offers files this reader may download."""
    if not isinstance(playbook, PlaybookPage) or not playbook.pk or context.get("request") is None:
        return ""
    ids = playbook_asset_ids(playbook)
    if not ids:
        return ""
    visible = _visible(context["request"])
    if visible is not None and not (
        get_image_model().objects.filter(pk__in=ids.images, collection_id__in=visible).exists()
        or get_document_model().objects.filter(pk__in=ids.documents, collection_id__in=visible).exists()
    ):
        return ""
    return reverse("assets:playbook_zip", args=[playbook.pk])
