"""The verification page kept in the cache: served without a query to anonymous visitors,
invalidated at once by every change to what it shows, and never shared with anyone it
would show something else."""

from __future__ import annotations

import copy
import re
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib import messages
from django.contrib.auth.models import AnonymousUser
from django.contrib.messages.storage.fallback import FallbackStorage
from django.contrib.sessions.backends.cache import SessionStore
from django.core.cache import cache
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext

from certifications import verify_cache
from certifications.models import Credential, IssuerSettings
from certifications.services.awarding import renew_credential
from certifications.services.expiry import expire_due_credentials
from certifications.services.status import change_credential_status
from certifications.transitions import ManualAction
from certifications.verification import printed_date
from lms import clock
from tests.certifications.builders import certification, issue

pytestmark = pytest.mark.django_db

ISSUED = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)
COLD_QUERIES = 2  # the credential (one join), the issuer settings


@pytest.fixture
def holder(learner):
    learner.first_name, learner.last_name = "Sara", "Rezaei"
    learner.save()
    return learner


@pytest.fixture
def credential(holder):
    IssuerSettings.load()  # its first load creates the row, which would invalidate the first render
    return issue(holder, certification(validity_months=24), issued_at=ISSUED)


@pytest.fixture
def now_during_validity(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: ISSUED + timedelta(days=30))


def page_url(code: str, language: str = "en") -> str:
    return f"{'/fa' if language == 'fa' else ''}/verify/{code}/"


def shown_status(response) -> str:
    match = re.search(r'data-status="([a-z]+)"', response.content.decode())
    assert match, "the page shows no status"
    return match.group(1)


def get_counting(client, path: str, **extra):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path, **extra)
    assert response.status_code == 200, response.status_code
    return response, len(captured)


def warm(client, credential, language: str = "en"):
    """Request the page until it is served from the cache; the cached response."""
    client.get(page_url(credential.code, language))
    response, queries = get_counting(client, page_url(credential.code, language))
    assert queries == 0, "the second request was not served from the cache"
    return response


# Served from the cache


def test_a_cached_page_runs_no_query_and_answers_the_same_bytes_and_headers(client, credential):
    warm(client, credential)  # and the site lookup of the middleware
    verify_cache.everything_changed()
    cold, cold_queries = get_counting(client, page_url(credential.code))
    hot, hot_queries = get_counting(client, page_url(credential.code))
    assert (cold_queries, hot_queries) == (COLD_QUERIES, 0)
    assert hot.content == cold.content
    for header in ("Content-Type", "Cache-Control", "X-Robots-Tag", "Vary", "Content-Language"):
        assert hot.get(header) == cold.get(header), header
    assert hot.cookies.keys() == cold.cookies.keys()
    assert "no-store" in hot["Cache-Control"]


def test_the_query_count_stays_zero_when_warm_and_flat_when_cold_as_data_grows(client, credential):
    def counts() -> tuple[int, int]:
        client.get(page_url(credential.code))  # the site lookup of the middleware
        verify_cache.everything_changed()
        return get_counting(client, page_url(credential.code))[1], get_counting(client, page_url(credential.code))[1]

    small = counts()
    for number in range(12):
        other = certification(name=f"Other {number}", slug=f"other-{number}", validity_months=12)
        issue(credential.user, other)
    assert counts() == small == (COLD_QUERIES, 0)


def test_each_language_has_its_own_entry(client, credential):
    english = warm(client, credential, "en")
    persian = warm(client, credential, "fa")
    assert '<html lang="en" dir="ltr">' in english.content.decode()
    assert '<html lang="fa" dir="rtl">' in persian.content.decode()
    assert f'next=/fa/verify/{credential.code}/"' in persian.content.decode().replace("%2F", "/")


def test_cached_hits_still_count_against_the_rate_limit(client, credential, settings):
    settings.VERIFY_RATE_LIMIT = {"per_ip": 3, "window_seconds": 600}
    warm(client, credential)  # two requests
    assert client.get(page_url(credential.code)).status_code == 200
    refused = client.get(page_url(credential.code))
    assert refused.status_code == 429
    assert refused["Retry-After"] == "600"


def test_unknown_and_malformed_codes_are_not_found_and_leave_nothing_in_the_cache(client, credential):
    assert client.get(page_url("B" * 27)).status_code == 404
    assert client.get(page_url("B" * 27)).status_code == 404
    assert client.get(page_url("short")).status_code == 404
    assert not [key for key in cache._cache if "BBBB" in key or "short" in key]


