"""The images and documents a playbook's blocks offer: what "download all" puts in the zip.

The ids are read from the body's raw stream data (one pass, no query per block), then the
assets are fetched in two queries. Blocks that reference assets: presentation templates
(file and thumbnail), asset galleries, case study logos and logo usage (variants and
examples).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from wagtail.documents import get_document_model
from wagtail.images import get_image_model


@dataclass(frozen=True)
class AssetIds:
    images: tuple[int, ...] = ()
    documents: tuple[int, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.images or self.documents)


def _list_values(raw) -> list:
    """A ListBlock's raw items, in the current ({"type": "item", "value": …}) or the old format."""
    values = []
    for item in raw or []:
        if isinstance(item, dict) and item.get("type") == "item" and "value" in item:
            values.append(item["value"])
        else:
            values.append(item)
    return values


def _pk(value) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def asset_ids_in_body(blocks: Iterable[dict]) -> AssetIds:
    """Pure: the image and document ids a raw playbook body references, in order, once each."""
    images: dict[int, None] = {}
    documents: dict[int, None] = {}

    def add(target: dict[int, None], value) -> None:
        pk = _pk(value)
        if pk is not None:
            target.setdefault(pk, None)

    for block in blocks:
        kind, value = block.get("type"), block.get("value") or {}
        if not isinstance(value, dict):
            continue
        if kind == "presentation_template":
            add(documents, value.get("document"))
            add(images, value.get("thumbnail"))
        elif kind == "asset_gallery":
            for item in value.get("items") or []:
                if isinstance(item, dict):
                    add(images if item.get("type") == "image" else documents, item.get("value"))
        elif kind == "case_study":
            add(images, value.get("logo"))
        elif kind == "logo_usage":
            for entry in _list_values(value.get("variants")) + _list_values(value.get("examples")):
                if isinstance(entry, dict):
                    add(images, entry.get("image"))
    return AssetIds(images=tuple(images), documents=tuple(documents))


def playbook_asset_ids(playbook) -> AssetIds:
    return asset_ids_in_body(playbook.body.raw_data)


def playbook_assets(playbook, visible: set[int]) -> tuple[list, list]:
    """The playbook's images and documents in collections the reader may see, in body order."""
    ids = playbook_asset_ids(playbook)
    images = {i.pk: i for i in get_image_model().objects.filter(pk__in=ids.images, collection_id__in=visible)}
    documents = {d.pk: d for d in get_document_model().objects.filter(pk__in=ids.documents, collection_id__in=visible)}
    return [images[pk] for pk in ids.images if pk in images], [documents[pk] for pk in ids.documents if pk in documents]
