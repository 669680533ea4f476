"""The public verification page, its lookup form, the code selector and the public status."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from certifications import verify_cache
from certifications.models import Credential, CredentialEvent, IssuerSettings
from certifications.services.status import change_credential_status
from certifications.transitions import ManualAction
from certifications.verification import credential_by_code, extract_code, public_status
from lms import clock
from tests.certifications.builders import certification, issue
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ISSUED = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)  # 4 Azar 1405
MARGIN = 2
VERIFY_PAGE = 2  # observed on SQLite: the credential (one join), the issuer settings


@pytest.fixture
def holder(learner):
    learner.first_name, learner.last_name = "Sara", "Rezaei"
    learner.save()
    return learner


@pytest.fixture
def credential(holder):
    made = certification(validity_months=24, level="professional")
    return issue(holder, made, issued_at=ISSUED)


def page_url(code: str, language: str = "en") -> str:
    prefix = "/fa" if language == "fa" else ""
    return f"{prefix}/verify/{code}/"


def shown_status(response) -> str:
    match = re.search(r'data-status="([a-z]+)"', response.content.decode())
    assert match, "the page shows no status"
    return match.group(1)


# The public status


def test_an_active_credential_before_its_expiry_is_valid(credential):
    assert public_status(credential, now=ISSUED + timedelta(days=1)) == "valid"


def test_an_active_credential_past_its_expiry_shows_expired_before_the_nightly_job(credential):
    assert credential.status == Credential.Status.ACTIVE
    assert public_status(credential, now=credential.expires_at + timedelta(seconds=1)) == "expired"


def test_a_credential_that_never_expires_stays_valid(holder):
    forever = issue(holder, certification(slug="forever", name="Forever", validity_months=None))
    assert public_status(forever, now=ISSUED + timedelta(days=36500)) == "valid"


@pytest.mark.parametrize("stored", ["suspended", "expired", "revoked", "superseded"])
def test_other_statuses_are_shown_as_stored(credential, stored):
    credential.status = stored
    assert public_status(credential, now=ISSUED) == stored


# Finding a credential by its code


@pytest.mark.parametrize(
    "code",
    ["", "short", "has spaces in it padding", "semi;colon-aaaaaaaaaaaaaaaa", "a" * 44, "ابرزاد" * 5, "x/y" * 9],
)
def test_a_malformed_code_finds_nothing_without_asking_the_database(code, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert credential_by_code(code) is None


def test_an_unknown_code_finds_nothing_in_one_query(credential, django_assert_num_queries):
    with django_assert_num_queries(1):
        assert credential_by_code("A" * 27) is None


def test_a_code_loads_its_credential_certification_and_competency_in_one_query(credential, django_assert_num_queries):
    with django_assert_num_queries(1):
        found = credential_by_code(credential.code)
        assert found.certification.competency.name_fa == "امنیت ابری"
    assert found.pk == credential.pk


@pytest.mark.parametrize(
    "typed",
    [
        "{code}",
        "  {code}\n",
        "{head} {tail}",
        "http://testserver/verify/{code}/",
        "https://partners.example.com/fa/verify/{code}/",
        "https://partners.example.com/verify/{code}/certificate.pdf",
        "partners.example.com/verify/{code}",
    ],
)
def test_the_code_is_taken_from_a_bare_code_or_a_pasted_address(credential, typed):
    code = credential.code
    assert extract_code(typed.format(code=code, head=code[:10], tail=code[10:])) == code


@pytest.mark.parametrize("typed", ["", "   ", "not a code", "https://example.com/courses/", "https://x/verify/"])
def test_anything_else_gives_no_code(typed):
    assert extract_code(typed) is None


# The page


def test_the_page_shows_the_credential_in_both_calendars_and_both_names(client, credential, organization):
    response = client.get(page_url(credential.code))
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="en" dir="ltr">' in body
    for shown in (
        "Sara Rezaei",
        "Certified Cloud Security Associate",
        "کارشناس امنیت ابری",
        "Professional",
        "Cloud Security",
        "25 November 2026",
        "۴ آذر ۱۴۰۵",
        "25 November 2028",  # 24 months later
        "Abrzad Partner Program",
        "Valid",
    ):
        assert shown in body, shown
    assert shown_status(response) == "valid"
    assert f'href="/verify/{credential.code}/certificate.pdf"' in body
    assert f"/badges/assertions/{credential.code}.json" in body
    assert 'action="/verify/"' in body


def test_the_page_in_persian_is_right_to_left(client, credential):
    response = client.get(page_url(credential.code, "fa"))
    assert response.status_code == 200
    body = response.content.decode()
    assert '<html lang="fa" dir="rtl">' in body
    assert "۴ آذر ۱۴۰۵" in body and "25 November 2026" in body
    assert f'href="/fa/verify/{credential.code}/certificate.pdf"' in body
    assert 'action="/fa/verify/"' in body


def test_the_page_shows_no_email_address_and_no_organization(client, credential, organization):
    body = client.get(page_url(credential.code)).content.decode()
    assert "@" not in body.replace("&#x27;", "'").split("<main", 1)[1]
    assert credential.user.email not in body
    assert organization.name not in body and organization.name_fa not in body


def test_a_holder_issued_under_their_email_address_shows_only_its_local_part(client):
    nameless = UserFactory(first_name="", last_name="", email="nameless.person@hidden.example")
    credential = issue(nameless, certification())
    assert credential.holder_name == "nameless.person@hidden.example"
    body = client.get(page_url(credential.code)).content.decode()
    assert "nameless.person" in body
    assert "hidden.example" not in body


def test_the_page_is_never_cached_and_not_indexed(client, credential):
    response = client.get(page_url(credential.code))
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]


def test_a_revocation_shows_on_the_very_next_request(
    client, credential, site_admin, django_capture_on_commit_callbacks
):
    assert shown_status(client.get(page_url(credential.code))) == "valid"
    with django_capture_on_commit_callbacks(execute=True):
        change_credential_status(
            credential=credential, action=ManualAction.REVOKE, actor=site_admin, reason="Exam misconduct"
        )
    response = client.get(page_url(credential.code))
    assert shown_status(response) == "revoked"
    body = response.content.decode()
    assert "Revoked" in body
    assert "Exam misconduct" not in body  # the reason is not public


def test_a_suspension_and_a_supersession_show_as_such(client, credential):
    Credential.objects.filter(pk=credential.pk).update(status=Credential.Status.SUSPENDED)
    assert shown_status(client.get(page_url(credential.code))) == "suspended"
    Credential.objects.filter(pk=credential.pk).update(status=Credential.Status.SUPERSEDED)
    assert shown_status(client.get(page_url(credential.code))) == "superseded"


def test_an_active_credential_past_its_expiry_shows_expired_on_the_page(client, credential, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: credential.expires_at + timedelta(days=1))
    response = client.get(page_url(credential.code))
    assert shown_status(response) == "expired"
    assert "Expired" in response.content.decode()


def test_an_unknown_code_is_a_translated_not_found_page(client, credential):
    response = client.get(page_url("B" * 27, "fa"))
    assert response.status_code == 404
    assert '<html lang="fa" dir="rtl">' in response.content.decode()


@pytest.mark.parametrize("code", ["short", "has.dots.aaaaaaaaaaaaaaaaaaaaaa", "a" * 60])
def test_a_malformed_code_is_not_found(client, code):
    response = client.get(page_url(code))
    assert response.status_code == 404


def test_lookups_from_one_address_are_limited_whether_the_codes_exist_or_not(client, credential, settings):
    settings.VERIFY_RATE_LIMIT = {"per_ip": 3, "window_seconds": 600}
    assert client.get(page_url("C" * 27)).status_code == 404
    assert client.get(page_url("D" * 27)).status_code == 404
    assert client.get(page_url(credential.code)).status_code == 200
    refused = client.get(page_url(credential.code))
    assert refused.status_code == 429
    assert "Too many verifications" in refused.content.decode()
    assert refused["Retry-After"] == "600"
    assert client.get(page_url("E" * 27)).status_code == 429  # unknown codes too: nothing to probe
    assert client.get(f"/verify/{credential.code}/certificate.pdf").status_code == 429


def test_the_limit_is_per_client_address(client, credential, settings):
    settings.VERIFY_RATE_LIMIT = {"per_ip": 1, "window_seconds": 600}
    assert client.get(page_url(credential.code), REMOTE_ADDR="203.0.113.1").status_code == 200
    assert client.get(page_url(credential.code), REMOTE_ADDR="203.0.113.1").status_code == 429
    assert client.get(page_url(credential.code), REMOTE_ADDR="203.0.113.2").status_code == 200


def test_the_refusal_is_translated(client, credential, settings):
    settings.VERIFY_RATE_LIMIT = {"per_ip": 0, "window_seconds": 600}
    response = client.get(page_url(credential.code, "fa"))
    assert response.status_code == 429
    assert '<html lang="fa" dir="rtl">' in response.content.decode()


def test_the_query_count_of_the_page_stays_flat_as_data_grows(client, credential):
    """Cold (rendered) and warm (from the cache, see test_verify_cache.py)."""

    def measure() -> tuple[int, int]:
        client.get(page_url(credential.code))  # warm the per-process caches
        verify_cache.everything_changed()  # the next request renders the page
        counts = []
        for _cold_then_warm in range(2):
            with CaptureQueriesContext(connection) as captured:
                response = client.get(page_url(credential.code))
            assert response.status_code == 200
            counts.append(len(captured))
        return counts[0], counts[1]

    small = measure()
    for number in range(12):
        other = certification(name=f"Other {number}", slug=f"other-{number}", validity_months=12)
        issue(credential.user, other)
        issue(UserFactory(), other)
    for _ in range(20):
        CredentialEvent.objects.create(credential=credential, action="renewed", at=ISSUED)
    IssuerSettings.load()
    large = measure()
    assert small == large, f"{small} queries (cold, warm) with little data, {large} with more"
    cold, warm = large
    assert cold <= VERIFY_PAGE + MARGIN, f"{cold} queries, more than {VERIFY_PAGE} + {MARGIN}"
    assert warm == 0, f"{warm} queries for a page served from the cache"


# The lookup form


def test_the_lookup_form_is_a_public_page(client):
    response = client.get("/verify/")
    assert response.status_code == 200
    assert 'name="code"' in response.content.decode()
    assert "no-store" in response["Cache-Control"]


def test_a_bare_code_redirects_to_its_page(client, credential):
    response = client.get("/verify/", {"code": f"  {credential.code} "})
    assert response.status_code == 302
    assert response["Location"] == page_url(credential.code)


def test_a_pasted_address_redirects_to_the_page_in_the_same_language(client, credential):
    response = client.get("/fa/verify/", {"code": f"http://testserver/verify/{credential.code}/"})
    assert response.status_code == 302
    assert response["Location"] == page_url(credential.code, "fa")


def test_an_empty_code_shows_the_form_again_with_an_error(client):
    response = client.get("/verify/", {"code": "  "})
    assert response.status_code == 400
    assert "Enter the verification code" in response.content.decode()


def test_a_malformed_code_shows_the_form_again_with_an_error(client):
    response = client.get("/fa/verify/", {"code": "<script>alert(1)</script>"})
    assert response.status_code == 400
    body = response.content.decode()
    assert '<html lang="fa" dir="rtl">' in body
    assert 'class="errors"' in body
    assert "<script>alert" not in body
