"""Cheaper Wagtail page serving.

Every page request makes Wagtail look up the Site (one query), the active language's
Locale (one more, to route from the site root's translation), each page on the way
down from the site root (two queries a level) and the view restrictions of the page and
its ancestors (two queries). Sites, locales, the pages routed through and restrictions
change rarely, so the answers are kept in the cache, which is emptied whenever a Site,
a Locale, a view restriction or a page (or its parent, or an ancestor's slug or place
in the tree) is saved or deleted.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Q, prefetch_related_objects
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.http import Http404, HttpRequest, HttpResponse
from django.http.request import split_domain_port
from django.utils import translation
from wagtail.coreutils import get_content_languages, get_supported_content_language_variant, resolve_model_string
from wagtail.models import Locale, Page, PageViewRestriction, Site
from wagtail.signals import page_slug_changed, post_page_move

from lms.i18n import translate_path
from lms.page_tree import descendants_q
from lms.querysets import first_unordered

SITES_KEY = "lms:wagtail-sites"
RESTRICTIONS_KEY = "lms:any-view-restrictions"
LOCALES_KEY = "lms:wagtail-locale-ids"
ROUTED_PAGE_PREFIX = "lms:routed-page:"
# Changes clear the entries at once in a shared cache (Redis). A per-process cache
# cannot be cleared from another worker, so entries also expire after a minute.
CACHE_SECONDS = 60


class CachedSiteMiddleware:
    """Answers Wagtail's per-request site lookup from the cache."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        # get_host() validates against ALLOWED_HOSTS (a forged Host is a 400), so only
        # real host names ever become cache keys.
        address = (split_domain_port(request.get_host())[0], request.get_port())
        known = cache.get(SITES_KEY) or {}
        if address in known:
            request._wagtail_site = known[address]  # where Site.find_for_request looks first
        else:
            site = Site.find_for_request(request)
            if site is not None:
                # Kept with its specific root page, which routing every request starts from.
                site.root_page = site.root_page.specific
                cache.set(SITES_KEY, {**known, address: site}, CACHE_SECONDS)
        return self.get_response(request)


class UnrestrictedPagesShortcut:
    """Page mixin: while no page anywhere has a view restriction, skip looking for them."""

    def get_view_restrictions(self):
        if not any_view_restrictions():
            return PageViewRestriction.objects.none()
        return super().get_view_restrictions()


class CachedLocaleTranslation:
    """Page mixin for the site root: its translation in the active language without
    looking the Locale up on every request (Wagtail's `localized_draft`, which routing
    starts from)."""

    @property
    def localized_draft(self):
        if not getattr(settings, "WAGTAIL_I18N_ENABLED", False):
            return self
        locale_id = active_locale_id()
        if locale_id is None or locale_id == self.locale_id:
            return self
        return self.get_translation_or_none(locale_id) or self


def locale_ids() -> dict[str, int]:
    """The id of each Locale by its language code, ordered by language code."""
    ids = cache.get(LOCALES_KEY)
    if ids is None:
        ids = dict(Locale.objects.order_by("language_code").values_list("language_code", "pk"))
        cache.set(LOCALES_KEY, ids, CACHE_SECONDS)
    return ids


def locale_choices() -> list[tuple[str, str]]:
    """(language code, display name) of each Locale, for a language filter."""
    names = get_content_languages()
    return [(code, names.get(code, code)) for code in locale_ids()]


def active_locale_id() -> int | None:
    """The id of the active language's Locale, else the default language's, as
    `Locale.get_active()` answers; None when neither exists."""
    ids = locale_ids()
    for language in (translation.get_language(), settings.LANGUAGE_CODE):
        try:
            code = get_supported_content_language_variant(language)
        except LookupError:
            continue
        if code in ids:
            return ids[code]
    return None


class DirectChildRoute:
    """Page mixin: find a child page by its slug in one query instead of two.

    Wagtail looks a child up as a plain `Page`, then loads its specific page. This asks
    the child page types one by one instead, usually finding the child on the first
    try: those in `route_child_models` first, in that order ("app_label.ModelName", the
    most common first), then the page's other child page types when there are at most
    `MAX_CHILD_TYPES` of them. A page with more child types, whose child was not among
    `route_child_models`, routes as Wagtail does. The parent found is kept on the child
    (`get_parent()` needs no query), so a page can find the ancestors it was routed
    through.

    With `cache_children`, each child found is kept in the cache by its URL path, as
    the specific page with whatever its model's `routing_cache_prefetches()` names
    (related rows every request of the page reads), so routing through it costs no
    query. Saving or deleting a page empties its entry and its parent's (whose child
    count changed); a new slug or a move empties those of the page and everything
    below it, under the old paths and the new.
    """

    MAX_CHILD_TYPES = 3
    route_child_models: tuple[str, ...] = ()
    cache_children = False

    @classmethod
    def child_models_to_probe(cls) -> tuple[list[type[Page]], bool]:
        """The page types to ask in turn, and whether they are all the child types."""
        child_models = cls.clean_subpage_models()
        first = [resolve_model_string(label) for label in cls.route_child_models]
        rest = [model for model in child_models if model not in first]
        if len(rest) > cls.MAX_CHILD_TYPES:
            return first, False
        return [*first, *rest], True

    def route(self, request, path_components):
        if path_components:
            child = self._cached_child(path_components[0]) if self.cache_children else None
            exhaustive = True
            if child is None:
                child, exhaustive = self._probe_child(path_components[0])
            if child is not None:
                child._cached_parent_obj = self
                return child.route(request, path_components[1:])
            if exhaustive:
                raise Http404
        return super().route(request, path_components)

    def _probe_child(self, slug: str) -> tuple[Page | None, bool]:
        models, exhaustive = self.child_models_to_probe()
        for model in models:
            child = first_unordered(model.objects.child_of(self).filter(slug=slug))
            if child is not None:
                if self.cache_children:
                    _keep_routed(child)
                return child, exhaustive
        return None, exhaustive

    def _cached_child(self, slug: str) -> Page | None:
        return cache.get(_routed_key(f"{self.url_path}{slug}/"))


