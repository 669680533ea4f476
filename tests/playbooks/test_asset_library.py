"""The brand asset library at /assets/: who sees what, the filters, search and query counts."""

from __future__ import annotations

import time

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Collection

from lms.partners.models import Tier
from lms.partners.roles import StaffRole
from playbooks.asset_audience import collection_rules, visible_collection_ids
from playbooks.models import CollectionAudience
from tests.factories import OrganizationFactory
from tests.playbooks import asset_builders as assets

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(silver_member, gold_member):
    """Open, Gold-only and one-organization collections, each with an image and a document."""
    open_collection = assets.collection("Brand basics", language="en")
    gold = assets.collection("Gold launch kit", minimum_tier=Tier.GOLD)
    gold_child = assets.collection("Gold logos", parent=gold)
    other = OrganizationFactory(slug="elsewhere", tier=Tier.PLATINUM)
    private = assets.collection("Elsewhere only", organizations=[other])
    persian = assets.collection("Persian decks", language="fa")
    return {
        "open": open_collection,
        "gold": gold,
        "gold_child": gold_child,
        "private": private,
        "persian": persian,
        "open_image": assets.image("Open logo", open_collection, tags=["logo"]),
        "open_document": assets.document("Open brochure", open_collection, tags=["brochure"]),
        "gold_image": assets.image("Secret gold banner", gold_child, tags=["gold-only"]),
        "gold_document": assets.document("Secret gold deck", gold, name="gold.pptx"),
        "private_document": assets.document("Elsewhere price list", private, name="prices.xlsx"),
        "persian_document": assets.document("بروشور فارسی", persian),
    }


def listed_titles(client, query: str = "") -> list[str]:
    response = client.get(f"/assets/{query}")
    assert response.status_code == 200
    return [item.asset.title for item in response.context["library"].items]


