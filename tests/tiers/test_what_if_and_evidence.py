"""The what-if page (/tiers/<slug>/what-if/) and the gate-evidence form
(/tiers/<slug>/gates/submit/): who may use them, what they compute, and the refusals."""

from __future__ import annotations

import html
import io
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image

from certifications.models import GateApproval
from lms.partners.models import Membership
from lms.partners.roles import StaffRole
from tests.certifications import builders
from tests.tiers.test_dashboard import NOW, member, now, rules  # noqa: F401  (now: the clock fixture)
from tests.tiers.test_organization_page import DEFINITION

pytestmark = pytest.mark.django_db


def what_if_url(organization, query: str = "") -> str:
    return f"/tiers/{organization.slug}/what-if/" + (f"?{query}" if query else "")


def evidence_url(organization) -> str:
    return f"/tiers/{organization.slug}/gates/submit/"


def text_of(response) -> str:
    return html.unescape(response.content.decode())


def result_row(response, heading: str) -> str:
    body = text_of(response)
    start = body.index(f'<th scope="row">{heading}</th>')
    return body[start : body.index("</tr>", start)]


@pytest.fixture
def team(organization):
    """Two certified people: Silver, and one person short of Gold's three."""
    rules(definition=DEFINITION)
    associate = builders.certification(validity_months=24)
    professional = builders.certification(
        name="Zero Trust Professional", slug="zero-trust-professional", level="professional", validity_months=12
    )
    ava = member(organization, first_name="Ava", last_name="Adams")
    bijan = member(organization, first_name="Bijan", last_name="Bahrami")
    builders.issue(ava, associate, issued_at=NOW - timedelta(days=10))
    builders.issue(bijan, professional, issued_at=NOW - timedelta(days=10))
    return {"ava": ava, "bijan": bijan, "associate": associate, "professional": professional}


@pytest.fixture
def manager(make_staff):
    return make_staff(StaffRole.TIER_MANAGER)


# -- Who may use them ------------------------------------------------------------------------


@pytest.mark.parametrize("url", [what_if_url, evidence_url])
def test_a_partner_admin_may_use_them_for_their_own_organization(client, partner_admin, organization, team, url):
    client.force_login(partner_admin)
    assert client.get(url(organization)).status_code == 200


@pytest.mark.parametrize("url", [what_if_url, evidence_url])
def test_another_partners_admin_gets_a_404(client, other_partner_admin, organization, team, url):
    client.force_login(other_partner_admin)
    assert client.get(url(organization)).status_code == 404


@pytest.mark.parametrize("url", [what_if_url, evidence_url])
def test_a_learner_is_refused_with_a_reason(client, learner, organization, team, url):
    client.force_login(learner)
    response = client.get(url(organization))
    assert response.status_code == 403
    assert "Only partner admins" in text_of(response)


def test_a_tier_manager_may_use_the_what_if_page_for_any_organization(client, manager, organization, team):
    client.force_login(manager)
    response = client.get(what_if_url(organization))
    assert response.status_code == 200
    assert "Silver" in result_row(response, "Eligible tier")


# -- What it computes ------------------------------------------------------------------------


def test_taking_a_person_out_shows_the_lower_tier_and_saves_nothing(client, manager, organization, team):
    client.force_login(manager)
    response = client.get(what_if_url(organization, f"remove={team['ava'].pk}&remove={team['bijan'].pk}"))
    row = result_row(response, "Eligible tier")
    assert row.index("Silver") < row.index("Registered")  # today, then with the changes
    assert Membership.objects.filter(organization=organization).count() == 2


def test_a_new_person_with_a_credential_closes_the_gap_to_gold(client, manager, organization, team):
    client.force_login(manager)
    response = client.get(
        what_if_url(organization, "grant_person=new&grant_certification=zero-trust-professional"), follow=True
    )
    # The addition joins the address, so a reload adds nothing more.
    assert response.redirect_chain == [(what_if_url(organization, "add=new%3Azero-trust-professional"), 302)]
    row = result_row(response, "Eligible tier")
    assert row.index("Silver") < row.index("Gold")
    body = text_of(response)
    assert "A new person earns Zero Trust Professional" in body
    # The addition is kept for the next step, and can be taken back.
    assert 'name="add" value="new:zero-trust-professional"' in body


def test_additions_accumulate_across_steps(client, manager, organization, team):
    client.force_login(manager)
    query = "add=new:zero-trust-professional&grant_person=new&grant_certification=zero-trust-professional"
    body = text_of(client.get(what_if_url(organization, query), follow=True))
    assert body.count("<li>A new person earns Zero Trust Professional") == 2


def test_a_member_earning_a_credential_counts_once(client, manager, organization, team):
    """Bijan already counts; a second credential for him adds no one to the headcount."""
    client.force_login(manager)
    query = f"add={team['bijan'].pk}:{team['associate'].slug}"
    row = result_row(client.get(what_if_url(organization, query)), "Eligible tier")
    assert "Gold" not in row


@pytest.mark.parametrize(
    "query",
    [
        "remove=999999",
        "add=new:no-such-certification",
        "add=12345:zero-trust-professional",
        "grant_person=new&grant_certification=nope",
        "add=garbage",
    ],
)
def test_tampered_scenarios_get_a_400_with_the_reason_and_no_result_for_them(
    client, manager, organization, team, query
):
    client.force_login(manager)
    response = client.get(what_if_url(organization, query))
    assert response.status_code == 400
    assert "is not one of the available choices" in text_of(response)


