"""Reads for the brand asset library at /assets/: Wagtail images and documents together.

Everything is scoped, in the query, to the collections the reader may see
(`playbooks.asset_audience.visible_collection_ids`), so neither the listing, nor the
search, nor the filter options can show what a reader's tier or organization may not.

The listing runs a fixed number of queries whatever the number of assets: one union of
(kind, pk) rows over both models is counted and sliced for the page, then only that
page's images and documents are fetched, with their renditions and tags prefetched.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import CharField, QuerySet, Value
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag, TaggedItem
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from lms.listings import ListingFilters, TagOption
from playbooks.asset_audience import CollectionRule, collection_rules, visible_collection_ids
from playbooks.models import AssetKind

PAGE_SIZE = 24
SEARCH_LIMIT = 500  # matches read per kind of asset; a search is for finding, not for listing all
CARD_RENDITION = "max-320x200"
PREVIEW_RENDITION = "max-960x720"
SLUG = re.compile(r"[-\w]+")
QUERY_LENGTH = 200


def document_extensions() -> list[str]:
    return [extension.lower() for extension in getattr(settings, "WAGTAILDOCS_EXTENSIONS", None) or []]


@dataclass(frozen=True)
class AssetFilters(ListingFilters):
    """The listing's GET parameters, cleaned: unknown values are ignored, never an error."""

    collection: int | None = None
    tag: str = ""
    type: str = ""  # "image", "document" or a document file extension
    language: str = ""
    q: str = ""

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> AssetFilters:
        collection = str(params.get("collection", ""))
        tag = str(params.get("tag", ""))[:100]
        kind = str(params.get("type", "")).lower()
        language = str(params.get("language", ""))
        return cls(
            collection=int(collection) if collection.isdigit() and len(collection) < 10 else None,
            tag=tag if SLUG.fullmatch(tag) else "",
            type=kind if kind in {AssetKind.IMAGE, AssetKind.DOCUMENT, *document_extensions()} else "",
            language=language if language in dict(settings.LANGUAGES) else "",
            q=" ".join(str(params.get("q", "")).split())[:QUERY_LENGTH],
        )


@dataclass(frozen=True)
class CollectionOption:
    pk: int
    name: str
    depth: int  # 1 is the first level below the root


@dataclass
class AssetItem:
    """One row of the listing: an image or a document, with what the card shows."""

    kind: str
    asset: object
    language: str = ""

    @property
    def is_image(self) -> bool:
        return self.kind == AssetKind.IMAGE

    @property
    def extension(self) -> str:
        name = self.asset.file.name if self.is_image else self.asset.filename
        return name.rsplit(".", 1)[-1].lower() if "." in name else ""


@dataclass(frozen=True)
class AssetLibrary:
    filters: AssetFilters
    items: list[AssetItem]
    page: PaginatorPage
    collections: list[CollectionOption]
    tags: list[TagOption]
    types: list[tuple[str, str]]
    languages: list[tuple[str, str]] = field(default_factory=list)


def visible_images(visible: set[int]) -> QuerySet:
    return get_image_model().objects.filter(collection_id__in=visible)


def visible_documents(visible: set[int]) -> QuerySet:
    return get_document_model().objects.filter(collection_id__in=visible)


def asset_library_for(user, *, params: Mapping[str, str]) -> AssetLibrary:
    """The page of the library `user` asked for, with the filter options they may use."""
    rules = collection_rules()
    visible = visible_collection_ids(user, rules)
    filters = AssetFilters.from_params(params)

    collections = visible
    if filters.collection is not None:
        collections = collections & _subtree_ids(filters.collection, visible)
    if filters.language:
        collections = {pk for pk in collections if rules[pk].language == filters.language}

    images = visible_images(collections)
    documents = visible_documents(collections)
    if filters.tag:
        images = images.filter(tags__slug=filters.tag)
        documents = documents.filter(tags__slug=filters.tag)
    if filters.type == AssetKind.IMAGE:
        documents = documents.none()
    elif filters.type:
        images = images.none()
        if filters.type != AssetKind.DOCUMENT:
            documents = documents.filter(file__iendswith=f".{filters.type}")
    if filters.q:
        images = images.filter(pk__in=_search(images, filters.q))
        documents = documents.filter(pk__in=_search(documents, filters.q))

    rows = _rows(images, AssetKind.IMAGE).union(_rows(documents, AssetKind.DOCUMENT), all=True)
    page = Paginator(rows.order_by("-created_at", "kind", "-pk"), PAGE_SIZE).get_page(params.get("page"))
    return AssetLibrary(
        filters=filters,
        items=page_items(list(page.object_list), rules),
        page=page,
        collections=collection_options(visible),
        tags=tag_options(visible),
        types=type_options(),
        languages=language_options(visible, rules),
    )


