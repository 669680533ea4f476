"""Open Badges 2.0 hosted documents: what validators and backpacks fetch, and the
LinkedIn "add to profile" link."""

from __future__ import annotations

import hashlib
import io
import json
import zoneinfo
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.images import ImageFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from PIL import Image as PILImage
from wagtail.images.models import Image

from certifications import badges
from certifications.models import Credential, IssuerSettings
from certifications.services.awarding import person_record, recertify_credential
from certifications.services.expiry import expire_due_credentials
from certifications.services.status import change_credential_status
from certifications.transitions import ManualAction
from lms import clock
from tests.certifications import builders
from tests.courses import builders as course_builders

pytestmark = pytest.mark.django_db

BASE = "http://testserver"
ASSERTION_FIELDS = {"@context", "id", "type", "recipient", "badge", "verification", "issuedOn"}
BADGE_CLASS_FIELDS = {"@context", "id", "type", "name", "description", "image", "criteria", "issuer"}
ISSUER_FIELDS = {"@context", "id", "type", "name", "url", "email"}


def fetch(client, url: str, **headers):
    """GET a document by its absolute id, as a validator does."""
    assert url.startswith(BASE + "/"), url
    return client.get(url.removeprefix(BASE), headers=headers)


def document(response) -> dict:
    return json.loads(response.content.decode("utf-8"))


def png_file(colour=(200, 30, 30), size=(60, 60), name="badge.png") -> ImageFile:
    buffer = io.BytesIO()
    PILImage.new("RGB", size, colour).save(buffer, format="PNG")
    return ImageFile(io.BytesIO(buffer.getvalue()), name=name)


def queries_to_fetch(client, url: str) -> int:
    """Queries of one fetch, after a first one has warmed the site-wide caches."""
    client.get("/badges/issuer.json")
    with CaptureQueriesContext(connection) as queries:
        assert fetch(client, url).status_code == 200
    return len(queries)


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def certification():
    return builders.certification(validity_months=24, description="Proves cloud security skills.")


@pytest.fixture
def credential(learner, certification):
    return builders.issue(learner, certification)


# The issuer Profile ------------------------------------------------------------------


def test_the_issuer_profile_is_served_at_its_own_id_with_every_field_an_issuer_needs(client):
    response = client.get("/badges/issuer.json")

    body = document(response)
    assert response.status_code == 200
    assert body["id"] == badges.issuer_url() == f"{BASE}/badges/issuer.json"
    assert body.keys() >= ISSUER_FIELDS
    assert body["@context"] == "https://w3id.org/openbadges/v2"
    assert body["type"] == "Issuer"
    assert body["name"] == "Abrzad Partner Program"
    assert body["url"] == BASE
    assert "@" in body["email"]  # required of issuers: the site's sender stands in
    assert "image" not in body
    assert response["Content-Type"].startswith("application/ld+json")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "max-age=3600" in response["Cache-Control"]
    assert not response.cookies


def test_the_issuer_profile_uses_the_settings_website_email_and_logo(client, media):
    issuer = IssuerSettings.load()
    issuer.name = "Abrzad Cloud"
    issuer.url = "https://abrzad.example"
    issuer.email = "credentials@abrzad.example"
    issuer.logo = Image.objects.create(title="Logo", file=png_file(name="logo.png"))
    issuer.save()

    body = document(client.get("/badges/issuer.json"))

    assert (body["name"], body["url"], body["email"]) == (
        "Abrzad Cloud",
        "https://abrzad.example",
        "credentials@abrzad.example",
    )
    assert body["image"].startswith(f"{BASE}/media/") and body["image"].endswith(".png")


def test_the_issuer_profile_takes_one_query(client):
    IssuerSettings.load()

    assert queries_to_fetch(client, badges.issuer_url()) == 1


def test_a_client_accepting_only_json_gets_application_json(client):
    ld = client.get("/badges/issuer.json", headers={"accept": "application/ld+json, application/json"})
    plain = client.get("/badges/issuer.json", headers={"accept": "application/json"})
    anything = client.get("/badges/issuer.json", headers={"accept": "*/*"})

    assert ld["Content-Type"].startswith("application/ld+json")
    assert plain["Content-Type"].startswith("application/json")
    assert anything["Content-Type"].startswith("application/ld+json")
    assert "Accept" in plain["Vary"]