def test_another_organizations_member_cannot_be_used_in_a_scenario(
    client, manager, organization, other_organization, team
):
    stranger = member(other_organization)
    client.force_login(manager)
    assert client.get(what_if_url(organization, f"remove={stranger.pk}")).status_code == 400


def test_too_many_changes_are_refused(client, manager, organization, team):
    client.force_login(manager)
    query = "&".join(["add=new:zero-trust-professional"] * 21)
    response = client.get(what_if_url(organization, query))
    assert response.status_code == 400
    assert "at most 20 things" in text_of(response)


def test_the_what_if_page_reads_in_persian(client, partner_admin, organization, team):
    client.force_login(partner_admin)
    response = client.get(f"/fa/tiers/{organization.slug}/what-if/")
    assert response.status_code == 200
    assert 'lang="fa"' in response.content.decode()


def test_the_what_if_page_costs_the_same_queries_with_more_people(
    client, manager, organization, team, django_assert_max_num_queries
):
    client.force_login(manager)
    url = what_if_url(organization, f"remove={team['ava'].pk}&add=new:zero-trust-professional")
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for _ in range(15):
        builders.issue(member(organization), team["associate"], issued_at=NOW - timedelta(days=5))
    with django_assert_max_num_queries(len(few)):
        assert client.get(url).status_code == 200
    assert len(few) <= WHAT_IF_QUERIES


WHAT_IF_QUERIES = 20  # session, user and roles, organization, members, certifications, rules, facts, names


# -- Gate evidence ---------------------------------------------------------------------------


def png_bytes() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, "PNG")
    return buffer.getvalue()


def send(client, organization, content: bytes, name: str = "audit.pdf", gate: str = "partner-audit"):
    upload = SimpleUploadedFile(name, content, content_type="application/pdf")
    return client.post(evidence_url(organization), {"gate": gate, "evidence": upload, "note": "2027 audit"})


@pytest.fixture
def media(private_media, settings, tmp_path):
    """The evidence goes to private storage; the public media folder stays empty."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return private_media


def test_a_partner_admin_sends_a_pdf_and_it_waits_for_review(client, partner_admin, organization, team, media):
    client.force_login(partner_admin)
    response = send(client, organization, b"%PDF-1.4\n% audit report\n")
    assert response.status_code == 302
    assert response["Location"] == f"/partner/{organization.slug}/"
    approval = GateApproval.objects.get(organization=organization)
    assert approval.status == GateApproval.Status.PENDING
    assert approval.submitted_by == partner_admin
    assert approval.evidence.name.endswith(".pdf")
    assert approval.evidence.path.startswith(str(media))  # never under MEDIA_ROOT, which may be served
    assert not (media.parent / "media").exists()
    assert "audit" not in approval.evidence.name  # never the sender's file name


def test_a_png_is_accepted(client, partner_admin, organization, team, media):
    client.force_login(partner_admin)
    assert send(client, organization, png_bytes(), name="scan.png").status_code == 302


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"MZ\x90\x00 a program", "audit.pdf", "as a PDF, PNG or JPEG file"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "logo.png", "as a PDF, PNG or JPEG file"),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "broken.png", "damaged or not an image"),
    ],
)
def test_files_that_are_not_what_they_claim_are_refused_and_nothing_is_kept(
    client, partner_admin, organization, team, media, content, name, message
):
    client.force_login(partner_admin)
    response = send(client, organization, content, name=name)
    assert response.status_code == 400
    assert message in text_of(response)
    assert not GateApproval.objects.exists()
    assert not any(media.rglob("*.*"))


def test_a_file_over_the_limit_is_refused_before_it_is_read(client, partner_admin, organization, team, media, settings):
    settings.MAX_EVIDENCE_UPLOAD_BYTES = 1024
    client.force_login(partner_admin)
    response = send(client, organization, b"%PDF-1.4\n" + b"x" * 2048)
    assert response.status_code == 400
    assert "larger than" in text_of(response)
    assert not GateApproval.objects.exists()


def test_a_body_far_over_the_limit_is_refused_from_its_announced_length(
    client, partner_admin, organization, team, media, settings
):
    settings.MAX_EVIDENCE_UPLOAD_BYTES = 1024
    client.force_login(partner_admin)
    response = send(client, organization, b"%PDF-1.4\n" + b"x" * 200_000)
    assert response.status_code == 413
    assert not GateApproval.objects.exists()


def test_a_gate_the_rules_do_not_ask_for_is_refused(client, partner_admin, organization, team, media):
    client.force_login(partner_admin)
    response = send(client, organization, b"%PDF-1.4\n", gate="made-up-gate")
    assert response.status_code == 400
    assert not GateApproval.objects.exists()


def test_without_a_gate_in_the_rules_the_form_is_not_found(client, partner_admin, organization, media):
    rules()  # the dashboard's rules have no manual gate
    client.force_login(partner_admin)
    assert client.get(evidence_url(organization)).status_code == 404


def test_a_second_file_waits_until_the_first_is_decided(client, partner_admin, organization, team, media):
    client.force_login(partner_admin)
    assert send(client, organization, b"%PDF-1.4\n").status_code == 302
    response = send(client, organization, b"%PDF-1.4\n")
    assert response.status_code == 409
    assert "already waiting for review" in text_of(response)
    assert GateApproval.objects.count() == 1
    assert len(list(media.rglob("*.pdf"))) == 1
