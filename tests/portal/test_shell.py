"""The portal shell: dashboard, navigation, language switch, error pages, headers."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from lms.partners.models import Membership
from lms.partners.roles import StaffRole
from lms.portal.views import server_error

pytestmark = pytest.mark.django_db


def test_the_dashboard_needs_sign_in(client):
    response = client.get("/learn/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/learn/"


def test_the_dashboard_shows_the_learners_organization_and_tier(client, learner):
    client.force_login(learner)
    response = client.get("/learn/")
    assert "Parsian Cloud" in response.text
    assert "Registered" in response.text
    assert "Manage my team" not in response.text


def test_a_partner_admin_sees_team_figures_on_the_dashboard(client, partner_admin, learner):
    client.force_login(partner_admin)
    response = client.get("/learn/")
    assert "2 people on the team" in response.text
    assert "Manage my team" in response.text


def test_dates_on_the_persian_dashboard_are_jalali(client, learner):
    Membership.objects.filter(user=learner).update(joined_at="2026-11-25T10:00Z")
    client.force_login(learner)
    assert "۴ آذر ۱۴۰۵" in client.get("/fa/learn/").text
    assert "25 November 2026" in client.get("/learn/").text


def test_the_persian_dashboard_shows_the_persian_organization_name(client, learner):
    client.force_login(learner)
    assert "ابر پارسیان" in client.get("/fa/learn/").text


@pytest.mark.parametrize("team_size", [5, 50])
def test_dashboard_query_count_does_not_grow_with_the_team(client, partner_admin, organization, make_member, team_size):
    for _ in range(team_size):
        make_member(organization)
    client.force_login(partner_admin)
    client.get("/learn/")  # warm the site cache
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/learn/").status_code == 200
    assert len(queries) <= 9, [query["sql"] for query in queries]


def test_home_page_query_count_is_small_and_fixed(client, learner):
    client.force_login(learner)
    client.get("/")  # warm Wagtail's site cache
    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200
    assert len(queries) <= 8, [query["sql"] for query in queries]


def navigation_labels(client) -> list[str]:
    response = client.get("/learn/")
    return [str(item.label) for item in response.context["nav_items"]]


def test_navigation_shows_each_role_what_it_can_use(client, learner, partner_admin, site_admin, make_staff):
    client.force_login(learner)
    assert navigation_labels(client) == ["Home", "Courses", "Playbooks", "Brand assets", "My learning"]
    assert not client.get("/learn/").context["show_admin_link"]
    client.force_login(partner_admin)
    assert navigation_labels(client) == [
        "Home",
        "Courses",
        "Playbooks",
        "Brand assets",
        "My learning",
        "My organization",
    ]
    client.force_login(site_admin)
    assert navigation_labels(client) == [
        "Home",
        "Courses",
        "Playbooks",
        "Brand assets",
        "My learning",
        "My organization",
        "Partner tiers",
    ]
    assert client.get("/learn/").context["show_admin_link"]
    client.force_login(make_staff(StaffRole.TIER_MANAGER))
    assert navigation_labels(client) == ["Home", "Courses", "Playbooks", "Brand assets", "My learning", "Partner tiers"]
    client.force_login(make_staff(StaffRole.INTERNAL_EXPERT))
    assert not client.get("/learn/").context["show_admin_link"]
    client.force_login(make_staff(StaffRole.MARKETER))
    assert client.get("/learn/").context["show_admin_link"]


def test_switching_language_keeps_the_page_and_remembers_the_choice(client, learner):
    client.force_login(learner)
    response = client.post("/language/", {"language": "fa", "next": "/learn/"})
    assert response.status_code == 302
    assert response["Location"] == "/fa/learn/"
    learner.refresh_from_db()
    assert learner.preferred_language == "fa"
    assert learner.wagtail_userprofile.preferred_language == "fa"
    back = client.post("/language/", {"language": "en", "next": "/fa/learn/"})
    assert back["Location"] == "/learn/"


def test_switching_language_never_redirects_off_site(client):
    response = client.post("/language/", {"language": "fa", "next": "https://evil.example/x"})
    assert response["Location"] == "/fa/"


def test_an_unknown_language_is_a_clear_400(client):
    response = client.post("/language/", {"language": "xx", "next": "/"})
    assert response.status_code == 400
    assert "Unknown language" in response.text


@pytest.mark.parametrize(("path", "lang", "direction"), [("/missing/", "en", "ltr"), ("/fa/missing/", "fa", "rtl")])
def test_not_found_pages_are_styled_in_both_languages(client, path, lang, direction):
    response = client.get(path)
    assert response.status_code == 404
    assert f'<html lang="{lang}" dir="{direction}">' in response.text
    assert "abrzad.css" in response.text


def test_forbidden_pages_are_styled_and_say_why(client, learner):
    client.force_login(learner)
    response = client.get("/fa/partner/")
    assert response.status_code == 403
    assert '<html lang="fa" dir="rtl">' in response.text
    assert "403" in response.text


@pytest.mark.parametrize(("language", "direction"), [("en", "ltr"), ("fa", "rtl")])
def test_the_server_error_page_renders_without_the_database(language, direction, django_assert_num_queries):
    request = RequestFactory().get("/")
    with translation.override(language), django_assert_num_queries(0):
        response = server_error(request)
    assert response.status_code == 500
    assert f'dir="{direction}"' in response.content.decode()


def test_every_html_response_carries_a_content_security_policy(client, learner):
    for path in ["/", "/fa/", "/accounts/login/", "/missing/"]:
        policy = client.get(path)["Content-Security-Policy"]
        assert "default-src 'self'" in policy
        script_sources = next(part for part in policy.split(";") if part.strip().startswith("script-src"))
        assert "'unsafe-inline'" not in script_sources
        assert "'unsafe-eval'" not in script_sources
    client.force_login(learner)
    assert "Content-Security-Policy" in client.get("/learn/")


def test_security_headers_are_sent(client):
    response = client.get("/")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def script_sources(response) -> str:
    policy = response["Content-Security-Policy"]
    return next(part for part in policy.split(";") if part.strip().startswith("script-src"))


def test_only_the_wagtail_admin_may_run_inline_scripts(client, site_admin):
    client.force_login(site_admin)
    assert "'unsafe-inline'" in script_sources(client.get("/admin/"))
    assert "'unsafe-inline'" not in script_sources(client.get("/learn/"))
    assert "'unsafe-inline'" not in script_sources(client.get("/fa/"))


def test_the_dashboard_counts_only_invitations_that_can_still_be_accepted(client, partner_admin, organization):
    from lms.partners.models import Invitation

    for email, expires in [("live@p.example", "2099-01-01T00:00Z"), ("old@p.example", "2001-01-01T00:00Z")]:
        Invitation.objects.create(
            organization=organization, email=email, token_hash=email.ljust(64, "0"), expires_at=expires
        )
    client.force_login(partner_admin)
    assert "1 pending invitation" in client.get("/learn/").text


def test_persian_pages_show_iran_time_so_nowruz_midnight_lands_on_the_right_day(client, learner):
    Membership.objects.filter(user=learner).update(joined_at="2026-03-20T21:00Z")  # 00:30 on 1 Farvardin in Tehran
    client.force_login(learner)
    assert "۱ فروردین ۱۴۰۵" in client.get("/fa/learn/").text
    assert "20 March 2026" in client.get("/learn/").text