# The BadgeClass ----------------------------------------------------------------------


def test_a_badge_class_is_served_at_its_own_id_with_every_required_field(client, certification):
    url = badges.badge_class_url(certification)
    response = fetch(client, url)

    body = document(response)
    assert response.status_code == 200
    assert url == f"{BASE}/badges/classes/cloud-security-associate.json"
    assert body["id"] == url
    assert body.keys() >= BADGE_CLASS_FIELDS
    assert body["type"] == "BadgeClass"
    assert body["name"] == "Certified Cloud Security Associate"
    assert body["description"] == "Proves cloud security skills."
    assert body["image"] == f"{BASE}/badges/classes/cloud-security-associate.png"
    assert body["issuer"] == badges.issuer_url()
    assert body["criteria"]["narrative"]
    assert body["alignment"] == [
        {"targetName": "Cloud Security", "targetUrl": f"{BASE}/courses/?competency=cloud-security"}
    ]
    assert body["tags"] == ["cloud-security", "associate"]
    assert response["Access-Control-Allow-Origin"] == "*"
    assert not response.cookies


def test_the_badge_class_links_resolve_to_the_issuer_and_the_image(client, certification):
    body = document(fetch(client, badges.badge_class_url(certification)))

    assert document(fetch(client, body["issuer"]))["id"] == body["issuer"]
    image = fetch(client, body["image"])
    assert image.status_code == 200 and image["Content-Type"] == "image/png"


def test_the_criteria_name_the_courses_the_exam_the_score_and_the_prerequisites_in_words(client):
    course = course_builders.course(title="Zero Trust Basics", questions=3)
    first = builders.certification(slug="first", name="Cloud Foundations")
    competency = builders.competency()
    competency.description = "Securing workloads in the cloud."
    competency.save()
    certification = builders.certification(
        slug="second", name="Cloud Pro", courses=[course], exam=course.assessments.get(), prerequisites=[first]
    )

    body = document(fetch(client, badges.badge_class_url(certification)))

    narrative = body["criteria"]["narrative"]
    assert "Zero Trust Basics" in narrative
    assert course.assessments.get().title in narrative
    assert "at least 70%" in narrative
    assert "Cloud Foundations" in narrative
    assert body["alignment"][0]["targetDescription"] == "Securing workloads in the cloud."


def test_a_badge_class_without_a_description_still_has_one(client):
    certification = builders.certification(description="")

    body = document(fetch(client, badges.badge_class_url(certification)))

    assert "Certified Cloud Security Associate" in body["description"]
    assert "Cloud Security" in body["description"] and "Associate" in body["description"]


def test_a_switched_off_certification_keeps_its_badge_class(client, certification):
    certification.is_active = False
    certification.save()

    assert fetch(client, badges.badge_class_url(certification)).status_code == 200


def test_an_unknown_badge_class_answers_404_in_json(client):
    response = client.get("/badges/classes/no-such-thing.json")

    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/ld+json")
    assert document(response) == {"error": "not found"}


def test_persian_text_is_written_as_utf_8_not_escaped(client):
    certification = builders.certification(
        name="کارشناس امنیت ابری", slug="persian", description="گواهی‌نامه‌ی امنیت ابری"
    )

    response = fetch(client, badges.badge_class_url(certification))

    assert "کارشناس امنیت ابری".encode() in response.content
    assert b"\\u" not in response.content
    assert document(response)["description"] == "گواهی‌نامه‌ی امنیت ابری"


def test_the_badge_class_takes_the_same_few_queries_whatever_its_requirements(client):
    small = builders.certification(slug="small", name="Small")
    courses = [course_builders.course(title=f"Course {n}", exam=False) for n in range(4)]
    prerequisites = [builders.certification(slug=f"pre-{n}", name=f"Pre {n}") for n in range(3)]
    large = builders.certification(slug="large", name="Large", courses=courses, prerequisites=prerequisites)

    counts = [queries_to_fetch(client, badges.badge_class_url(certification)) for certification in (small, large)]

    assert counts[0] == counts[1] <= 3


