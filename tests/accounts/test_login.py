"""Signing in: by email, rate limited, and closed to suspended organizations."""

from __future__ import annotations

import pytest
from django.test import override_settings

from lms.partners.models import Organization
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def sign_in(client, email, password=TEST_PASSWORD, path="/accounts/login/", **extra):
    return client.post(path, {"username": email, "password": password}, **extra)


def test_a_person_signs_in_with_their_email_in_any_case(client, learner):
    response = sign_in(client, learner.email.upper())
    assert response.status_code == 302
    assert client.get("/learn/").status_code == 200


def test_a_wrong_password_gets_a_clear_message(client, learner):
    response = sign_in(client, learner.email, "wrong-password-here")
    assert response.status_code == 200
    assert "The email or password is not correct." in response.text


def test_after_signing_in_people_land_in_their_preferred_language(client, learner):
    learner.preferred_language = "fa"
    learner.save()
    response = sign_in(client, learner.email)
    assert response["Location"] == "/fa/learn/"


def test_the_next_page_is_kept_and_translated_to_the_preferred_language(client, partner_admin):
    partner_admin.preferred_language = "fa"
    partner_admin.save()
    response = client.post(
        "/accounts/login/", {"username": partner_admin.email, "password": TEST_PASSWORD, "next": "/partner/"}
    )
    assert response["Location"] == "/fa/partner/"


def test_an_outside_next_url_is_ignored(client, learner):
    response = client.post(
        "/accounts/login/", {"username": learner.email, "password": TEST_PASSWORD, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/learn/"


@override_settings(LOGIN_RATE_LIMIT={"per_ip": 100, "per_account": 3, "window_seconds": 900})
def test_an_account_is_paused_after_repeated_failures_with_a_429(client, learner):
    for _ in range(3):
        assert sign_in(client, learner.email, "wrong-password-here").status_code == 200
    response = sign_in(client, learner.email)  # even the right password waits
    assert response.status_code == 429
    assert "Too many sign-in attempts" in response.text


@override_settings(LOGIN_RATE_LIMIT={"per_ip": 4, "per_account": 100, "window_seconds": 900})
def test_an_address_is_paused_after_failures_across_many_accounts(client, learner):
    for n in range(4):
        sign_in(client, f"guess{n}@example.com", "wrong-password-here")
    assert sign_in(client, learner.email).status_code == 429
    other_address = sign_in(client, learner.email, REMOTE_ADDR="10.9.8.7")
    assert other_address.status_code == 302


@override_settings(LOGIN_RATE_LIMIT={"per_ip": 100, "per_account": 2, "window_seconds": 900})
def test_the_rate_limit_message_is_in_persian_on_persian_pages(client, learner):
    for _ in range(2):
        sign_in(client, learner.email, "wrong-password-here", path="/fa/accounts/login/")
    response = sign_in(client, learner.email, path="/fa/accounts/login/")
    assert response.status_code == 429
    assert 'dir="rtl"' in response.text
    assert "Too many sign-in attempts" not in response.text


def test_members_of_a_suspended_organization_are_told_why_they_cannot_sign_in(client, learner, organization):
    organization.status = Organization.Status.SUSPENDED
    organization.save()
    response = sign_in(client, learner.email)
    assert response.status_code == 200
    assert "is suspended" in response.text
    assert "Parsian Cloud" in response.text
    assert "_auth_user_id" not in client.session


def test_suspending_an_organization_ends_its_members_sessions(client, learner, organization):
    client.force_login(learner)
    assert client.get("/learn/").status_code == 200
    organization.status = Organization.Status.SUSPENDED
    organization.save()
    assert client.get("/learn/").status_code == 302


def test_signing_out_needs_a_post(client, learner):
    client.force_login(learner)
    assert client.get("/accounts/logout/").status_code == 405
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/learn/").status_code == 302


def test_an_english_speaker_following_a_persian_link_lands_in_english(client, partner_admin):
    response = client.post(
        "/fa/accounts/login/", {"username": partner_admin.email, "password": TEST_PASSWORD, "next": "/fa/partner/"}
    )
    assert response["Location"] == "/partner/"


@override_settings(LOGIN_RATE_LIMIT={"per_ip": 100, "per_account": 2, "window_seconds": 900})
@pytest.mark.parametrize("other_door", ["/admin/login/", "/accounts/login/"])
def test_a_locked_account_stays_locked_through_every_sign_in_page(client, learner, other_door):
    for _ in range(2):
        sign_in(client, learner.email, "wrong-password-here", path="/admin/login/")
    response = sign_in(client, learner.email, path=other_door)
    assert response.status_code in (200, 429)  # the admin re-shows its form; the portal answers 429
    assert "_auth_user_id" not in client.session


def test_wagtails_front_end_sign_in_page_sends_people_to_the_portals(client):
    response = client.get("/_util/login/?next=/learn/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/learn/"
    assert client.get("/fa/_util/login/")["Location"] == "/fa/accounts/login/"


def test_the_admin_offers_no_second_password_reset(client):
    assert client.get("/admin/password_reset/").status_code == 404


@pytest.mark.parametrize("look_alike", ["learner@parsıan.example", "learnеr@parsian.example"])
def test_look_alike_spellings_of_an_address_never_sign_in_to_it(client, learner, look_alike):
    response = sign_in(client, look_alike)  # a dotless i; a Cyrillic e
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("spelling", ["LEARNER@PARSIAN.EXAMPLE\u200c", " learner@parſian.example "])
def test_case_invisible_marks_and_compatibility_letters_fold_into_the_real_address(client, learner, spelling):
    assert sign_in(client, spelling).status_code == 302


@override_settings(LOGIN_RATE_LIMIT={"per_ip": 100, "per_account": 2, "window_seconds": 900})
def test_upper_case_and_invisible_marks_share_the_accounts_failure_count(client, learner):
    sign_in(client, learner.email.upper(), "wrong-password-here")
    sign_in(client, learner.email + "\u200c", "wrong-password-here")
    assert sign_in(client, learner.email).status_code == 429
