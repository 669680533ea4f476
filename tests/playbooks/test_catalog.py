"""The playbook catalog at /playbooks/ (and /fa/playbooks/): filters, pagination, languages."""

from __future__ import annotations

import re

import pytest

from lms.competencies.models import Competency
from lms.i18n import one_per_translation
from playbooks.selectors import PlaybookFilters
from tests.playbooks import builders

pytestmark = pytest.mark.django_db


def listed(response) -> list[str]:
    return re.findall(r'<h3[^>]*><a href="[^"]*">([^<]*)</a></h3>', response.content.decode())


def test_the_migrations_create_the_catalog_at_playbooks(client):
    index = builders.catalog()
    assert index.url_path == "/home/playbooks/"
    assert index.live
    response = client.get("/playbooks/")
    assert response.status_code == 200
    assert "There are no playbooks for you yet." in response.content.decode()


def test_the_persian_catalog_is_a_translation_of_the_english_one(client):
    english, persian = builders.catalog("en"), builders.catalog("fa")
    assert persian.translation_key == english.translation_key
    response = client.get("/fa/playbooks/")
    assert response.status_code == 200
    assert 'dir="rtl"' in response.content.decode()


def test_filter_by_competency(client):
    security = Competency.objects.create(slug="security", name="Security", name_fa="امنیت")
    builders.playbook(title="Backups", competencies=[security])
    builders.playbook(title="Brand")

    assert listed(client.get("/playbooks/?competency=security")) == ["Backups"]
    assert sorted(listed(client.get("/playbooks/"))) == ["Backups", "Brand"]


def test_filter_by_tag_including_persian_tags(client):
    builders.playbook(title="Backups", tags=["backup"])
    builders.playbook(title="Analytics", tags=["تحلیل داده"])

    assert listed(client.get("/playbooks/?tag=backup")) == ["Backups"]
    assert listed(client.get("/playbooks/?tag=تحلیل-داده")) == ["Analytics"]
    page = client.get("/playbooks/").content.decode()
    assert 'value="backup"' in page and "تحلیل داده" in page


def test_filter_by_language_and_one_version_per_playbook_otherwise(client):
    english = builders.playbook(title="Backups")
    builders.translate(english, "fa", title="پشتیبان‌گیری")
    builders.playbook(builders.catalog("fa"), title="Only Persian", slug="only-persian")

    assert listed(client.get("/playbooks/")) == ["Backups", "Only Persian"]
    # The Persian version takes the English one's place: ordered by the first title seen.
    assert listed(client.get("/fa/playbooks/")) == ["پشتیبان‌گیری", "Only Persian"]
    assert listed(client.get("/playbooks/?language=fa")) == ["Only Persian", "پشتیبان‌گیری"]
    assert listed(client.get("/playbooks/?language=en")) == ["Backups"]


def test_unknown_filter_values_are_ignored(client):
    builders.playbook(title="Backups")
    for query in ("language=de", "competency=<script>", "tag=a%20b", "page=x"):
        response = client.get(f"/playbooks/?{query}")
        assert response.status_code == 200
        assert listed(response) == ["Backups"], query


def test_pagination_keeps_the_filters(client):
    index = builders.catalog()
    index.playbooks_per_page = 2
    index.save_revision().publish()
    for number in range(5):
        builders.playbook(index, title=f"Playbook {number}", tags=["kit"])

    first = client.get("/playbooks/?tag=kit")
    assert listed(first) == ["Playbook 0", "Playbook 1"]
    assert "?tag=kit&amp;page=2" in first.content.decode()
    assert listed(client.get("/playbooks/?tag=kit&page=3")) == ["Playbook 4"]
    assert listed(client.get("/playbooks/?tag=kit&page=99")) == ["Playbook 4"]


def test_filters_from_params_and_back():
    filters = PlaybookFilters.from_params({"tag": "kit", "language": "fa", "competency": ""}, ["en", "fa"])
    assert filters.active
    assert filters.query(2) == "tag=kit&language=fa&page=2"
    assert not PlaybookFilters.from_params({"language": "xx"}, ["en"]).active


def test_one_per_translation_prefers_the_readers_language():
    rows = [(1, "a", 10), (2, "a", 20), (3, "b", 20)]
    languages = {10: "en", 20: "fa"}
    assert one_per_translation(rows, languages, "fa") == [2, 3]
    assert one_per_translation(rows, languages, "en") == [1, 3]