# The badge image ---------------------------------------------------------------------


def test_the_default_badge_image_is_a_cached_square_png(client, certification, monkeypatch):
    response = fetch(client, badges.badge_image_url(certification))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "max-age=86400" in response["Cache-Control"]
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "Content-Disposition" not in response
    image = PILImage.open(io.BytesIO(response.content))
    assert (image.format, image.size) == ("PNG", (400, 400))
    # Drawn once: the next answer comes from the cache.
    monkeypatch.setattr(badges, "draw_default_badge", lambda **kwargs: pytest.fail("drawn again"))
    assert fetch(client, badges.badge_image_url(certification)).content == response.content


def test_the_default_badge_image_takes_one_query(client, certification):
    assert queries_to_fetch(client, badges.badge_image_url(certification)) == 1


def test_the_badge_image_downloads_as_an_attachment(client, certification):
    response = client.get(f"/badges/classes/{certification.slug}.png?download=1")

    assert response["Content-Disposition"] == 'attachment; filename="cloud-security-associate.png"'
    assert PILImage.open(io.BytesIO(response.content)).format == "PNG"


def test_an_uploaded_badge_image_is_served_as_a_square_png_rendition(client, certification, media):
    upload = png_file(colour=(10, 200, 30), size=(900, 600))
    certification.badge_image = Image.objects.create(title="Badge", file=upload)
    certification.save()

    response = fetch(client, badges.badge_image_url(certification))

    image = PILImage.open(io.BytesIO(response.content))
    assert (image.format, image.size) == ("PNG", (400, 400))
    assert image.convert("RGB").getpixel((200, 200)) == (10, 200, 30)


def test_an_uploaded_badge_image_whose_file_is_gone_falls_back_to_the_default(client, certification, media):
    certification.badge_image = Image.objects.create(title="Badge", file=png_file())
    certification.save()
    (media / certification.badge_image.file.name).unlink()

    response = fetch(client, badges.badge_image_url(certification))

    assert response.status_code == 200
    assert PILImage.open(io.BytesIO(response.content)).size == (400, 400)


def test_an_unknown_badge_image_answers_404(client):
    assert client.get("/badges/classes/nothing.png").status_code == 404


def test_initials_skip_the_filler_words():
    assert badges.initials("Certified Cloud Security Associate") == "CSA"
    assert badges.initials("Network & Edge") == "NE"
    assert badges.initials("Certified AWS-Cloud Pro") == "ACP"
    assert badges.initials("کارشناس امنیت ابری", fallback="associate") == "A"


# The Assertion -----------------------------------------------------------------------


def test_an_assertion_is_served_at_its_own_id_with_every_required_field(client, credential):
    url = badges.assertion_url(credential)
    response = fetch(client, url)

    body = document(response)
    assert response.status_code == 200
    assert url == f"{BASE}/badges/assertions/{credential.code}.json"
    assert body["id"] == url
    assert body.keys() >= ASSERTION_FIELDS
    assert body["type"] == "Assertion"
    assert body["verification"] == {"type": "hosted"}
    assert body["badge"] == badges.badge_class_url(credential.certification)
    assert datetime.fromisoformat(body["issuedOn"]) == credential.issued_at.replace(microsecond=0)
    assert body["issuedOn"].endswith("+00:00")
    assert datetime.fromisoformat(body["expires"]) == credential.expires_at.replace(microsecond=0)
    assert body["evidence"]["id"] == f"{BASE}/verify/{credential.code}/"
    assert response["Content-Type"].startswith("application/ld+json")
    assert response["Access-Control-Allow-Origin"] == "*"
    assert "no-cache" in response["Cache-Control"]
    assert not response.cookies