def test_nothing_is_cached_when_the_cache_is_off(client, credential, settings):
    settings.VERIFY_PAGE_CACHE = False  # the default without Redis: a local cache is not shared
    assert not verify_cache.enabled()
    client.get(page_url(credential.code))
    assert not [key for key in cache._cache if "verify:page" in key]
    assert get_counting(client, page_url(credential.code))[1] == COLD_QUERIES


def test_a_new_deploy_version_starts_new_entries(client, credential, settings):
    warm(client, credential)
    settings.VERIFY_PAGE_CACHE_VERSION = "next-release"
    verify_cache.page_version.cache_clear()
    try:
        assert get_counting(client, page_url(credential.code))[1] == COLD_QUERIES
    finally:
        verify_cache.page_version.cache_clear()


# Changes show on the very next request


def test_a_revocation_through_the_service_shows_at_once(
    client, credential, site_admin, django_capture_on_commit_callbacks
):
    assert shown_status(warm(client, credential)) == "valid"
    with django_capture_on_commit_callbacks(execute=True):
        change_credential_status(credential=credential, action=ManualAction.REVOKE, actor=site_admin, reason="x")
    assert shown_status(client.get(page_url(credential.code))) == "revoked"
    assert shown_status(client.get(page_url(credential.code, "fa"))) == "revoked"


def test_a_suspension_and_a_reinstatement_show_at_once(client, credential, site_admin, now_during_validity):
    warm(client, credential)
    change_credential_status(credential=credential, action=ManualAction.SUSPEND, actor=site_admin, reason="x")
    assert shown_status(client.get(page_url(credential.code))) == "suspended"
    assert shown_status(warm(client, credential)) == "suspended"
    credential.refresh_from_db()
    change_credential_status(credential=credential, action=ManualAction.REINSTATE, actor=site_admin, reason="x")
    assert shown_status(client.get(page_url(credential.code))) == "valid"


def test_a_renewal_shows_the_new_expiry_at_once(client, credential, monkeypatch):
    warm(client, credential)
    monkeypatch.setattr(clock, "now", lambda: credential.expires_at - timedelta(days=10))
    renewed = renew_credential(credential=credential, evidence={"by": "test"})
    assert renewed is not None
    expires = printed_date(renewed.expires_at).gregorian
    assert expires in client.get(page_url(credential.code)).content.decode()


def test_a_supersession_and_a_date_changed_in_bulk_show_at_once(client, credential, now_during_validity):
    warm(client, credential)
    Credential.objects.filter(pk=credential.pk).update(status=Credential.Status.SUPERSEDED)
    assert shown_status(client.get(page_url(credential.code))) == "superseded"
    warm(client, credential)
    later = datetime(2031, 3, 3, 12, tzinfo=UTC)
    Credential.objects.filter(pk=credential.pk).update(expires_at=later)
    assert printed_date(later).gregorian in client.get(page_url(credential.code)).content.decode()


def test_the_holder_name_corrected_shows_at_once(client, credential):
    warm(client, credential)
    credential.holder_name = "Sara Rezaei-Tehrani"
    credential.save()
    assert "Sara Rezaei-Tehrani" in client.get(page_url(credential.code)).content.decode()


def test_the_nightly_expiry_shows_at_once(client, credential, site_admin, monkeypatch):
    change_credential_status(credential=credential, action=ManualAction.SUSPEND, actor=site_admin, reason="x")
    after = credential.expires_at + timedelta(days=1)
    monkeypatch.setattr(clock, "now", lambda: after)
    assert shown_status(warm(client, credential)) == "suspended"  # suspended is shown as stored
    assert expire_due_credentials(now=after) == 1  # a raw UPDATE
    assert shown_status(client.get(page_url(credential.code))) == "expired"


def test_a_valid_page_is_no_longer_served_once_the_credential_expires(client, credential, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: credential.expires_at - timedelta(seconds=1))
    assert shown_status(warm(client, credential)) == "valid"
    monkeypatch.setattr(clock, "now", lambda: credential.expires_at)
    assert shown_status(client.get(page_url(credential.code))) == "expired"


def test_a_certification_or_competency_renamed_shows_at_once(client, credential):
    warm(client, credential)
    warm(client, credential, "fa")
    made = credential.certification
    made.name, made.name_fa = "Certified Cloud Security Expert", "خبره‌ی امنیت ابری"
    made.save()
    assert "Certified Cloud Security Expert" in client.get(page_url(credential.code)).content.decode()
    assert "خبره‌ی امنیت ابری" in client.get(page_url(credential.code, "fa")).content.decode()
    warm(client, credential)
    competency = made.competency
    competency.name = "Zero Trust"
    competency.save()
    assert "Zero Trust" in client.get(page_url(credential.code)).content.decode()


