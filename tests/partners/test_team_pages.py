"""The partner admin's team page: members, invitations, bulk invites."""

from __future__ import annotations

import pytest
from django.core import mail
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.handlers.wsgi import WSGIRequest
from django.db import connection
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.test.utils import CaptureQueriesContext

from lms.partners.forms import MAX_CSV_BYTES, MAX_INVITE_REQUEST_BYTES
from lms.partners.models import Invitation, Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, partner_admin):
    client.force_login(partner_admin)
    return client


def post_invite(client, slug="parsian", capture=None, **data):
    data.setdefault("role", "learner")
    with capture(execute=True):
        return client.post(f"/partner/{slug}/invitations/", data)


@pytest.fixture
def capture(django_capture_on_commit_callbacks):
    return django_capture_on_commit_callbacks


def test_partner_admin_sees_their_team_and_pending_invitations(admin_client, learner, capture):
    post_invite(admin_client, capture=capture, emails="pending@parsian.example")
    response = admin_client.get("/partner/")
    assert response.status_code == 200
    assert learner.email in response.text
    assert "pending@parsian.example" in response.text


def test_pasted_emails_are_all_invited(admin_client, capture):
    response = post_invite(admin_client, capture=capture, emails="a@p.example\nb@p.example, c@p.example")
    assert response.status_code == 302
    assert Invitation.objects.count() == 3
    assert len(mail.outbox) == 3


def test_a_csv_upload_invites_everyone_in_it(admin_client, capture):
    upload = SimpleUploadedFile("team.csv", b"email\nx@p.example\ny@p.example\n", content_type="text/csv")
    response = post_invite(admin_client, capture=capture, csv_file=upload)
    assert response.status_code == 302
    assert set(Invitation.objects.values_list("email", flat=True)) == {"x@p.example", "y@p.example"}


def test_one_bad_address_rejects_the_whole_batch_with_its_line(admin_client, capture):
    response = post_invite(admin_client, capture=capture, emails="good@p.example\nnot-an-address")
    assert response.status_code == 400
    assert "line 2: not-an-address" in response.text
    assert not Invitation.objects.exists()
    assert mail.outbox == []


def test_a_binary_file_is_refused_with_a_clear_message(admin_client, capture):
    upload = SimpleUploadedFile("team.csv", b"\x89PNG\r\n\x1a\n\x00\x00", content_type="text/csv")
    response = post_invite(admin_client, capture=capture, csv_file=upload)
    assert response.status_code == 400
    assert "not a CSV text file" in response.text
    assert not Invitation.objects.exists()


