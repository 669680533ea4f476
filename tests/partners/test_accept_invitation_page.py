"""The page behind an invitation link."""

from __future__ import annotations

import re
from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.core import mail
from django.utils import timezone

from lms.accounts.models import User
from lms.partners import services
from lms.partners.models import Invitation, Membership

pytestmark = pytest.mark.django_db
PASSWORD = "a-long-unusual-passphrase-77"


@pytest.fixture
def invite_link(organization, django_capture_on_commit_callbacks):
    def make(email="new@parsian.example", language="en") -> str:
        with django_capture_on_commit_callbacks(execute=True):
            services.invite_people(
                organization=organization,
                emails=[email],
                role=Membership.Role.LEARNER,
                invited_by=None,
                language=language,
            )
        return re.search(
            r"https?://[^/]+(/\S+/accounts/invite/[\w-]+/|/accounts/invite/[\w-]+/)", mail.outbox[-1].body
        ).group(1)

    return make


def sign_up(client, link, **overrides):
    data = {"first_name": "Sara", "last_name": "Ahmadi", "password1": PASSWORD, "password2": PASSWORD, **overrides}
    return client.post(link, data)


def test_the_page_shows_the_organization_and_the_bound_email(client, invite_link):
    response = client.get(invite_link())
    assert response.status_code == 200
    assert "Parsian Cloud" in response.text
    assert 'value="new@parsian.example" readonly' in response.text


def test_signing_up_creates_the_member_signs_them_in_and_opens_the_dashboard(client, invite_link, organization):
    response = sign_up(client, invite_link())
    assert response.status_code == 302
    assert response["Location"] == "/learn/"
    user = User.objects.get(email="new@parsian.example")
    assert user.membership.organization == organization
    assert client.get("/learn/").status_code == 200


def test_a_persian_invitation_opens_in_persian_and_the_new_account_prefers_persian(client, invite_link):
    link = invite_link(language="fa")
    assert link.startswith("/fa/")
    assert 'dir="rtl"' in client.get(link).text
    sign_up(client, link)
    assert User.objects.get(email="new@parsian.example").preferred_language == "fa"


def test_a_weak_password_is_refused_and_nothing_is_created(client, invite_link):
    response = sign_up(client, invite_link(), password1="password1234", password2="password1234")
    assert response.status_code == 400
    assert "too common" in response.text
    assert not User.objects.exists()
    assert Invitation.objects.get().state == Invitation.State.PENDING


def test_mismatched_passwords_are_refused(client, invite_link):
    response = sign_up(client, invite_link(), password2=PASSWORD + "x")
    assert response.status_code == 400
    assert "do not match" in response.text
    assert not User.objects.exists()


def test_a_used_link_shows_a_clear_page(client, invite_link):
    link = invite_link()
    sign_up(client, link)
    client.logout()
    response = client.get(link)
    assert response.status_code == 410
    assert "already been used" in response.text


def test_an_expired_link_shows_a_clear_page_and_creates_nothing(client, invite_link):
    link = invite_link()
    Invitation.objects.update(expires_at=timezone.now() - timedelta(minutes=1))
    assert "has expired" in client.get(link).text
    response = sign_up(client, link)
    assert response.status_code == 410
    assert not User.objects.exists()


def test_a_tampered_link_shows_a_clear_page(client, invite_link):
    link = invite_link()
    response = client.get(link.replace("/invite/", "/invite/x"))
    assert response.status_code == 404
    assert "not valid" in response.text


def test_a_problem_page_is_in_persian_on_persian_links(client):
    response = client.get("/fa/accounts/invite/not-a-real-token/")
    assert response.status_code == 404
    assert 'dir="rtl"' in response.text
    assert "not valid" not in response.text


def test_an_existing_account_is_asked_to_sign_in_first(client, invite_link):
    User.objects.create_user(username="new@parsian.example", email="new@parsian.example", password=PASSWORD)
    response = client.get(invite_link())
    assert response.status_code == 409
    assert "/accounts/login/?next=" in response.text


def test_a_signed_in_person_accepts_with_one_click(client, invite_link, organization):
    user = User.objects.create_user(username="new@parsian.example", email="new@parsian.example", password=PASSWORD)
    link = invite_link()
    client.force_login(user)
    assert "Accept the invitation" in client.get(link).text
    assert client.post(link).status_code == 302
    user.refresh_from_db()
    assert user.membership.organization == organization


def test_invitation_pages_leak_the_token_neither_by_referer_nor_into_the_logs(client, invite_link, caplog):
    link = invite_link()
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert client.get(link)["Referrer-Policy"] == "same-origin"
    response = sign_up(client, link, password2="something-else-entirely")  # a 400, which Django logs
    assert response.status_code == 400
    from lms.log_filters import RedactInvitationTokens

    redact = RedactInvitationTokens()
    for record in caplog.records:
        redact.filter(record)
        assert token not in record.getMessage()
    assert any("/accounts/invite/[redacted]" in record.getMessage() for record in caplog.records)


def test_the_background_task_never_holds_the_token(organization, django_capture_on_commit_callbacks, monkeypatch):
    from lms.partners import services as partner_services

    enqueued = []
    monkeypatch.setattr(
        partner_services, "send_invitation_email", SimpleNamespace(enqueue=lambda **kwargs: enqueued.append(kwargs))
    )
    with django_capture_on_commit_callbacks(execute=True):
        partner_services.invite_people(
            organization=organization, emails=["q@p.example"], role="learner", invited_by=None
        )
    assert enqueued == [{"invitation_id": Invitation.objects.get().pk}]


def test_vendor_staff_opening_an_invitation_get_a_clear_refusal(client, invite_link, make_staff):
    from lms.partners.roles import StaffRole

    staff = make_staff(StaffRole.COURSE_AUTHOR, email="new@parsian.example")
    link = invite_link()
    client.force_login(staff)
    response = client.post(link)
    assert response.status_code == 409
    assert "Vendor staff accounts cannot join" in response.text
    assert not Membership.objects.filter(user=staff).exists()
