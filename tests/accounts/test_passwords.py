"""Password rules, change and reset."""

from __future__ import annotations

import re

import pytest
from django.core import mail

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_password_change_needs_sign_in(client):
    response = client.get("/accounts/password/change/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.parametrize(
    ("new_password", "message"),
    [
        ("short-pass1", "at least 12 characters"),
        ("password1234", "too common"),
        ("123456789012345", "entirely numeric"),
    ],
)
def test_weak_passwords_are_refused(client, learner, new_password, message):
    client.force_login(learner)
    response = client.post(
        "/accounts/password/change/",
        {"old_password": TEST_PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 200
    assert message in response.text
    learner.refresh_from_db()
    assert learner.check_password(TEST_PASSWORD)


def test_a_strong_password_is_accepted(client, learner):
    client.force_login(learner)
    new = "quiet-orchard-lantern-1984"
    response = client.post(
        "/accounts/password/change/", {"old_password": TEST_PASSWORD, "new_password1": new, "new_password2": new}
    )
    assert response.status_code == 302
    learner.refresh_from_db()
    assert learner.check_password(new)


def test_password_reset_by_email_end_to_end(client, learner):
    response = client.post("/accounts/password/reset/", {"email": learner.email})
    assert response.status_code == 302
    assert len(mail.outbox) == 1
    link = re.search(r"https?://[^/]+(/accounts/password/reset/\S+/)", mail.outbox[0].body).group(1)
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    new = "quiet-orchard-lantern-1984"
    done = client.post(form_page.redirect_chain[-1][0], {"new_password1": new, "new_password2": new})
    assert done.status_code == 302
    learner.refresh_from_db()
    assert learner.check_password(new)


def test_password_reset_for_an_unknown_email_reveals_nothing(client):
    response = client.post("/accounts/password/reset/", {"email": "nobody@example.com"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_password_reset_email_is_in_persian_when_asked_in_persian(client, learner):
    client.post("/fa/accounts/password/reset/", {"email": learner.email})
    assert "/fa/accounts/password/reset/" in mail.outbox[0].body
    assert "Someone asked to reset" not in mail.outbox[0].body


def test_password_reset_requests_are_throttled_per_address(client, learner):
    for _ in range(3):
        assert client.post("/accounts/password/reset/", {"email": learner.email}).status_code == 302
    response = client.post("/accounts/password/reset/", {"email": learner.email.upper()})
    assert response.status_code == 429
    assert len(mail.outbox) == 3


def test_reset_links_use_the_configured_site_address_not_the_host_header(client, learner):
    client.post("/accounts/password/reset/", {"email": learner.email}, HTTP_HOST="localhost")
    assert "http://testserver/accounts/password/reset/" in mail.outbox[0].body