def _rows(queryset: QuerySet, kind: str) -> QuerySet:
    return (
        queryset.order_by()
        .annotate(kind=Value(str(kind), output_field=CharField()))
        .values_list("kind", "pk", "created_at")
    )


def _search(queryset: QuerySet, q: str) -> list[int]:
    """The pks of the best matches, through Wagtail's search backend (the database one by
    default); `queryset` is already limited to visible collections."""
    return [asset.pk for asset in queryset.search(q)[:SEARCH_LIMIT]]


def _subtree_ids(pk: int, visible: set[int]) -> set[int]:
    """A collection and those below it; an invisible or unknown collection matches nothing."""
    if pk not in visible:
        return set()
    collection = Collection.objects.filter(pk=pk).only("path").first()
    if collection is None:
        return set()
    return set(Collection.objects.filter(path__startswith=collection.path).values_list("pk", flat=True))


def page_items(rows: list[tuple[str, int, object]], rules: Mapping[int, CollectionRule]) -> list[AssetItem]:
    """The page's images and documents, fetched in two queries each (with renditions and tags)."""
    image_ids = [pk for kind, pk, _created in rows if kind == AssetKind.IMAGE]
    document_ids = [pk for kind, pk, _created in rows if kind == AssetKind.DOCUMENT]
    by_key: dict[tuple[str, int], object] = {}
    if image_ids:
        images = (
            get_image_model()
            .objects.filter(pk__in=image_ids)
            .select_related("collection")
            .prefetch_renditions(CARD_RENDITION)
            .prefetch_related("tags")
        )
        by_key.update({(AssetKind.IMAGE, image.pk): image for image in images})
    if document_ids:
        documents = (
            get_document_model()
            .objects.filter(pk__in=document_ids)
            .select_related("collection")
            .prefetch_related("tags")
        )
        by_key.update({(AssetKind.DOCUMENT, document.pk): document for document in documents})
    items = []
    for kind, pk, _created in rows:
        asset = by_key.get((kind, pk))
        if asset is not None:
            rule = rules.get(asset.collection_id)
            items.append(AssetItem(kind=kind, asset=asset, language=rule.language if rule else ""))
    return items


def collection_options(visible: set[int]) -> list[CollectionOption]:
    collections = Collection.objects.filter(pk__in=visible, depth__gt=1).order_by("path").only("pk", "name", "depth")
    return [CollectionOption(pk=c.pk, name=c.name, depth=c.depth - 1) for c in collections]


def tag_options(visible: set[int]) -> list[TagOption]:
    """Tags of visible images and documents only: a tag used only on Gold assets stays unseen."""
    image_type = ContentType.objects.get_for_model(get_image_model())
    document_type = ContentType.objects.get_for_model(get_document_model())
    image_tags = TaggedItem.objects.filter(
        content_type=image_type, object_id__in=visible_images(visible).values("pk")
    ).values("tag_id")
    document_tags = TaggedItem.objects.filter(
        content_type=document_type, object_id__in=visible_documents(visible).values("pk")
    ).values("tag_id")
    tags = Tag.objects.filter(pk__in=image_tags.union(document_tags)).order_by("name").values_list("slug", "name")
    return [TagOption(slug=slug, name=name) for slug, name in tags]


TYPE_LABELS = {
    "pdf": _("PDF"),
    "pptx": _("PowerPoint"),
    "key": _("Keynote"),
    "docx": _("Word"),
    "odt": _("OpenDocument text"),
    "xlsx": _("Excel"),
    "csv": _("CSV"),
    "zip": _("ZIP archive"),
    "mp4": _("MP4 video"),
    "webm": _("WebM video"),
}


def type_options() -> list[tuple[str, str]]:
    options = [(str(AssetKind.IMAGE), _("Images")), (str(AssetKind.DOCUMENT), _("Documents"))]
    return options + [(ext, TYPE_LABELS[ext]) for ext in document_extensions() if ext in TYPE_LABELS]


def language_options(visible: set[int], rules: Mapping[int, CollectionRule]) -> list[tuple[str, str]]:
    used = {rules[pk].language for pk in visible if pk in rules}
    return [(code, name) for code, name in settings.LANGUAGES if code in used]


def language_name(code: str) -> str:
    return str(dict(settings.LANGUAGES).get(code, ""))
