"""The brand asset library's pages: the listing at /assets/ and one page per asset.

Signed-in people only. Each view checks access (`playbooks.asset_audience`), calls a
selector and renders; the downloads themselves are in `playbooks.views.downloads`.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.images.shortcuts import get_rendition_or_not_found

from playbooks.asset_audience import access_asset, collection_rules
from playbooks.asset_formats import IMAGE_FORMATS, extension_of
from playbooks.asset_library import PREVIEW_RENDITION, TYPE_LABELS, asset_library_for, language_name
from playbooks.thumbnails import thumbnail_url

SMALLEST = min(choice.size for choice in IMAGE_FORMATS.values() if choice.size)


@login_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    library = asset_library_for(request.user, params=request.GET)
    return render(request, "playbooks/assets/index.html", {"library": library})


def _asset(model, pk: int, user, *related: str):
    asset = model.objects.select_related("collection").prefetch_related(*related).filter(pk=pk).first()
    if asset is None:
        raise Http404(_("No such asset."))
    access_asset(user, asset)
    return asset


def _language(asset) -> str:
    rule = collection_rules().get(asset.collection_id)
    return language_name(rule.language) if rule and rule.language else ""


@login_required
@require_safe
def image_detail(request: HttpRequest, pk: int) -> HttpResponse:
    image = _asset(get_image_model(), pk, request.user, "tags")
    url = reverse("assets:image_download", args=[image.pk])
    choices = [
        {"key": choice.key, "label": choice.label, "url": f"{url}?format={choice.key}"}
        for choice in IMAGE_FORMATS.values()
        # No size above the image's own, except the smallest, so every image has a PNG and a WebP.
        if not choice.size or choice.size == SMALLEST or choice.size < max(image.width, image.height)
    ]
    context = {
        "asset": image,
        "kind": "image",
        "preview": get_rendition_or_not_found(image, PREVIEW_RENDITION),
        "extension": extension_of(image.file.name),
        "language": _language(image),
        "choices": choices,
        "tags": list(image.tags.all()),
    }
    return render(request, "playbooks/assets/detail.html", context)


@login_required
@require_safe
def document_detail(request: HttpRequest, pk: int) -> HttpResponse:
    document = _asset(get_document_model(), pk, request.user, "tags")
    extension = document.file_extension.lower()
    context = {
        "asset": document,
        "kind": "document",
        "preview_url": thumbnail_url(document),
        "extension": extension,
        "type_label": TYPE_LABELS.get(extension, ""),
        "language": _language(document),
        "choices": [
            {"key": "original", "label": _("Download"), "url": reverse("assets:document_download", args=[document.pk])}
        ],
        "tags": list(document.tags.all()),
    }
    return render(request, "playbooks/assets/detail.html", context)