def test_an_oversized_upload_is_refused_before_it_is_read(admin_client, monkeypatch):
    payload = b"a@p.example\n" * (MAX_INVITE_REQUEST_BYTES // 12 + 10)
    body = encode_multipart(BOUNDARY, {"role": "learner", "csv_file": SimpleUploadedFile("team.csv", payload)})

    def no_parsing(self):
        raise AssertionError("the upload was parsed")

    monkeypatch.setattr(WSGIRequest, "_load_post_and_files", no_parsing)
    response = admin_client.generic("POST", "/partner/parsian/invitations/", body, content_type=MULTIPART_CONTENT)
    assert response.status_code == 413
    assert "too large" in response.text
    assert not Invitation.objects.exists()


def test_a_file_over_the_limit_inside_an_acceptable_request_is_refused(admin_client, capture, monkeypatch):
    monkeypatch.setattr("lms.partners.views.MAX_INVITE_REQUEST_BYTES", 10 * MAX_CSV_BYTES)
    upload = SimpleUploadedFile("team.csv", b"a@p.example\n" * (MAX_CSV_BYTES // 12 + 10), content_type="text/csv")
    response = post_invite(admin_client, capture=capture, csv_file=upload)
    assert response.status_code == 400
    assert "too large" in response.text
    assert not Invitation.objects.exists()


def test_an_empty_form_asks_for_addresses(admin_client, capture):
    response = post_invite(admin_client, capture=capture, emails="  ")
    assert response.status_code == 400
    assert "Enter at least one email address" in response.text


def test_errors_are_shown_in_persian_on_the_persian_page(admin_client, capture):
    with capture(execute=True):
        response = admin_client.post("/fa/partner/parsian/invitations/", {"emails": "", "role": "learner"})
    assert response.status_code == 400
    assert 'dir="rtl"' in response.text
    assert "Enter at least one email address" not in response.text


def test_resend_and_revoke_from_the_team_page(admin_client, capture):
    post_invite(admin_client, capture=capture, emails="p@p.example")
    invitation = Invitation.objects.get()
    with capture(execute=True):
        assert admin_client.post(f"/partner/parsian/invitations/{invitation.pk}/resend/").status_code == 302
    assert len(mail.outbox) == 2
    assert admin_client.post(f"/partner/parsian/invitations/{invitation.pk}/revoke/").status_code == 302
    invitation.refresh_from_db()
    assert invitation.state == Invitation.State.REVOKED
    assert f"/invitations/{invitation.pk}/revoke/" not in admin_client.get("/partner/").text


def test_learners_cannot_manage_the_team(client, learner):
    client.force_login(learner)
    assert client.get("/partner/").status_code == 403
    assert client.get("/partner/parsian/").status_code == 403
    assert client.post("/partner/parsian/invitations/", {"emails": "x@y.example", "role": "admin"}).status_code == 403
    assert not Invitation.objects.exists()


def test_a_partner_admin_cannot_reach_another_organization(admin_client, other_organization, other_partner_admin):
    assert admin_client.get("/partner/northwind/").status_code == 404
    response = admin_client.post("/partner/northwind/invitations/", {"emails": "x@y.example", "role": "admin"})
    assert response.status_code == 404
    assert not Invitation.objects.exists()


def test_a_partner_admin_cannot_touch_another_organizations_invitation(
    admin_client, other_organization, capture, client, other_partner_admin
):
    with capture(execute=True):
        other = Invitation.objects.create(
            organization=other_organization, email="x@n.example", token_hash="0" * 64, expires_at="2099-01-01T00:00Z"
        )
    assert admin_client.post(f"/partner/parsian/invitations/{other.pk}/revoke/").status_code == 404
    other.refresh_from_db()
    assert other.revoked_at is None


def test_site_admin_lists_organizations_and_manages_any(client, site_admin, organization, other_organization, capture):
    client.force_login(site_admin)
    listing = client.get("/partner/")
    assert listing.status_code == 200
    assert "Parsian Cloud" in listing.text and "Northwind" in listing.text
    assert client.get("/partner/northwind/").status_code == 200
    post_invite(client, slug="northwind", capture=capture, emails="n@n.example")
    assert Invitation.objects.get().organization == other_organization


def test_team_page_query_count_stays_flat_as_the_team_grows(admin_client, organization, make_member, capture):
    def count_queries() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert admin_client.get("/partner/").status_code == 200
        return len(queries)

    for n in range(3):
        make_member(organization, Membership.Role.LEARNER)
        post_invite(admin_client, capture=capture, emails=f"few{n}@p.example")
    few = count_queries()
    for n in range(40):
        make_member(organization, Membership.Role.LEARNER)
        post_invite(admin_client, capture=capture, emails=f"many{n}@p.example")
    assert count_queries() == few


def test_a_partner_admin_promotes_and_demotes_colleagues(admin_client, learner):
    membership = learner.membership
    assert admin_client.post(f"/partner/parsian/members/{membership.pk}/role/", {"role": "admin"}).status_code == 302
    membership.refresh_from_db()
    assert membership.role == Membership.Role.ADMIN
    assert admin_client.post(f"/partner/parsian/members/{membership.pk}/role/", {"role": "learner"}).status_code == 302
    membership.refresh_from_db()
    assert membership.role == Membership.Role.LEARNER


def test_an_unknown_role_is_refused(admin_client, learner):
    response = admin_client.post(f"/partner/parsian/members/{learner.membership.pk}/role/", {"role": "owner"})
    assert response.status_code == 400
    learner.membership.refresh_from_db()
    assert learner.membership.role == Membership.Role.LEARNER


def test_the_last_partner_admin_cannot_step_down_or_be_removed(admin_client, partner_admin):
    membership = partner_admin.membership
    demote = admin_client.post(f"/partner/parsian/members/{membership.pk}/role/", {"role": "learner"})
    assert demote.status_code == 409
    assert "at least one partner admin" in demote.text
    assert admin_client.post(f"/partner/parsian/members/{membership.pk}/remove/").status_code == 409
    membership.refresh_from_db()
    assert membership.role == Membership.Role.ADMIN


def test_removing_a_member_keeps_their_account_and_tells_listeners(admin_client, learner, capture):
    from lms.partners.signals import member_left

    heard = []
    member_left.connect(lambda sender, **kwargs: heard.append(kwargs["user"]), weak=False, dispatch_uid="test-heard")
    try:
        with capture(execute=True):
            response = admin_client.post(f"/partner/parsian/members/{learner.membership.pk}/remove/")
    finally:
        member_left.disconnect(dispatch_uid="test-heard")
    assert response.status_code == 302
    assert not Membership.objects.filter(user=learner).exists()
    learner.refresh_from_db()
    assert learner.is_active
    assert heard == [learner]


def test_a_huge_upload_is_refused_before_the_csrf_check_reads_it(client, partner_admin, monkeypatch):
    from django.http.multipartparser import MultiPartParser

    client = type(client)(enforce_csrf_checks=True)
    client.force_login(partner_admin)
    parsed = []
    monkeypatch.setattr(MultiPartParser, "parse", lambda self: parsed.append(1) or ({}, {}))
    body = encode_multipart(BOUNDARY, {"csv_file": SimpleUploadedFile("big.csv", b"x" * (2 * 1024 * 1024))})
    for path in ("/partner/parsian/invitations/", "/fa/partner/parsian/invitations/", "/accounts/login/"):
        response = client.generic("POST", path, body, content_type=MULTIPART_CONTENT)
        assert response.status_code == 413
    assert parsed == []
    assert "Upload too large" in client.generic("POST", "/learn/", body, content_type=MULTIPART_CONTENT).text


def test_an_admin_who_steps_down_lands_on_their_dashboard_not_a_403(admin_client, partner_admin, make_member):
    make_member(partner_admin.membership.organization, Membership.Role.ADMIN)
    response = admin_client.post(f"/partner/parsian/members/{partner_admin.membership.pk}/role/", {"role": "learner"})
    assert response.status_code == 302
    assert response["Location"] == "/learn/"


def test_the_invitation_subject_is_plain_text(organization, capture):
    organization.name = "Smith & Sons <R&D>"
    organization.save()
    from lms.partners.services import invite_people

    with capture(execute=True):
        invite_people(organization=organization, emails=["s@p.example"], role="learner", invited_by=None)
    assert mail.outbox[0].subject == "You are invited to join Smith & Sons <R&D> on Abrzad"
