"""Which collections' assets a person may see.

A collection's `CollectionAudience` adds to the restrictions of the collections above it:
the highest minimum tier applies, and each organization list narrows the one above. The
whole tree is read in two queries and judged in Python; collections are few.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.http import Http404
from django.utils.translation import gettext as _
from wagtail.models import Collection

from courses.audience import Access, Audience, Reader, access_for
from lms.partners.permissions import TIER_ORDER
from lms.partners.selectors import person_roles
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


def collection_rules() -> dict[int, CollectionRule]:
    """Every collection's effective audience and language, by collection id."""
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


def reader_for(user) -> Reader:
    roles = person_roles(user)
    organization = roles.organization
    return Reader(
        staff=roles.superuser or bool(roles.staff_roles),
        organization_id=organization.pk if organization is not None else None,
        tier=organization.tier if organization is not None else None,
    )


def visible_collection_ids(user, rules: dict[int, CollectionRule] | None = None) -> set[int]:
    """The collections whose assets `user` may see and download; signed-in people only."""
    if not getattr(user, "is_authenticated", False):
        return set()
    rules = collection_rules() if rules is None else rules
    reader = reader_for(user)
    return {pk for pk, rule in rules.items() if access_for(rule.audience, reader, TIER_ORDER) == Access.OPEN}


def access_asset(user, asset) -> None:
    """Raise 404 unless `user` may see `asset` (a Wagtail image or document): a partner
    is not even told that an asset for a higher tier exists."""
    if asset.collection_id not in visible_collection_ids(user):
        raise Http404(_("No such asset."))
