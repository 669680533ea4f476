"""Demo asset audiences, acknowledgements and eight weeks of reading and download history.

Runs at the end of `playbooks.demo.load_playbook_demo`. Every step looks before it
writes, so a second `load_demo` changes nothing.
"""

from __future__ import annotations

import random
from datetime import timedelta

from django.db.models import Model
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from lms import clock
from lms.partners.models import Membership
from lms.partners.permissions import tier_at_least
from playbooks.models import Acknowledgement, AssetDownload, AssetKind, CollectionAudience, PlaybookPage, PlaybookView

GOLD_COLLECTION = "Gold and above"
PERSIAN_COLLECTION = "Persian"
# Asset keys (file names without extension) moved into the restricted collections.
GOLD_ASSETS = ("deck-zero-trust",)
PERSIAN_ASSETS = ("playbook-cover-analytics",)
TAGS = {
    "logo-full-colour": ("logo",),
    "logo-reversed": ("logo",),
    "logo-stretched": ("logo",),
    "logo-customer-bank": ("logo", "case-study"),
    "deck-tested-backups": ("deck", "backup"),
    "deck-zero-trust": ("deck", "zero-trust"),
    "playbook-cover-backup": ("cover",),
    "playbook-cover-brand": ("cover",),
    "playbook-cover-analytics": ("cover", "تحلیل-داده"),
    "playbook-cover-zero-trust": ("cover",),
}
BRAND_SLUG = "partner-brand-guidelines"
BRAND_CHECK = [
    ("Which logo goes on a dark background?", ["The full-colour logo", "The reversed logo", "Either"], 2),
    ("How much clear space does the logo need?", ["None", "The height of the letter A", "One centimetre"], 2),
    ("May you stretch the logo to fit a banner?", ["Yes", "No"], 2),
]
# (email, version acknowledged): Lukas read version 1 and is asked again.
ACKNOWLEDGED = [("anna", 2), ("lukas", 1), ("partner-admin", 2), ("omar", 2)]
WEEKS = 8


def load_activity(demo_collection: Collection, domain: str) -> None:
    gold = _child_collection(demo_collection, GOLD_COLLECTION, minimum_tier="gold")
    persian = _child_collection(demo_collection, PERSIAN_COLLECTION, language="fa")
    assets = _assets_by_key(demo_collection)
    for key, collection in [*((key, gold) for key in GOLD_ASSETS), *((key, persian) for key in PERSIAN_ASSETS)]:
        asset = assets.get(key)
        if asset is not None and asset.collection_id != collection.pk:
            asset.collection = collection
            asset.save(update_fields=["collection"])
    for key, tags in TAGS.items():
        if key in assets and not assets[key].tags.exists():
            assets[key].tags.add(*tags)
    brand = PlaybookPage.objects.filter(slug=BRAND_SLUG, locale__language_code="en").first()
    if brand is not None:
        _ask_for_acknowledgement(brand)
        _acknowledgements(brand, domain)
    _history(list(assets.values()), domain)


def _child_collection(parent: Collection, name: str, **audience) -> Collection:
    collection = parent.get_children().filter(name=name).first() or parent.add_child(name=name)
    CollectionAudience.objects.get_or_create(collection=collection, defaults=audience)
    return collection


def _assets_by_key(demo_collection: Collection) -> dict[str, Model]:
    """The demo's images and documents, by the name of their file without extension."""
    collections = [demo_collection, *demo_collection.get_descendants()]
    assets: dict[str, Model] = {}
    for model in (get_image_model(), get_document_model()):
        for asset in model.objects.filter(collection__in=collections):
            stem = asset.file.name.rsplit("/", 1)[-1].rsplit(".", 1)[0]
            assets.setdefault(stem.split("_")[0], asset)  # storage may add a suffix to a taken name
    return assets


def _ask_for_acknowledgement(brand: PlaybookPage) -> None:
    if brand.requires_acknowledgement:
        return
    brand.requires_acknowledgement = True
    brand.message_version = 2
    brand.acknowledgement_check = [
        ("question", {"question": question, "choices": choices, "correct": correct})
        for question, choices, correct in BRAND_CHECK
    ]
    brand.save_revision(user=brand.owner).publish(user=brand.owner, skip_permission_checks=True)


def _acknowledgements(brand: PlaybookPage, domain: str) -> None:
    now = clock.now()
    for offset, (name, version) in enumerate(ACKNOWLEDGED):
        membership = Membership.objects.filter(user__email=f"{name}@{domain}").select_related("user").first()
        if membership is None:
            continue
        Acknowledgement.objects.get_or_create(
            user=membership.user,
            translation_key=brand.translation_key,
            version=version,
            defaults={
                "organization_id": membership.organization_id,
                "playbook": brand,
                "check_score": len(BRAND_CHECK) if version == brand.message_version else None,
                "acknowledged_at": now - timedelta(days=3 + offset * 5 + (2 - version) * 30),
            },
        )


def _history(assets: list[Model], domain: str) -> None:
    """Views and downloads over the last eight weeks, each person only of what they may see."""
    if AssetDownload.objects.exists() or not assets:
        return
    members = list(
        Membership.objects.filter(user__email__endswith=f"@{domain}")
        .select_related("user", "organization")
        .order_by("user__email")
    )
    playbooks = list(PlaybookPage.objects.live().order_by("path"))
    gold_ids = set(Collection.objects.filter(name=GOLD_COLLECTION).values_list("pk", flat=True))
    rng = random.Random(20261203)  # noqa: S311 - demo data, the same history on every machine
    now = clock.now()
    views: list[PlaybookView] = []
    downloads: list[AssetDownload] = []
    for membership in members:
        tier = membership.organization.tier
        readable = [page for page in playbooks if tier_at_least(tier, page.minimum_tier)]
        allowed = [a for a in assets if a.collection_id not in gold_ids or tier_at_least(tier, "gold")]
        for _ in range(rng.randint(3, 12)):
            when = now - timedelta(days=rng.randint(0, WEEKS * 7 - 1), hours=rng.randint(0, 23))
            who = {"user": membership.user, "organization": membership.organization, "tier": tier}
            if readable:
                views.append(PlaybookView(playbook=rng.choice(readable), viewed_at=when, **who))
            # The stretched logo is the "don't" example: nobody downloads it.
            candidates = [a for a in allowed if "stretched" not in a.file.name]
            if candidates and rng.random() < 0.6:
                asset = rng.choice(candidates)
                is_image = asset._meta.model is get_image_model()
                channel = rng.choice(list(AssetDownload.Channel.values))
                downloads.append(
                    AssetDownload(
                        kind=AssetKind.IMAGE if is_image else AssetKind.DOCUMENT,
                        image=asset if is_image else None,
                        document=None if is_image else asset,
                        title=asset.title,
                        rendition="png-800" if is_image else "",
                        channel=channel,
                        playbook=rng.choice(readable) if readable and channel != "library" else None,
                        downloaded_at=when,
                        **who,
                    )
                )
    PlaybookView.objects.bulk_create(views)
    AssetDownload.objects.bulk_create(downloads)
