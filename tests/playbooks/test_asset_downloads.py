"""Asset downloads: access, the record of each download, streaming and the side doors."""

from __future__ import annotations

import tracemalloc

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lms.media_serving import is_protected
from lms.partners.models import Tier
from playbooks.models import AssetDownload
from tests.factories import OrganizationFactory
from tests.playbooks import asset_builders as assets

pytestmark = pytest.mark.django_db


@pytest.fixture
def kit(silver_member):
    open_collection = assets.collection("Brand basics")
    gold = assets.collection("Gold launch kit", minimum_tier=Tier.GOLD)
    private = assets.collection("Elsewhere only", organizations=[OrganizationFactory(slug="elsewhere")])
    open_image = assets.image("Brand logo", open_collection, size=(1200, 900))
    open_document = assets.document("Brochure", open_collection, content=b"%PDF-1.4 brochure")
    gold_image = assets.image("Gold banner", gold)
    gold_document = assets.document("Gold deck", gold, content=b"%PDF-1.4 gold")
    private_document = assets.document("Elsewhere deck", private)
    playbook = assets.gallery_playbook(
        title="Selling backups", images=[open_image, gold_image], documents=[open_document]
    )
    gold_playbook = assets.gallery_playbook(title="Gold only", documents=[open_document], minimum_tier=Tier.GOLD)
    return locals()


def content_of(response) -> bytes:
    return b"".join(response.streaming_content)


