"""The demo playbooks: loaded by load_demo, idempotent, in both languages, one for Gold and above."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings
from wagtail.models import Page

from lms.partners.models import Tier
from playbooks.models import PlaybookIndexPage, PlaybookPage

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
    before = (Page.objects.count(), PlaybookPage.objects.count())
    call_command("load_demo", stdout=StringIO())
    assert (Page.objects.count(), PlaybookPage.objects.count()) == before


def test_the_demo_playbooks_are_served(client):
    for playbook in PlaybookPage.objects.filter(minimum_tier=""):
        assert client.get(playbook.url).status_code == 200, playbook.url
    gold = PlaybookPage.objects.get(minimum_tier=Tier.GOLD)
    assert client.get(gold.url).status_code == 403