def test_the_recipient_is_the_salted_sha256_of_the_email_and_never_the_email(client, credential):
    response = fetch(client, badges.assertion_url(credential))

    recipient = document(response)["recipient"]
    expected = hashlib.sha256(("learner@parsian.example" + credential.badge_salt).encode()).hexdigest()
    assert recipient == {
        "type": "email",
        "hashed": True,
        "salt": credential.badge_salt,
        "identity": f"sha256${expected}",
    }
    assert b"learner@parsian.example" not in response.content
    assert b"parsian" not in response.content


def test_the_assertion_chain_resolves_each_document_at_its_id(client, credential):
    assertion = document(fetch(client, badges.assertion_url(credential)))
    badge_class = document(fetch(client, assertion["badge"]))
    issuer = document(fetch(client, badge_class["issuer"]))

    assert badge_class["id"] == assertion["badge"]
    assert issuer["id"] == badge_class["issuer"]
    assert issuer["type"] == "Issuer"


def test_documents_stay_in_english_for_a_reader_of_persian(client, credential):
    client.cookies["django_language"] = "fa"
    headers = {"accept-language": "fa"}

    assertion = document(fetch(client, badges.assertion_url(credential), **headers))
    badge_class = document(fetch(client, assertion["badge"], **headers))

    assert assertion["evidence"]["id"] == f"{BASE}/verify/{credential.code}/"
    assert badge_class["name"] == "Certified Cloud Security Associate"
    assert document(fetch(client, badge_class["issuer"], **headers))["name"] == "Abrzad Partner Program"


def test_a_credential_without_expiry_has_no_expires(client, learner):
    credential = builders.issue(learner, builders.certification(validity_months=None))

    assert "expires" not in document(fetch(client, badges.assertion_url(credential)))


def test_a_revoked_credential_answers_410_revoked_on_the_very_next_request(client, credential, site_admin):
    url = badges.assertion_url(credential)
    assert fetch(client, url).status_code == 200

    change_credential_status(
        credential=credential, action=ManualAction.REVOKE, actor=site_admin, reason="Exam fraud found in review"
    )
    response = fetch(client, url)

    body = document(response)
    assert response.status_code == 410
    assert body["revoked"] is True
    assert body["id"] == url
    assert body["revocationReason"] == "Revoked by the issuer."
    assert "recipient" not in body
    assert b"fraud" not in response.content  # the staff's own reason stays internal
    assert "no-cache" in response["Cache-Control"]
    assert response["Access-Control-Allow-Origin"] == "*"


def test_a_suspended_credential_answers_as_revoked_until_it_is_reinstated(client, credential, site_admin):
    url = badges.assertion_url(credential)

    credential = change_credential_status(
        credential=credential, action=ManualAction.SUSPEND, actor=site_admin, reason="Audit"
    )
    suspended = fetch(client, url)
    change_credential_status(credential=credential, action=ManualAction.REINSTATE, actor=site_admin, reason="OK")
    reinstated = fetch(client, url)

    assert suspended.status_code == 410
    assert document(suspended)["revoked"] is True
    assert document(suspended)["revocationReason"] == "suspended"
    assert reinstated.status_code == 200
    assert "revoked" not in document(reinstated)


def test_a_superseded_credential_answers_as_revoked_naming_its_replacement(client, learner, credential):
    version = credential.certification.versions.get()
    replacement = recertify_credential(credential=credential, version=version, record=person_record(user=learner))
    assert replacement is not None

    response = fetch(client, badges.assertion_url(credential))

    body = document(response)
    assert response.status_code == 410
    assert body["revoked"] is True
    assert badges.assertion_url(replacement) in body["revocationReason"]
    assert fetch(client, badges.assertion_url(replacement)).status_code == 200


def test_an_expired_credential_still_answers_with_its_past_expiry(client, learner, certification):
    issued = clock.now() - timedelta(days=800)
    credential = builders.issue(learner, certification, issued_at=issued)
    assert credential.expires_at < clock.now()

    before_the_job = document(fetch(client, badges.assertion_url(credential)))
    expire_due_credentials(now=clock.now())
    credential.refresh_from_db()
    after_the_job = fetch(client, badges.assertion_url(credential))

    assert credential.status == Credential.Status.EXPIRED
    assert after_the_job.status_code == 200
    for body in (before_the_job, document(after_the_job)):
        assert "revoked" not in body
        assert datetime.fromisoformat(body["expires"]) < datetime.now(UTC)


