"""The demo playbooks: loaded by load_demo, idempotent, in both languages, one for Gold and above."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from wagtail.documents import get_document_model
from wagtail.images import get_image_model
from wagtail.models import Page

from lms.partners.models import Tier
from playbooks.models import (
    Acknowledgement,
    AssetDownload,
    CollectionAudience,
    PlaybookIndexPage,
    PlaybookPage,
    PlaybookView,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    media = override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("media"))
    with django_db_blocker.unblock(), media, transaction.atomic():
        call_command("load_demo", stdout=StringIO())
        yield
        transaction.set_rollback(True)


def test_the_demo_has_playbooks_in_both_languages_with_one_for_gold_and_above():
    playbooks = PlaybookPage.objects.live()
    assert playbooks.count() >= 3
    assert playbooks.filter(locale__language_code="fa").exists()
    assert playbooks.filter(minimum_tier=Tier.GOLD).exists()
    assert PlaybookIndexPage.objects.filter(locale__language_code="fa", live=True).exists()


def test_each_demo_playbook_has_several_kinds_of_block_and_together_every_kind():
    used = set()
    for playbook in PlaybookPage.objects.all():
        kinds = {block.block_type for block in playbook.body}
        assert len(kinds) >= 2, playbook.title
        used |= kinds
    from tests.playbooks.builders import BLOCK_TYPES

    assert used == set(BLOCK_TYPES)


def test_loading_the_demo_again_changes_nothing():
    def counts():
        return (
            Page.objects.count(),
            PlaybookPage.objects.count(),
            AssetDownload.objects.count(),
            PlaybookView.objects.count(),
            Acknowledgement.objects.count(),
            CollectionAudience.objects.count(),
        )

    before = counts()
    call_command("load_demo", stdout=StringIO())
    assert counts() == before


def test_the_demo_keeps_a_deck_for_gold_partners_and_a_persian_collection():
    gold = CollectionAudience.objects.get(minimum_tier=Tier.GOLD)
    assert get_document_model().objects.filter(collection=gold.collection).exists()
    assert CollectionAudience.objects.filter(language="fa").exists()
    assert get_image_model().objects.filter(tags__name="logo").count() >= 3


def test_the_demo_history_has_each_person_download_only_what_their_tier_may_see():
    downloads = AssetDownload.objects.select_related("document__collection__audience")
    assert downloads.count() >= 20
    weeks = {download.downloaded_at.isocalendar()[:2] for download in downloads}
    assert len(weeks) >= 4
    gold_collection = CollectionAudience.objects.get(minimum_tier=Tier.GOLD).collection_id
    gold_downloads = downloads.filter(document__collection_id=gold_collection)
    assert gold_downloads.exists()
    assert set(gold_downloads.values_list("tier", flat=True)) <= {Tier.GOLD, Tier.PLATINUM}
    assert PlaybookView.objects.count() >= 20


def test_the_brand_playbook_asks_for_acknowledgement_and_one_person_is_asked_again():
    brand = PlaybookPage.objects.get(slug="partner-brand-guidelines")
    assert brand.requires_acknowledgement and brand.message_version == 2
    assert len(brand.acknowledgement_check) == 3
    versions = dict(Acknowledgement.objects.values_list("user__email", "version"))
    assert versions["lukas@demo.abrzad.example"] == 1
    assert sum(1 for version in versions.values() if version == 2) >= 3


def test_the_demo_playbooks_are_served(client):
    for playbook in PlaybookPage.objects.filter(minimum_tier=""):
        assert client.get(playbook.url).status_code == 200, playbook.url
    gold = PlaybookPage.objects.get(minimum_tier=Tier.GOLD)
    assert client.get(gold.url).status_code == 302  # to the sign-in page
