"""The cached site and locale lookups and the view-restriction shortcut never serve stale answers."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Locale, PageViewRestriction, Site

from lms.portal.models import HomePage

pytestmark = pytest.mark.django_db


def queries_for(client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(path).status_code in (200, 302)
    return [query["sql"] for query in captured]


def test_the_site_is_looked_up_once_and_then_served_from_the_cache(client):
    first = queries_for(client, "/")
    again = queries_for(client, "/")
    assert any("wagtailcore_site" in sql for sql in first)
    assert not any("wagtailcore_site" in sql for sql in again)


def test_changing_a_site_is_seen_on_the_next_request(client):
    client.get("/")
    site = Site.objects.get()
    site.site_name = "Renamed portal"
    site.save()
    assert any("wagtailcore_site" in sql for sql in queries_for(client, "/"))


@pytest.mark.parametrize("path", ["/", "/fa/"])
def test_the_locale_is_looked_up_once_and_then_served_from_the_cache(client, path):
    client.get(path)
    assert not any("wagtailcore_locale" in sql for sql in queries_for(client, path))


@pytest.mark.parametrize(("path", "language"), [("/", "en"), ("/fa/", "fa")])
def test_each_language_is_routed_from_its_own_home_page(client, path, language):
    home = HomePage.objects.get(locale__language_code="en")
    persian = home.copy_for_translation(Locale.objects.get(language_code="fa"))
    persian.title = "خانه"
    persian.save_revision().publish()
    client.get("/fa/" if language == "en" else "/")  # the other language fills the cache
    response = client.get(path)
    assert response.status_code == 200
    assert response.context["page"].locale.language_code == language


def test_without_a_translation_the_home_page_is_served_as_it_is(client):
    client.get("/")
    response = client.get("/fa/")
    assert response.status_code == 200
    assert response.context["page"].locale.language_code == "en"


def test_changing_a_locale_is_seen_on_the_next_request(client):
    client.get("/fa/")
    Locale.objects.get(language_code="fa").save()
    assert any("wagtailcore_locale" in sql for sql in queries_for(client, "/fa/"))


def test_view_restrictions_are_not_queried_while_none_exist(client):
    client.get("/")
    assert not any("pageviewrestriction" in sql for sql in queries_for(client, "/"))


def test_a_new_view_restriction_applies_at_once_and_its_removal_too(client):
    assert client.get("/").status_code == 200
    home = HomePage.objects.get(locale__language_code="en")
    restriction = PageViewRestriction.objects.create(page=home, restriction_type=PageViewRestriction.LOGIN)
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")
    restriction.delete()
    assert client.get("/").status_code == 200


def test_a_restriction_saved_while_a_reader_is_mid_lookup_still_applies(client, monkeypatch):
    """The reader found no restriction, then one was saved before it wrote its answer."""
    from lms import pages

    home = HomePage.objects.get(locale__language_code="en")
    real_exists = PageViewRestriction.objects.exists

    def exists_then_restrict():
        answer = real_exists()
        PageViewRestriction.objects.create(page=home, restriction_type=PageViewRestriction.LOGIN)
        return answer

    monkeypatch.setattr(PageViewRestriction.objects, "exists", exists_then_restrict)
    assert pages.any_view_restrictions() is False  # the stale answer, but it is not kept
    monkeypatch.undo()
    assert client.get("/").status_code == 302


# The site root's children ------------------------------------------------------------------


def test_a_catalog_is_looked_up_once_and_then_routed_to_from_the_cache(client):
    from tests.courses import builders

    builders.catalog()
    client.get("/courses/")
    again = queries_for(client, "/courses/")
    assert not any("courses_courseindexpage" in sql for sql in again)


def test_a_catalog_change_is_seen_on_the_next_request(client):
    from tests.courses import builders

    catalog = builders.catalog()
    client.get("/courses/")
    catalog.title = "All our courses"
    catalog.save_revision().publish()
    assert "All our courses" in client.get("/courses/").text

    catalog.slug = "learning"
    catalog.save_revision().publish()
    assert client.get("/courses/").status_code == 404
    assert client.get("/learning/").status_code == 200

    catalog.refresh_from_db()
    catalog.unpublish()
    assert client.get("/learning/").status_code == 404


def test_each_language_routes_to_its_own_catalog_from_the_cache(client):
    from tests.courses import builders

    english, persian = builders.catalog("en"), builders.catalog("fa")
    for _ in range(2):
        assert client.get("/courses/").context["page"].pk == english.pk
        assert client.get("/fa/courses/").context["page"].pk == persian.pk
