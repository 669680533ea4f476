"""Reads for the playbook catalog and the review reminders, in a fixed number of queries.

Partner scoping is applied here, in the query, so a listing cannot forget it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import Prefetch, Q, QuerySet
from django.utils import translation
from wagtail.images import get_image_model

from lms.competencies.models import Competency
from lms.i18n import one_per_translation
from lms.listings import ListingFilters, TagOption
from lms.pages import locale_choices, locale_ids
from playbooks.models import PlaybookIndexPage, PlaybookPage
from playbooks.permissions import is_staff_reader, reader_organization_id, visible_tiers

SLUG = re.compile(r"[-\w]+")  # tag slugs may be Persian
CARD_RENDITION = "fill-480x240"


@dataclass(frozen=True)
class PlaybookFilters(ListingFilters):
    competency: str = ""
    tag: str = ""
    language: str = ""

    @classmethod
    def from_params(cls, params: Mapping[str, str], languages: Iterable[str]) -> PlaybookFilters:
        def slug(name: str) -> str:
            value = str(params.get(name, ""))[:100]
            return value if SLUG.fullmatch(value) else ""

        language = params.get("language", "")
        return cls(
            competency=slug("competency"),
            tag=slug("tag"),
            language=language if language in languages else "",
        )


@dataclass(frozen=True)
class PlaybookCatalog:
    filters: PlaybookFilters
    playbooks: list[PlaybookPage]
    page: PaginatorPage
    competencies: list[Competency]
    tags: list[TagOption]
    languages: list[tuple[str, str]]


def visible_playbooks(user) -> QuerySet[PlaybookPage]:
    """Live playbooks `user` may read: staff see all; partners only their tier and organization."""
    playbooks = PlaybookPage.objects.live()
    if is_staff_reader(user):
        return playbooks
    return playbooks.filter(minimum_tier__in=visible_tiers(user)).filter(
        Q(audience_organizations__isnull=True) | Q(audience_organizations=reader_organization_id(user))
    )


def playbook_catalog_for(user, *, index: PlaybookIndexPage, params: Mapping[str, str]) -> PlaybookCatalog:
    codes = locale_ids()
    languages = locale_choices()
    filters = PlaybookFilters.from_params(params, [code for code, _name in languages])

    playbooks = visible_playbooks(user)
    if filters.competency:
        playbooks = playbooks.filter(competencies__slug=filters.competency)
    if filters.tag:
        playbooks = playbooks.filter(tags__slug=filters.tag)
    if filters.language:
        playbooks = playbooks.filter(locale__language_code=filters.language)
    rows = playbooks.order_by("title", "pk").values_list("pk", "translation_key", "locale_id").distinct()
    ids = one_per_translation(rows, {pk: code for code, pk in codes.items()}, translation.get_language())

    page = Paginator(ids, max(1, index.playbooks_per_page)).get_page(params.get("page"))
    images = get_image_model().objects.prefetch_renditions(CARD_RENDITION)
    shown = (
        PlaybookPage.objects.filter(pk__in=list(page.object_list))
        .defer_streamfields()
        .select_related("locale")
        .prefetch_related(Prefetch("cover_image", queryset=images), "competencies", "tags")
    )
    by_id = {playbook.pk: playbook for playbook in shown}
    visible = visible_playbooks(user)
    return PlaybookCatalog(
        filters=filters,
        playbooks=[by_id[pk] for pk in page.object_list if pk in by_id],
        page=page,
        competencies=list(Competency.objects.filter(playbooks__in=visible).distinct().order_by("name")),
        tags=_tags(visible),
        languages=languages,
    )


def _tags(playbooks: QuerySet[PlaybookPage]) -> list[TagOption]:
    from playbooks.models import PlaybookPageTag

    pairs = (
        PlaybookPageTag.objects.filter(content_object__in=playbooks)
        .values_list("tag__slug", "tag__name")
        .distinct()
        .order_by("tag__name")
    )
    return [TagOption(slug=slug, name=name) for slug, name in pairs]


def overdue_playbooks(*, owner, today: date) -> list[PlaybookPage]:
    """The playbooks `owner` owns whose review date has passed, oldest first."""
    return list(
        PlaybookPage.objects.filter(owner=owner, review_by__lt=today)
        .defer_streamfields()
        .select_related("locale")
        .order_by("review_by", "title")
    )