def test_an_issuer_settings_change_shows_at_once(client, credential):
    warm(client, credential)
    issuer = IssuerSettings.load()
    issuer.name = "Abrzad Certification Board"
    issuer.save()
    assert "Abrzad Certification Board" in client.get(page_url(credential.code)).content.decode()


def test_a_render_that_raced_a_change_is_never_served(client, credential, monkeypatch):
    """A change committed while a request renders the old rows replaces the tokens that
    request read first: what it stores is not served."""
    rendered = verify_cache.store

    def change_meanwhile(*args, **kwargs):
        Credential.objects.filter(pk=credential.pk).update(status=Credential.Status.REVOKED)
        rendered(*args, **kwargs)

    monkeypatch.setattr(verify_cache, "store", change_meanwhile)
    assert shown_status(client.get(page_url(credential.code))) == "valid"  # read before the change
    monkeypatch.setattr(verify_cache, "store", rendered)
    assert shown_status(client.get(page_url(credential.code))) == "revoked"


# Never shared with someone it would show something else


def test_a_signed_in_visitor_never_gets_the_anonymous_page_nor_leaves_theirs(client, credential, site_admin):
    anonymous = warm(client, credential).content.decode()
    assert "Sign in" in anonymous
    assert "csrfmiddlewaretoken" not in anonymous

    client.force_login(site_admin)
    site_admin.first_name = "Negar"
    site_admin.save()
    signed_in = client.get(page_url(credential.code)).content.decode()
    assert "Negar" in signed_in
    assert "csrfmiddlewaretoken" in signed_in  # the sign-out and language forms
    assert 'href="/admin/"' in signed_in
    assert shown_status(client.get(page_url(credential.code))) == "valid"

    client.logout()
    again, queries = get_counting(client, page_url(credential.code))
    assert queries == 0
    assert again.content.decode() == anonymous
    assert "Negar" not in anonymous
    assert 'href="/admin/"' not in anonymous


def test_a_signed_in_render_is_not_stored_for_anonymous_visitors(client, credential, holder):
    client.force_login(holder)
    client.get(page_url(credential.code))
    client.get(page_url(credential.code))
    client.logout()
    response, queries = get_counting(client, page_url(credential.code))
    assert queries == COLD_QUERIES
    assert holder.email not in response.content.decode()


def test_a_query_string_is_rendered_for_its_own_request(client, credential):
    warm(client, credential)
    response, queries = get_counting(client, page_url(credential.code) + "?utm_source=mail")
    assert queries == COLD_QUERIES
    assert "utm_source" in response.content.decode()
    assert "utm_source" not in warm(client, credential).content.decode()


def test_a_visitor_with_messages_waiting_is_not_served_from_the_cache():
    request = RequestFactory().get("/verify/x/")
    request.user = AnonymousUser()
    request.session = SessionStore()
    request._messages = FallbackStorage(request)
    assert verify_cache.cacheable(request)
    messages.info(request, "Signed out.")
    assert not verify_cache.cacheable(request)


# The CSP nonce


NONCE_TEMPLATE = (
    '{% extends "certifications/verify.html" %}'
    '{% block extra_head %}{{ block.super }}<script nonce="{{ csp_nonce }}" src="/static/x.js"></script>{% endblock %}'
)


@pytest.fixture
def page_with_a_nonce(settings):
    templates = copy.deepcopy(settings.TEMPLATES)
    templates[0]["APP_DIRS"] = False
    templates[0]["OPTIONS"]["loaders"] = [
        ("django.template.loaders.locmem.Loader", {"certifications/verify.html": NONCE_TEMPLATE}),
        "django.template.loaders.filesystem.Loader",
        "django.template.loaders.app_directories.Loader",
    ]
    settings.TEMPLATES = templates


def nonces(response) -> tuple[str, str]:
    in_page = re.search(r'<script nonce="([^"]+)"', response.content.decode())
    in_header = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"])
    assert in_page and in_header, "no nonce in the page or in its CSP header"
    return in_page.group(1), in_header.group(1)


def test_a_cached_page_carries_the_nonce_of_its_own_response(client, credential, page_with_a_nonce):
    cold = client.get(page_url(credential.code))
    hot, queries = get_counting(client, page_url(credential.code))
    assert queries == 0
    cold_page, cold_header = nonces(cold)
    hot_page, hot_header = nonces(hot)
    assert cold_page == cold_header
    assert hot_page == hot_header
    assert hot_page != cold_page
    assert verify_cache.NONCE_PLACEHOLDER.decode() not in hot.content.decode()


def test_a_page_without_a_nonce_gets_no_nonce_in_its_header(client, credential):
    hot = warm(client, credential)
    assert "nonce-" not in hot["Content-Security-Policy"]
