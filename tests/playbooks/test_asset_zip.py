"""A playbook's "download all": a streamed zip of the assets the reader may download."""

from __future__ import annotations

import tracemalloc
import zipfile
from io import BytesIO

import pytest

from lms.partners.models import Tier
from playbooks.models import AssetDownload
from playbooks.playbook_assets import asset_ids_in_body
from playbooks.zip_stream import ZipMember, stream_zip, unique_names
from tests.playbooks import asset_builders as assets

pytestmark = pytest.mark.django_db


@pytest.fixture
def kit():
    open_collection = assets.collection("Brand basics")
    gold = assets.collection("Gold launch kit", minimum_tier=Tier.GOLD)
    logo = assets.image("Brand logo", open_collection)
    deck = assets.document("Pitch deck", open_collection, content=b"%PDF-1.4 " + b"slides " * 5000)
    sheet = assets.document("Pitch deck", open_collection, content=b"a,b\n1,2\n", name="prices.csv")
    gold_deck = assets.document("Gold deck", gold, content=b"%PDF-1.4 gold")
    playbook = assets.gallery_playbook(title="Selling backups", images=[logo], documents=[deck, sheet, gold_deck])
    gold_playbook = assets.gallery_playbook(title="Gold only", images=[logo], minimum_tier=Tier.GOLD)
    return locals()


def archive_of(response) -> zipfile.ZipFile:
    assert response.streaming
    archive = zipfile.ZipFile(BytesIO(b"".join(response.streaming_content)))
    assert archive.testzip() is None
    return archive


def test_the_zip_holds_exactly_the_files_the_reader_may_download(client, silver_member, kit):
    client.force_login(silver_member)
    response = client.get(f"/assets/playbooks/{kit['playbook'].pk}/download-all/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert 'filename="selling-backups.zip"' in response["Content-Disposition"]
    archive = archive_of(response)
    assert archive.namelist() == ["images/brand-logo.png", "documents/pitch-deck.pdf", "documents/pitch-deck.csv"]
    assert archive.read("images/brand-logo.png") == kit["logo"].file.open("rb").read()
    assert archive.read("documents/pitch-deck.pdf") == kit["deck"].file.open("rb").read()
    assert archive.read("documents/pitch-deck.csv") == b"a,b\n1,2\n"
    assert archive.getinfo("images/brand-logo.png").compress_type == zipfile.ZIP_STORED
    assert archive.getinfo("documents/pitch-deck.pdf").compress_type == zipfile.ZIP_DEFLATED

    rows = AssetDownload.objects.order_by("pk")
    assert [(r.kind, r.title, r.channel, r.playbook_id, r.user_id, r.tier) for r in rows] == [
        ("image", "Brand logo", "zip", kit["playbook"].pk, silver_member.pk, Tier.SILVER),
        ("document", "Pitch deck", "zip", kit["playbook"].pk, silver_member.pk, Tier.SILVER),
        ("document", "Pitch deck", "zip", kit["playbook"].pk, silver_member.pk, Tier.SILVER),
    ]


def test_a_gold_reader_gets_the_gold_file_too(client, gold_member, kit):
    client.force_login(gold_member)
    archive = archive_of(client.get(f"/assets/playbooks/{kit['playbook'].pk}/download-all/"))
    assert archive.read("documents/gold-deck.pdf") == b"%PDF-1.4 gold"


def test_a_gold_playbooks_zip_is_refused_to_silver(client, silver_member, kit):
    client.force_login(silver_member)
    response = client.get(f"/assets/playbooks/{kit['gold_playbook'].pk}/download-all/")
    assert response.status_code == 403
    assert AssetDownload.objects.count() == 0


def test_a_playbook_without_files_for_the_reader_is_a_404(client, silver_member, kit):
    client.force_login(silver_member)
    only_gold = assets.gallery_playbook(title="Only gold files", documents=[kit["gold_deck"]])
    response = client.get(f"/assets/playbooks/{only_gold.pk}/download-all/")
    assert response.status_code == 404
    assert f"/assets/playbooks/{only_gold.pk}/download-all/" not in client.get(only_gold.url).content.decode()
    assert AssetDownload.objects.count() == 0


def test_a_missing_file_is_left_out_of_the_zip(client, silver_member, kit):
    kit["deck"].file.storage.delete(kit["deck"].file.name)
    client.force_login(silver_member)
    archive = archive_of(client.get(f"/assets/playbooks/{kit['playbook'].pk}/download-all/"))
    assert archive.namelist() == ["images/brand-logo.png", "documents/pitch-deck.csv"]
    assert AssetDownload.objects.count() == 2


def test_the_zip_is_written_in_constant_memory(client, silver_member, kit):
    size = 12 * 1024 * 1024
    big = [
        assets.document(f"Video {n}", kit["open_collection"], content=bytes([n]) * size, name="video.mp4")
        for n in range(2)
    ]
    playbook = assets.gallery_playbook(title="Videos", documents=big)
    client.force_login(silver_member)
    tracemalloc.start()
    try:
        response = client.get(f"/assets/playbooks/{playbook.pk}/download-all/")
        received = 0
        for chunk in response.streaming_content:
            received += len(chunk)
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert received > 2 * size
    assert peak < 3 * 1024 * 1024, f"peak {peak} bytes for {2 * size} bytes of files"


def test_stream_zip_and_names_are_plain_functions():
    members = [ZipMember("a.txt", lambda: BytesIO(b"one")), ZipMember("b.png", lambda: BytesIO(b"two"), size=3)]
    archive = zipfile.ZipFile(BytesIO(b"".join(stream_zip(members))))
    assert [archive.read(name) for name in archive.namelist()] == [b"one", b"two"]
    assert unique_names(["a.pdf", "A.pdf", "a.pdf", "b"]) == ["a.pdf", "A (2).pdf", "a (3).pdf", "b"]


def test_the_assets_of_a_body_are_read_from_every_block_that_offers_them():
    body = [
        {"type": "presentation_template", "value": {"document": 1, "thumbnail": 10}},
        {
            "type": "asset_gallery",
            "value": {"items": [{"type": "image", "value": 11}, {"type": "document", "value": 2}]},
        },
        {"type": "case_study", "value": {"logo": 12}},
        {
            "type": "logo_usage",
            "value": {
                "variants": [{"type": "item", "value": {"image": 13}}, {"image": 10}],
                "examples": [{"type": "item", "value": {"image": None}}],
            },
        },
        {"type": "key_message", "value": {"headline": "x"}},
    ]
    ids = asset_ids_in_body(body)
    assert ids.images == (10, 11, 12, 13)
    assert ids.documents == (1, 2)