def test_visitors_are_sent_to_sign_in(client, kit):
    for url in (
        f"/assets/images/{kit['open_image'].pk}/download/",
        f"/assets/documents/{kit['open_document'].pk}/download/",
        f"/assets/playbooks/{kit['playbook'].pk}/download-all/",
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login/"), url
    assert AssetDownload.objects.count() == 0


def test_a_document_download_streams_the_file_and_records_one_row(client, silver_member, kit):
    client.force_login(silver_member)
    response = client.get(f"/assets/documents/{kit['open_document'].pk}/download/")
    assert response.status_code == 200
    assert response.streaming
    assert content_of(response) == b"%PDF-1.4 brochure"
    assert response["Content-Disposition"] == 'attachment; filename="brochure.pdf"'
    row = AssetDownload.objects.get()
    organization = silver_member.membership.organization
    assert (row.kind, row.document, row.image, row.user, row.organization, row.tier, row.channel, row.playbook) == (
        "document",
        kit["open_document"],
        None,
        silver_member,
        organization,
        Tier.SILVER,
        AssetDownload.Channel.LIBRARY,
        None,
    )
    assert row.title == "Brochure"


def test_image_downloads_offer_the_original_and_renditions(client, silver_member, kit):
    client.force_login(silver_member)
    image = kit["open_image"]
    original = client.get(f"/assets/images/{image.pk}/download/?format=original")
    assert original.status_code == 200
    assert content_of(original) == image.file.open("rb").read()
    assert 'filename="brand-logo.png"' in original["Content-Disposition"]

    webp = client.get(f"/assets/images/{image.pk}/download/?format=webp-800")
    assert webp.status_code == 200
    data = content_of(webp)
    assert data[:4] == b"RIFF" and data[8:12] == b"WEBP"
    assert 'filename="brand-logo-800.webp"' in webp["Content-Disposition"]

    png = client.get(f"/assets/images/{image.pk}/download/?format=png-800")
    from io import BytesIO

    from PIL import Image

    assert Image.open(BytesIO(content_of(png))).size == (800, 600)
    assert list(AssetDownload.objects.order_by("pk").values_list("rendition", flat=True)) == [
        "original",
        "webp-800",
        "png-800",
    ]


def test_a_silver_partner_cannot_download_gold_or_other_organizations_assets(client, silver_member, kit):
    client.force_login(silver_member)
    for url in (
        f"/assets/images/{kit['gold_image'].pk}/download/",
        f"/assets/images/{kit['gold_image'].pk}/download/?format=webp-1600",
        f"/assets/documents/{kit['gold_document'].pk}/download/",
        f"/assets/documents/{kit['private_document'].pk}/download/",
    ):
        response = client.get(url)
        assert response.status_code == 404, url
        assert b"Gold deck" not in response.content and b"Elsewhere" not in response.content
    assert AssetDownload.objects.count() == 0


def test_wagtails_document_urls_apply_the_same_audience(client, silver_member, gold_member, kit):
    gold_document, open_document = kit["gold_document"], kit["open_document"]
    assert client.get(gold_document.url).status_code == 302  # visitors sign in first
    # A document of a collection without any audience stays public, as Wagtail serves it.
    assert content_of(client.get(open_document.url)) == b"%PDF-1.4 brochure"
    assert AssetDownload.objects.get().user is None
    client.force_login(silver_member)
    assert client.get(gold_document.url).status_code == 404
    assert client.get(kit["private_document"].url).status_code == 404
    assert AssetDownload.objects.count() == 1
    response = client.get(open_document.url)
    assert response.status_code == 200
    assert content_of(response) == b"%PDF-1.4 brochure"
    client.force_login(gold_member)
    assert content_of(client.get(gold_document.url)) == b"%PDF-1.4 gold"
    assert AssetDownload.objects.filter(channel=AssetDownload.Channel.LIBRARY).count() == 3


def test_bad_input_is_refused_with_a_message_and_no_row(client, silver_member, kit):
    client.force_login(silver_member)
    image, document = kit["open_image"], kit["open_document"]
    cases = {
        "/assets/images/999999/download/": 404,
        "/assets/documents/999999/download/": 404,
        f"/assets/images/{image.pk}/download/?format=bmp-99999": 400,
        f"/assets/images/{image.pk}/download/?from=abc": 400,
        f"/assets/documents/{document.pk}/download/?from=-1": 400,
        f"/assets/documents/{document.pk}/download/?from=999999": 404,
        # A Gold playbook: the Silver reader may not read it, so it cannot be the source.
        f"/assets/documents/{document.pk}/download/?from={kit['gold_playbook'].pk}": 403,
        # A playbook that does not offer this asset.
        f"/assets/images/{image.pk}/download/?from={kit['gold_playbook'].pk}": 403,
        "/assets/playbooks/999999/download-all/": 404,
    }
    for url, status in cases.items():
        response = client.get(url)
        assert response.status_code == status, (url, response.status_code)
    other = assets.gallery_playbook(title="Other playbook", documents=[document])
    response = client.get(f"/assets/images/{image.pk}/download/?from={other.pk}")
    assert response.status_code == 400
    assert "not part of that playbook" in response.content.decode()
    response = client.get(f"/assets/images/{image.pk}/download/?format=bmp-99999")
    assert "not offered in that format" in response.content.decode()
    assert AssetDownload.objects.count() == 0


def test_a_link_from_a_playbook_is_counted_for_the_playbook(client, silver_member, kit):
    client.force_login(silver_member)
    playbook = kit["playbook"]
    response = client.get(f"/assets/documents/{kit['open_document'].pk}/download/?from={playbook.pk}")
    assert response.status_code == 200
    row = AssetDownload.objects.get()
    assert (row.channel, row.playbook_id) == (AssetDownload.Channel.PLAYBOOK, playbook.pk)


def test_a_missing_file_is_a_clear_404_not_a_500(client, silver_member, kit):
    client.force_login(silver_member)
    document, image = kit["open_document"], kit["open_image"]
    document.file.storage.delete(document.file.name)
    image.file.storage.delete(image.file.name)
    response = client.get(f"/assets/documents/{document.pk}/download/")
    assert response.status_code == 404
    assert "missing" in response.content.decode()
    assert client.get(f"/assets/images/{image.pk}/download/").status_code == 404
    assert client.get(f"/assets/images/{image.pk}/download/?format=png-1600").status_code == 404
    assert AssetDownload.objects.count() == 0


def test_a_large_download_streams_in_constant_memory(client, silver_member, kit):
    size = 30 * 1024 * 1024
    large = assets.document("Big video", kit["open_collection"], content=b"\0" * size, name="big.zip")
    client.force_login(silver_member)
    tracemalloc.start()
    try:
        response = client.get(f"/assets/documents/{large.pk}/download/")
        received = sum(len(chunk) for chunk in response.streaming_content)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert received == size
    assert int(response["Content-Length"]) == size
    assert peak < 2 * 1024 * 1024, f"peak {peak} bytes for a {size}-byte file"


def test_download_query_counts_are_flat(client, silver_member, kit):
    client.force_login(silver_member)
    urls = (
        f"/assets/documents/{kit['open_document'].pk}/download/",
        f"/assets/images/{kit['open_image'].pk}/download/?format=webp-800",
        f"/assets/documents/{kit['open_document'].pk}/download/?from={kit['playbook'].pk}",
    )

    def counts() -> list[int]:
        result = []
        for url in urls:
            content_of(client.get(url))
            with CaptureQueriesContext(connection) as captured:
                content_of(client.get(url))
            result.append(len(captured))
        return result

    small = counts()
    for n in range(30):
        assets.document(f"Extra {n}", kit["open_collection"])
        assets.collection(f"Extra collection {n}", minimum_tier=Tier.GOLD)
    assert counts() == small
    assert max(small) <= 8, small


def test_debug_media_serving_refuses_originals_and_documents(client, silver_member, kit, settings):
    image = kit["open_image"]
    rendition = image.get_rendition("max-320x200")
    settings.ROOT_URLCONF = "tests.playbooks.asset_debug_urls"
    assert client.get(f"/media/{rendition.file.name}").status_code == 200
    assert client.get(f"/media/{image.file.name}").status_code == 404
    assert client.get(f"/media/{kit['open_document'].file.name}").status_code == 404
    assert client.get(f"/media/images/../{image.file.name}").status_code == 404
    client.force_login(silver_member)
    assert client.get(f"/media/{image.file.name}").status_code == 404
    assert is_protected("./Original_Images//x.png") and not is_protected("images/x.png")


def test_playbook_blocks_link_to_the_tracked_downloads(client, silver_member, kit):
    client.force_login(silver_member)
    playbook = kit["playbook"]
    body = client.get(playbook.url).content.decode()
    assert f"/assets/documents/{kit['open_document'].pk}/download/?from={playbook.pk}" in body
    assert f"/assets/images/{kit['open_image'].pk}/download/?from={playbook.pk}" in body
    assert f"/assets/images/{kit['gold_image'].pk}/download/" not in body  # Gold: no link for Silver
    assert kit["open_document"].url not in body
    assert f"/assets/playbooks/{playbook.pk}/download-all/" in body