def test_visitors_are_sent_to_sign_in(client, library):
    response = client.get("/assets/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_a_silver_partner_sees_neither_gold_nor_other_organizations_assets(client, silver_member, library):
    client.force_login(silver_member)
    response = client.get("/assets/")
    body = response.content.decode()
    titles = [item.asset.title for item in response.context["library"].items]
    assert sorted(titles) == ["Open brochure", "Open logo", "بروشور فارسی"]
    for secret in ("Secret gold", "Gold launch kit", "Gold logos", "gold-only", "Elsewhere"):
        assert secret not in body
    options = response.context["library"]
    assert {c.name for c in options.collections} == {"Brand basics", "Persian decks"}
    assert {t.slug for t in options.tags} == {"logo", "brochure"}


def test_a_gold_partner_sees_gold_assets_but_not_another_organizations(client, gold_member, library):
    client.force_login(gold_member)
    titles = listed_titles(client)
    assert "Secret gold banner" in titles and "Secret gold deck" in titles
    assert "Elsewhere price list" not in titles


def test_staff_see_everything(client, make_staff, library):
    client.force_login(make_staff(StaffRole.MARKETER, email="marketer@vendor.example"))
    assert len(listed_titles(client)) == 6


def test_search_stays_inside_visible_collections(client, silver_member, gold_member, library):
    client.force_login(silver_member)
    assert listed_titles(client, "?q=secret") == []
    assert listed_titles(client, "?q=open+logo") == ["Open logo"]
    client.force_login(gold_member)
    assert sorted(listed_titles(client, "?q=secret")) == ["Secret gold banner", "Secret gold deck"]


def test_filters_by_type_tag_collection_and_language(client, gold_member, library):
    client.force_login(gold_member)
    assert sorted(listed_titles(client, "?type=image")) == ["Open logo", "Secret gold banner"]
    assert listed_titles(client, "?type=pptx") == ["Secret gold deck"]
    assert listed_titles(client, "?tag=brochure") == ["Open brochure"]
    # A collection includes the collections below it.
    gold = library["gold"].pk
    assert sorted(listed_titles(client, f"?collection={gold}")) == ["Secret gold banner", "Secret gold deck"]
    assert listed_titles(client, "?language=fa") == ["بروشور فارسی"]
    assert sorted(listed_titles(client, "?language=en")) == ["Open brochure", "Open logo"]


def test_a_hidden_collection_filter_and_bad_values_show_nothing_hidden(client, silver_member, library):
    client.force_login(silver_member)
    assert listed_titles(client, f"?collection={library['gold'].pk}") == []
    # Unknown values are ignored, never an error.
    assert len(listed_titles(client, "?type=exe&tag=%3Cscript%3E&language=xx&collection=abc&page=zz")) == 3


def test_detail_pages_apply_the_audience(client, silver_member, gold_member, library):
    client.force_login(silver_member)
    assert client.get(f"/assets/images/{library['open_image'].pk}/").status_code == 200
    assert client.get(f"/assets/documents/{library['open_document'].pk}/").status_code == 200
    assert client.get(f"/assets/images/{library['gold_image'].pk}/").status_code == 404
    assert client.get(f"/assets/documents/{library['gold_document'].pk}/").status_code == 404
    assert client.get(f"/assets/documents/{library['private_document'].pk}/").status_code == 404
    assert client.get("/assets/images/999999/").status_code == 404
    client.force_login(gold_member)
    response = client.get(f"/assets/images/{library['gold_image'].pk}/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "?format=webp-800" in body and "?format=png-800" in body and "?format=original" in body
    assert client.get(f"/assets/documents/{library['private_document'].pk}/").status_code == 404


def test_the_persian_library_uses_persian_digits_and_dates(client, silver_member, library):
    client.force_login(silver_member)
    response = client.get("/fa/assets/")
    assert response.status_code == 200
    assert "۳" in response.content.decode()  # the count, in Persian digits
    response = client.get(f"/fa/assets/documents/{library['persian_document'].pk}/")
    assert response.status_code == 200


def test_an_audience_change_applies_at_once(silver_member, library):
    """The rules are cached; saving an audience forgets them."""
    plain = assets.collection("Plain")
    child = assets.collection("Plain child", parent=plain)
    assert {plain.pk, child.pk} <= visible_collection_ids(silver_member)
    assert collection_rules()[child.pk].audience.minimum_tier == ""
    audience = CollectionAudience.objects.create(collection=plain, minimum_tier=Tier.PLATINUM)
    assert not {plain.pk, child.pk} & visible_collection_ids(silver_member)  # inherited below
    audience.delete()
    assert {plain.pk, child.pk} <= visible_collection_ids(silver_member)
    library["persian"].audience.organizations.add(OrganizationFactory(slug="someone-else"))
    assert library["persian"].pk not in visible_collection_ids(silver_member)


# Query counts ----------------------------------------------------------------


def add_assets(count: int, in_collection: Collection, start: int) -> None:
    """Images (sharing one tiny real file, so renditions can be made) and documents, in bulk,
    ten of each in turn (uploads are dated when saved) so that every page of the
    newest-first listing holds both kinds."""
    source = assets.image("Template", in_collection)
    Image, Document = get_image_model(), get_document_model()
    images, documents = [], []
    for n in range(count):
        if n % 2:
            documents.append(
                Document(title=f"Document {start + n:05}", collection=in_collection, file="documents/deck.pdf")
            )
        else:
            images.append(
                Image(
                    title=f"Image {start + n:05}",
                    collection=in_collection,
                    file=source.file.name,
                    width=64,
                    height=48,
                    file_size=source.file_size,
                )
            )
    for at in range(0, max(len(images), len(documents)), 10):
        Image.objects.bulk_create(images[at : at + 10])
        Document.objects.bulk_create(documents[at : at + 10])


def count_queries(client, url: str) -> int:
    client.get(url)  # renditions of this page made, caches warm
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def test_the_listing_query_count_is_flat(client, silver_member, library):
    client.force_login(silver_member)
    add_assets(20, library["open"], 0)
    small = {url: count_queries(client, url) for url in ("/assets/", "/assets/?q=image", "/assets/?tag=logo")}
    add_assets(180, library["open"], 1000)
    large = {url: count_queries(client, url) for url in small}
    assert small == large
    assert large["/assets/"] <= 14, large


def test_the_listing_stays_flat_and_fast_with_5000_assets(client, silver_member, library):
    client.force_login(silver_member)
    add_assets(5000, library["open"], 0)
    small = count_queries(client, "/assets/?page=2")
    started = time.perf_counter()
    queries = count_queries(client, "/assets/?page=100")
    elapsed = time.perf_counter() - started
    assert queries == small
    assert elapsed < 3, f"{elapsed:.2f} s for two requests"


def test_detail_query_counts_are_flat(client, gold_member, library):
    client.force_login(gold_member)
    image_url = f"/assets/images/{library['gold_image'].pk}/"
    document_url = f"/assets/documents/{library['gold_document'].pk}/"
    small = (count_queries(client, image_url), count_queries(client, document_url))
    add_assets(100, library["gold"], 0)
    for n in range(10):
        assets.collection(f"More {n}", minimum_tier=Tier.SILVER)
    assert (count_queries(client, image_url), count_queries(client, document_url)) == small