@pytest.mark.parametrize("code", ["A" * 27, "short", "not a code!!!!!!!!!!!!!!!!!", "x" * 60])
def test_an_unknown_or_malformed_code_answers_404_in_json(client, credential, code):
    response = client.get(f"/badges/assertions/{code}.json")

    assert response.status_code == 404
    assert document(response) == {"error": "not found"}
    assert response["Access-Control-Allow-Origin"] == "*"


def test_an_assertion_takes_a_fixed_small_number_of_queries(client, learner, other_partner_admin):
    certification = builders.certification()
    plain = builders.issue(learner, certification)
    course = course_builders.course(title="Evidence Course", questions=3)
    rich = builders.issue(other_partner_admin, builders.certification(slug="rich", name="Rich", courses=[course]))

    counts = [queries_to_fetch(client, badges.assertion_url(credential)) for credential in (plain, rich)]

    assert counts[0] == counts[1] == 1


# The pure builders -------------------------------------------------------------------


def test_the_identity_hash_is_sha256_of_email_then_salt():
    assert badges.recipient_identity("alice@example.org", "deadsea") == (
        "sha256$" + hashlib.sha256(b"alice@example.orgdeadsea").hexdigest()
    )


def test_criteria_without_requirements_still_say_something():
    assert badges.criteria_narrative(badges.Requirements()) == "Awarded by the issuer."


def test_criteria_say_how_long_a_credential_lasts_and_whether_it_renews():
    lasting = badges.criteria_narrative(badges.Requirements(exam="Final", minimum_score=80, validity_months=24))
    renewable = badges.criteria_narrative(badges.Requirements(validity_months=12, renewable=True))

    assert lasting.endswith("Valid for 24 months from issue.")
    assert "“Final” with a score of at least 80%" in lasting
    assert renewable.endswith("Valid for 12 months from issue, and renewable before it expires.")


def test_the_evidence_narrative_tells_the_exam_score_and_the_courses():
    evidence = {"exam": {"attempt": 7, "score": "85.50"}, "courses": [{"course": 1}, {"course": 2}]}

    assert badges.evidence_narrative(evidence) == (
        "Passed the final exam with a score of 85.5%. Completed 2 required courses."
    )
    assert badges.evidence_narrative({"courses": [], "prerequisites": []}) == ""


def test_timestamps_are_iso_8601_in_utc_with_the_zone():
    tehran = datetime(2026, 11, 25, 12, 0, tzinfo=UTC).astimezone(zoneinfo.ZoneInfo("Asia/Tehran"))
    assert badges.iso8601(tehran) == "2026-11-25T12:00:00+00:00"


# LinkedIn ----------------------------------------------------------------------------


def test_the_linkedin_link_carries_the_certification_issuer_dates_address_and_code(learner):
    certification = builders.certification(name="Cloud & Edge: Pro", slug="cloud-edge", validity_months=24)
    credential = builders.issue(learner, certification, issued_at=datetime(2026, 3, 15, 9, 0, tzinfo=UTC))

    link = badges.linkedin_add_url(credential)

    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "www.linkedin.com", "/profile/add")
    assert " " not in link and "Cloud & Edge" not in link  # encoded
    params = {key: values[0] for key, values in parse_qs(parts.query).items()}
    assert params == {
        "startTask": "CERTIFICATION_NAME",
        "name": "Cloud & Edge: Pro",
        "organizationName": "Abrzad Partner Program",
        "issueYear": "2026",
        "issueMonth": "3",
        "expirationYear": "2028",
        "expirationMonth": "3",
        "certUrl": f"{BASE}/verify/{credential.code}/",
        "certId": credential.code,
    }


def test_the_linkedin_link_of_a_credential_that_never_expires_has_no_expiry(learner):
    credential = builders.issue(learner, builders.certification(validity_months=None))

    params = parse_qs(urlsplit(badges.linkedin_add_url(credential)).query)

    assert "expirationYear" not in params and "expirationMonth" not in params
    assert params["certId"] == [credential.code]
