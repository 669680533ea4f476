"""The partner admin's team certification matrix and the credentials CSV export."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from certifications.models import Credential
from certifications.selectors import MAX_MATRIX_COLUMNS
from lms import clock
from tests.certifications import builders

pytestmark = pytest.mark.django_db

ISSUED = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
HEADER = [
    "name",
    "email",
    "certification",
    "certification_fa",
    "level",
    "status",
    "issued",
    "expires",
    "verification_url",
]


@pytest.fixture(autouse=True)
def now(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)


@pytest.fixture
def admin_client(client, partner_admin):
    client.force_login(partner_admin)
    return client


def matrix_section(response) -> str:
    text = response.content.decode()
    start = text.index('id="team-credentials-heading"')
    return text[start : text.index("</section>", start)]


def csv_rows(response) -> list[list[str]]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))


@pytest.fixture
def team(learner, make_member, organization, other_organization):
    """Two certifications; Sara holds both (one revoked), Reza holds one; Nora of Northwind holds one."""
    learner.first_name, learner.last_name = "Sara", "Ahmadi"
    learner.save()
    reza = make_member(organization, first_name="Reza", last_name="Karimi", email="reza@parsian.example")
    nora = make_member(other_organization, first_name="Nora", last_name="Northwind", email="nora@northwind.example")
    associate = builders.certification(validity_months=24)
    expert = builders.certification(
        name="Cloud Security Expert", name_fa="خبره امنیت ابری", slug="cloud-security-expert", level="professional"
    )
    sara_associate = builders.issue(learner, associate, issued_at=ISSUED)
    sara_expert = builders.issue(learner, expert, issued_at=ISSUED)
    Credential.objects.filter(pk=sara_expert.pk).update(status=Credential.Status.REVOKED, status_changed_at=NOW)
    reza_associate = builders.issue(reza, associate, issued_at=ISSUED)
    builders.issue(nora, expert, issued_at=ISSUED)
    return {
        "associate": associate,
        "expert": expert,
        "sara_associate": sara_associate,
        "sara_expert": sara_expert,
        "reza_associate": reza_associate,
    }


# The matrix ---------------------------------------------------------------------------------------


def test_the_matrix_shows_each_member_against_each_certification(admin_client, team):
    response = admin_client.get("/partner/parsian/")

    assert response.status_code == 200
    matrix = matrix_section(response)
    # Columns: the certification with the most valid holders first.
    assert matrix.index("Certified Cloud Security Associate") < matrix.index("Cloud Security Expert")
    assert '<th scope="row">Sara Ahmadi</th>' in matrix and '<th scope="row">Reza Karimi</th>' in matrix
    sara = matrix[matrix.index("Sara Ahmadi") : matrix.index("</tr>", matrix.index("Sara Ahmadi"))]
    assert 'data-state="valid"' in sara and "until 10 January 2028" in sara
    assert 'data-state="revoked"' in sara
    reza = matrix[matrix.index("Reza Karimi") : matrix.index("</tr>", matrix.index("Reza Karimi"))]
    assert reza.count('data-state="valid"') == 1 and "—" in reza
    assert 'href="/partner/parsian/credentials.csv"' in matrix
    assert "Nora" not in response.text and "northwind.example" not in response.text


def test_the_matrix_comes_after_the_courses_progress(admin_client, team):
    text = admin_client.get("/partner/parsian/").text

    assert text.index('id="team-progress-heading"') < text.index('id="team-credentials-heading"')


def test_a_live_credential_wins_over_an_expired_one_of_the_same_certification(admin_client, learner, team):
    Credential.objects.filter(pk=team["sara_associate"].pk).update(status=Credential.Status.EXPIRED)
    builders.issue(learner, team["associate"], issued_at=datetime(2026, 5, 1, tzinfo=UTC))

    matrix = matrix_section(admin_client.get("/partner/parsian/"))
    sara = matrix[matrix.index("Sara Ahmadi") : matrix.index("</tr>", matrix.index("Sara Ahmadi"))]

    assert 'data-state="valid"' in sara and "until 1 May 2028" in sara
    assert 'data-state="expired"' not in sara


def test_active_certifications_nobody_holds_are_columns_too_up_to_a_cap(admin_client, learner):
    for number in range(MAX_MATRIX_COLUMNS + 2):
        builders.certification(name=f"Certification {number:02}", name_fa="", slug=f"certification-{number:02}")
    builders.certification(name="Switched Off", slug="switched-off", is_active=False)

    matrix = matrix_section(admin_client.get("/partner/parsian/"))

    assert matrix.count('<th scope="col">Certification ') == MAX_MATRIX_COLUMNS
    assert "Switched Off" not in matrix
    assert "2 more certifications are in the CSV file." in matrix


def test_a_team_without_certifications_sees_an_empty_state(admin_client, learner):
    assert "There are no certifications to show yet." in matrix_section(admin_client.get("/partner/parsian/"))


def test_the_persian_matrix_shows_jalali_dates_and_persian_names(admin_client, team):
    matrix = matrix_section(admin_client.get("/fa/partner/parsian/"))

    assert "کارشناس امنیت ابری" in matrix and "خبره امنیت ابری" in matrix
    assert "۲۰ دی ۱۴۰۶" in matrix  # 10 January 2028
    assert "2028" not in matrix


# The CSV export -----------------------------------------------------------------------------------


def test_the_csv_has_one_row_per_member_and_credential(admin_client, team):
    response = admin_client.get("/partner/parsian/credentials.csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="parsian-credentials.csv"'
    assert "private" in response["Cache-Control"] and "no-store" in response["Cache-Control"]
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = csv_rows(response)
    assert rows[0] == HEADER
    by_key = {(row[1], row[2]): dict(zip(HEADER, row, strict=True)) for row in rows[1:]}
    assert set(by_key) == {
        ("learner@parsian.example", "Certified Cloud Security Associate"),
        ("learner@parsian.example", "Cloud Security Expert"),
        ("reza@parsian.example", "Certified Cloud Security Associate"),
    }
    sara = by_key["learner@parsian.example", "Certified Cloud Security Associate"]
    assert sara == {
        "name": "Sara Ahmadi",
        "email": "learner@parsian.example",
        "certification": "Certified Cloud Security Associate",
        "certification_fa": "کارشناس امنیت ابری",
        "level": "associate",
        "status": "valid",
        "issued": "2026-01-10",
        "expires": "2028-01-10",
        "verification_url": f"http://testserver/verify/{team['sara_associate'].code}/",
    }
    revoked = by_key["learner@parsian.example", "Cloud Security Expert"]
    assert revoked["status"] == "revoked" and revoked["expires"] == "" and revoked["level"] == "professional"
    assert "northwind" not in response.content.decode().lower()


def test_the_csv_leaves_out_superseded_credentials_and_former_members(admin_client, learner, team, make_member):
    Credential.objects.filter(pk=team["reza_associate"].pk).update(status=Credential.Status.SUPERSEDED)

    rows = csv_rows(admin_client.get("/partner/parsian/credentials.csv"))

    assert {row[1] for row in rows[1:]} == {"learner@parsian.example"}
    learner.membership.delete()
    assert csv_rows(admin_client.get("/partner/parsian/credentials.csv")) == [HEADER]


@pytest.mark.parametrize(
    ("first_name", "last_name", "expected"),
    [
        ("=cmd", "", "'=cmd"),
        ('=HYPERLINK("http://evil")', "", '\'=HYPERLINK("http://evil")'),
        ("+1", "Plus", "'+1 Plus"),
        ("-2", "Minus", "'-2 Minus"),
        ("@SUM(A1)", "", "'@SUM(A1)"),
        ("Plain", "Name", "Plain Name"),
    ],
)
def test_csv_neutralizes_formulas_in_names(admin_client, make_member, organization, first_name, last_name, expected):
    member = make_member(organization, first_name=first_name, last_name=last_name)
    builders.issue(member, builders.certification(), issued_at=ISSUED)

    (_header, row) = csv_rows(admin_client.get("/partner/parsian/credentials.csv"))

    assert row[0] == expected


def test_csv_neutralizes_formulas_in_emails_and_certification_names(admin_client, make_member, organization):
    member = make_member(organization, email="=x@parsian.example")
    builders.issue(member, builders.certification(name="=2+5 Cert", name_fa="+بد", slug="formula"), issued_at=ISSUED)

    (_header, row) = csv_rows(admin_client.get("/partner/parsian/credentials.csv"))

    assert row[1:4] == ["'=x@parsian.example", "'=2+5 Cert", "'+بد"]


def test_the_csv_shows_an_active_credential_past_its_expiry_as_expired(admin_client, learner, monkeypatch):
    builders.issue(learner, builders.certification(validity_months=3), issued_at=ISSUED)

    (_header, row) = csv_rows(admin_client.get("/partner/parsian/credentials.csv"))

    assert row[5] == "expired" and row[7] == "2026-04-10"


# Who may see it -----------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/partner/parsian/", "/partner/parsian/credentials.csv"])
def test_another_organizations_admin_gets_a_404(client, other_partner_admin, team, url):
    client.force_login(other_partner_admin)

    response = client.get(url)

    assert response.status_code == 404
    assert "learner@parsian.example" not in response.content.decode()


def test_learners_are_refused_the_csv(client, learner, make_member, other_organization, team):
    client.force_login(learner)
    assert client.get("/partner/parsian/credentials.csv").status_code == 403
    client.force_login(make_member(other_organization))
    assert client.get("/partner/parsian/credentials.csv").status_code == 404


def test_anonymous_readers_are_sent_to_sign_in(client, organization):
    response = client.get("/partner/parsian/credentials.csv")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_the_csv_cannot_be_posted_to(admin_client, team):
    assert admin_client.post("/partner/parsian/credentials.csv").status_code == 405


def test_site_admins_see_any_organizations_credentials(client, site_admin, team):
    client.force_login(site_admin)

    rows = csv_rows(client.get("/partner/parsian/credentials.csv"))

    assert {row[1] for row in rows[1:]} == {"learner@parsian.example", "reza@parsian.example"}
    assert "Sara Ahmadi" in matrix_section(client.get("/partner/parsian/"))
    assert client.get("/partner/no-such-partner/credentials.csv").status_code == 404
    assert client.get("/partner/northwind/credentials.csv").status_code == 200
