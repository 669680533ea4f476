"""Which collections' assets a person may see.

A collection's `CollectionAudience` adds to the restrictions of the collections above it:
the highest minimum tier applies, and each organization list narrows the one above. The
whole tree is read in two queries and judged in Python; collections are few. The result
is kept in Django's cache (every asset download asks for it) and forgotten whenever a
collection or an audience is saved or deleted (`connect_rule_invalidation`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import Http404
from django.utils.translation import gettext as _
from wagtail.models import Collection

from courses.audience import Access, Audience, access_for
from courses.permissions import reader_for
from lms.partners.permissions import TIER_ORDER
from playbooks.models import CollectionAudience


@dataclass(frozen=True)
class CollectionRule:
    audience: Audience
    language: str = ""


def _higher_tier(first: str, second: str) -> str:
    if not first or not second:
        return first or second
    return max(first, second, key=TIER_ORDER.index)


def _narrowed(first: frozenset[int] | None, second: frozenset[int]) -> frozenset[int] | None:
    """None is "every organization"; an empty set after narrowing is "none at all"."""
    if not second:
        return first
    return second if first is None else first & second


RULES_CACHE_KEY = "playbooks:collection-rules:v1"
RULES_CACHE_SECONDS = (
    5 * 60
)  # a safety net (a tree move right after a save): saves and deletes forget the rules at once


def collection_rules() -> dict[int, CollectionRule]:
    """Every collection's effective audience and language, by collection id (cached)."""
    rules = cache.get(RULES_CACHE_KEY)
    if rules is None:
        rules = read_collection_rules()
        cache.set(RULES_CACHE_KEY, rules, RULES_CACHE_SECONDS)
    return rules


def forget_collection_rules(**kwargs) -> None:
    """Drop the cached rules now and again after the commit, so that a request reading them
    between the change and the commit cannot keep the old rules in the cache."""
    cache.delete(RULES_CACHE_KEY)
    transaction.on_commit(lambda: cache.delete(RULES_CACHE_KEY))


def connect_rule_invalidation() -> None:
    """Collections (moves are saves too) and audiences, including their organization lists."""
    for sender in (Collection, CollectionAudience):
        uid = f"playbooks.rules.{sender.__name__}"
        post_save.connect(forget_collection_rules, sender=sender, dispatch_uid=f"{uid}.save")
        post_delete.connect(forget_collection_rules, sender=sender, dispatch_uid=f"{uid}.delete")
    m2m_changed.connect(
        forget_collection_rules,
        sender=CollectionAudience.organizations.through,
        dispatch_uid="playbooks.rules.organizations",
    )


def read_collection_rules() -> dict[int, CollectionRule]:
    """Every collection's effective audience and language, read from the database."""
    audiences = {
        audience.collection_id: audience for audience in CollectionAudience.objects.prefetch_related("organizations")
    }
    rules: dict[int, CollectionRule] = {}
    chain: list[tuple[int, str, frozenset[int] | None, str]] = []  # (depth, tier, organizations, language)
    for collection in Collection.objects.order_by("path").only("pk", "path", "depth"):
        while chain and chain[-1][0] >= collection.depth:
            chain.pop()
        tier, organizations, language = chain[-1][1:] if chain else ("", None, "")
        own = audiences.get(collection.pk)
        if own is not None:
            tier = _higher_tier(tier, own.minimum_tier)
            organizations = _narrowed(organizations, frozenset(o.pk for o in own.organizations.all()))
            language = own.language or language
        chain.append((collection.depth, tier, organizations, language))
        rules[collection.pk] = CollectionRule(
            audience=Audience(
                minimum_tier=tier,
                # An empty narrowing admits nobody: no organization has id 0.
                organization_ids=frozenset({0}) if organizations == frozenset() else organizations or frozenset(),
            ),
            language=language,
        )
    return rules


def visible_collection_ids(user, rules: dict[int, CollectionRule] | None = None) -> set[int]:
    """The collections whose assets `user` may see and download; signed-in people only."""
    if not getattr(user, "is_authenticated", False):
        return set()
    rules = collection_rules() if rules is None else rules
    reader = reader_for(user)
    return {pk for pk, rule in rules.items() if access_for(rule.audience, reader, TIER_ORDER) == Access.OPEN}


def open_to_everyone(collection_id: int) -> bool:
    """Whether a collection's assets have no audience at all (no tier, no organizations)."""
    rule = collection_rules().get(collection_id)
    return rule is not None and rule.audience == Audience()


def access_asset(user, asset) -> None:
    """Raise 404 unless `user` may see `asset` (a Wagtail image or document): a partner
    is not even told that an asset for a higher tier exists."""
    if asset.collection_id not in visible_collection_ids(user):
        raise Http404(_("No such asset."))