def _routed_key(url_path: str) -> str:
    # Hashed: a URL path may be longer than a cache key may be.
    return ROUTED_PAGE_PREFIX + hashlib.blake2b(url_path.encode(), digest_size=16).hexdigest()


def _keep_routed(page: Page) -> None:
    if prefetches := getattr(page, "routing_cache_prefetches", None):
        prefetch_related_objects([page], *prefetches())
    cache.set(_routed_key(page.url_path), page, CACHE_SECONDS)


def forget_routed_pages(url_paths: Iterable[str]) -> None:
    """Empty the routing entries of the pages at `url_paths`."""
    keys = [_routed_key(url_path) for url_path in set(url_paths)]
    now_and_on_commit(lambda: cache.delete_many(keys))


def _parent_url_path(url_path: str) -> str:
    return url_path.rstrip("/").rpartition("/")[0] + "/"


def _subtree_url_paths(page: Page, *, before: str, after: str) -> set[str]:
    """The URL paths of `page` and its descendants, now under `after`, and as they were
    under `before`."""
    now = Page.objects.filter(Q(pk=page.pk) | descendants_q(page)).values_list("url_path", flat=True)
    return {path for url_path in now for path in (url_path, before + url_path.removeprefix(after))}


def any_view_restrictions() -> bool:
    known = cache.get(RESTRICTIONS_KEY)
    if known is None:
        known = PageViewRestriction.objects.exists()
        # add(), not set(): a "yes" written by a concurrent change must win over this read.
        cache.add(RESTRICTIONS_KEY, known, CACHE_SECONDS)
    return known


def now_and_on_commit(change: Callable[[], None]) -> None:
    """Apply a cache change at once and again when the transaction commits: a read
    between the change and its commit would otherwise put the old answer back."""
    change()
    transaction.on_commit(change)


def _assume_restrictions() -> None:
    """Fail closed: after any change, restrictions are checked until the entry expires."""
    cache.set(RESTRICTIONS_KEY, True, CACHE_SECONDS)


@receiver(post_save, dispatch_uid="lms.pages.saved")
@receiver(post_delete, dispatch_uid="lms.pages.deleted")
def _forget_on_change(sender, instance, **kwargs) -> None:
    if isinstance(instance, Page) and instance.url_path:
        forget_routed_pages({instance.url_path, _parent_url_path(instance.url_path)})
    if isinstance(instance, Site) or (isinstance(instance, Page) and (instance.depth or 0) <= 2):
        cache.delete(SITES_KEY)
    elif isinstance(instance, Locale):
        cache.delete(LOCALES_KEY)
    elif isinstance(instance, PageViewRestriction):
        now_and_on_commit(_assume_restrictions)


@receiver(page_slug_changed, dispatch_uid="lms.pages.slug_changed")
def _forget_renamed(sender, instance, instance_before, **kwargs) -> None:
    # Wagtail rewrote the descendants' URL paths in SQL, without saving them.
    forget_routed_pages(_subtree_url_paths(instance, before=instance_before.url_path, after=instance.url_path))


@receiver(post_page_move, dispatch_uid="lms.pages.moved")
def _forget_moved(sender, instance, parent_page_before, parent_page_after, url_path_before, url_path_after, **kwargs):
    paths = _subtree_url_paths(instance, before=url_path_before, after=url_path_after)
    forget_routed_pages({*paths, parent_page_before.url_path, parent_page_after.url_path})


def path_in_language(request: HttpRequest, path: str, language: str) -> str:
    """Where the language switch leads from `path`: the same page in `language`.

    For a Wagtail page that is its translation or, when it has none (a course written
    only in Persian, say), the nearest ancestor that has one, such as the course
    catalog. Any other path just changes its language prefix.
    """
    target = translate_path(path, language)
    source = translation.get_language_from_path(path) or settings.LANGUAGE_CODE
    site = Site.find_for_request(request)
    locale = Locale.objects.filter(language_code=language).first()
    if site is None or locale is None or source == language:
        return target
    unprefixed = path.removeprefix(f"/{source}/") if source != settings.LANGUAGE_CODE else path
    components = [component for component in unprefixed.split("?")[0].split("/") if component]
    with translation.override(source):
        try:
            page = site.root_page.localized.specific.route(request, components)[0]
        except Http404:
            return target
    for candidate in [page, *page.get_ancestors().specific().reverse()]:
        translated = candidate.get_translation_or_none(locale)
        if translated is not None and translated.live:
            with translation.override(language):
                return translated.get_url(request) or target
    return target
