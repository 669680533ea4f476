"""A credential's whole life through the real pages, in English and in Persian.

A learner passes a course's final exam, finds the credential on "My learning",
downloads the certificate, and someone else follows its QR code to the verification
page and the Open Badges assertion. A site admin revokes it in the Wagtail admin, and
the very next request to each of those addresses says so.

The certificate is read back as a person's PDF reader would (pdftotext, NFKC) and its
QR code with zbarimg, with the helpers of tests/certifications/test_certificate_pdf.py.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from urllib.parse import urljoin

import pytest
from django.urls import reverse
from playwright.sync_api import APIRequestContext, Locator, Page, expect

from certifications.models import Certification, Credential
from courses.models import Assessment, Attempt, CoursePage, LessonPage
from courses.services.enrolment import enrol_learner
from courses.services.progress import complete_lesson
from lms.accounts.services import set_preferred_language
from tests.browser.answering import answer_through_the_form, start_exam_button
from tests.browser.support import LANGUAGES, expect_language, localized, sign_in
from tests.certifications import builders as certification_builders
from tests.certifications.test_certificate_pdf import pdf_text, run
from tests.courses import builders as course_builders

COURSE_SLUG = "cloud-security-basics"
CERTIFICATION_SLUG = "cloud-security-associate"
CERTIFICATION_NAME = "Certified Cloud Security Associate"
CERTIFICATION_NAME_FA = "کارشناس امنیت ابری"
HOLDERS = {"en": ("Sara", "Rezaei"), "fa": ("سارا", "رضایی")}
QUESTIONS = 7  # one of every kind
REVOCATION_REASON = "Shared the exam answers."


# Set-up


@pytest.fixture(autouse=True)
def _served_from_the_live_server(settings, live_server, tmp_path) -> None:
    """Absolute addresses (the certificate's QR code, the badge documents' ids) name the
    live test server, and certificates are stored in a folder of this test's own."""
    settings.BASE_URL = live_server.url
    settings.MEDIA_ROOT = tmp_path / "media"


def course_with_final_exam(language: str) -> CoursePage:
    return course_builders.course(
        course_builders.catalog(language),
        title="Cloud Security Basics" if language == "en" else "مبانی امنیت ابری",
        slug=COURSE_SLUG,
        lessons=1,
        questions=QUESTIONS,
    )


def certification_requiring(course: CoursePage) -> Certification:
    return certification_builders.certification(
        name=CERTIFICATION_NAME,
        name_fa=CERTIFICATION_NAME_FA,
        slug=CERTIFICATION_SLUG,
        courses=[course],
        exam=Assessment.objects.get(course=course),
        validity_months=24,
        level="associate",
    )


def learner_with_lessons_done(learner, course: CoursePage, language: str):
    """The learner has read every lesson; only the final exam is left."""
    learner.first_name, learner.last_name = HOLDERS[language]
    learner.save(update_fields=["first_name", "last_name"])
    set_preferred_language(user=learner, language=language)
    enrol_learner(user=learner, course=course)
    for lesson in LessonPage.objects.child_of(course).live():
        complete_lesson(user=learner, lesson=lesson)
    return learner


# Reading the pages and documents


def credential_row(page: Page) -> Locator:
    return page.locator("section[aria-labelledby=credentials-heading] li.credential-row")


def verification_status(page: Page) -> Locator:
    return page.locator(".verify-status")


def fetch(request: APIRequestContext, url: str, *, status: int) -> bytes:
    response = request.get(url)
    assert response.status == status, f"{url} answered {response.status}, not {status}"
    return response.body()


def decoded_qr_codes(pdf: bytes, folder: Path) -> list[str]:
    (folder / "certificate.pdf").write_bytes(pdf)
    run("pdftoppm", "-png", "-r", "150", folder / "certificate.pdf", folder / "page")
    (image,) = folder.glob("page*.png")
    return run("zbarimg", "--quiet", "--raw", image).stdout.decode().split()


def recipient_identity(email: str, salt: str) -> str:
    return "sha256$" + hashlib.sha256((email + salt).encode()).hexdigest()


def revoke_in_the_admin(page: Page, credential: Credential, reason: str) -> None:
    """Revoke through the credential's page in the Wagtail admin, as a site admin does."""
    inspect_url = reverse("certifications_credentials:inspect", args=(credential.pk,))
    page.goto(inspect_url)
    page.locator(f"a[href$='/credentials/{credential.pk}/status/revoke/']").first.click()
    form = page.locator("form:has(textarea[name=reason])")
    form.locator("textarea[name=reason]").fill(reason)
    form.locator("button[type=submit]").click()
    expect(page).to_have_url(inspect_url)


# The journey


@pytest.mark.parametrize("language", LANGUAGES)
def test_a_credential_earned_in_the_browser_is_proven_everywhere_and_revoked_at_once(
    new_context, learner, site_admin, live_server, tmp_path, language
):
    course = course_with_final_exam(language)
    certification = certification_requiring(course)
    learner = learner_with_lessons_done(learner, course, language)
    holder_name = " ".join(HOLDERS[language])
    shown_name = CERTIFICATION_NAME_FA if language == "fa" else CERTIFICATION_NAME
    exam = Assessment.objects.get(course=course)

    # The learner signs in: the certification is on the way, not held yet.
    page = new_context().new_page()
    sign_in(page, learner.email, language=language)
    expect(page).to_have_url(localized("/learn/", language))
    expect_language(page, language)
    expect(credential_row(page)).to_have_count(0)
    expect(page.locator("section[aria-labelledby=on-the-way-heading]")).to_contain_text(shown_name)

    # The final exam, answered right through its form.
    course_url = localized(f"/courses/{COURSE_SLUG}/", language)
    page.goto(course_url)
    start_exam_button(page).click()
    attempt = Attempt.objects.get(user=learner, assessment=exam)
    expect(page).to_have_url(f"{course_url}attempts/{attempt.pk}/")
    answer_through_the_form(page, attempt, right=True, typed={})
    page.locator("#attempt-form button[type=submit]").click()
    expect(page).to_have_url(f"{course_url}attempts/{attempt.pk}/result/")
    expect(page.locator("section.result")).to_have_class(re.compile(r"\bis-passed\b"))

    # At once on "My learning": the credential, valid.
    page.goto(localized("/learn/", language))
    expect_language(page, language)
    row = credential_row(page)
    expect(row).to_have_count(1)
    expect(row).to_have_attribute("data-state", "valid")
    expect(row.locator("strong")).to_have_text(shown_name)
    credential = Credential.objects.get(user=learner, certification=certification)
    assert credential.holder_name == holder_name
    assert credential.exam_attempt_id == attempt.pk

    # The certificate, downloaded through the row's link, prints both languages.
    pdf_link = row.locator("a[href$='/certificate.pdf']")
    expect(pdf_link).to_have_attribute("href", localized(f"/verify/{credential.code}/certificate.pdf", language))
    pdf = fetch(page.request, urljoin(page.url, pdf_link.get_attribute("href")), status=200)
    assert pdf.startswith(b"%PDF-")
    text = pdf_text(pdf)
    assert holder_name in text
    assert CERTIFICATION_NAME in text
    assert CERTIFICATION_NAME_FA in text  # in logical order, once normalized
    assert "REVOKED" not in text

    # Anyone who scans the QR code sees the credential valid.
    verify_url = f"{live_server.url}/verify/{credential.code}/"
    assert decoded_qr_codes(pdf, tmp_path) == [verify_url]
    verifier = new_context().new_page()
    verifier.goto(verify_url)
    expect_language(verifier, "en")
    expect(verification_status(verifier)).to_have_attribute("data-status", "valid")
    expect(verifier.locator(".verify-facts .holder")).to_have_text(holder_name)
    expect(verifier.locator(".verify-facts")).to_contain_text(CERTIFICATION_NAME)
    expect(verifier.locator(".verify-facts")).to_contain_text(CERTIFICATION_NAME_FA)

    # The learner's own link leads to the same page, in their language.
    row.locator(f"a[href$='/verify/{credential.code}/']").click()
    expect(page).to_have_url(localized(f"/verify/{credential.code}/", language))
    expect_language(page, language)
    expect(verification_status(page)).to_have_attribute("data-status", "valid")

    # The Open Badges assertion linked from the page, and the BadgeClass it names.
    assertion_url = f"{live_server.url}/badges/assertions/{credential.code}.json"
    expect(verifier.locator(".actions a[href$='.json']")).to_have_attribute("href", assertion_url)
    assertion = verifier.request.get(assertion_url)
    assert assertion.status == 200
    document = assertion.json()
    assert document["type"] == "Assertion"
    assert document["id"] == assertion_url
    assert document["verification"] == {"type": "hosted"}
    assert document["recipient"]["hashed"] is True
    assert document["recipient"]["identity"] == recipient_identity(learner.email, document["recipient"]["salt"])
    assert document["evidence"]["id"] == verify_url
    assert document["badge"] == f"{live_server.url}/badges/classes/{CERTIFICATION_SLUG}.json"
    badge_class = verifier.request.get(document["badge"]).json()
    assert (badge_class["id"], badge_class["name"]) == (document["badge"], CERTIFICATION_NAME)

    # A site admin revokes it in the Wagtail admin.
    admin = new_context().new_page()
    sign_in(admin, site_admin.email)
    revoke_in_the_admin(admin, credential, REVOCATION_REASON)
    credential.refresh_from_db()
    assert credential.status == Credential.Status.REVOKED

    # The very next request to each address says so.
    verifier.reload()
    expect(verification_status(verifier)).to_have_attribute("data-status", "revoked")
    expect(verifier.locator("main")).not_to_contain_text(REVOCATION_REASON)

    page.goto(localized("/learn/", language))
    expect(row).to_have_attribute("data-state", "revoked")
    expect(row.locator("a[href$='/certificate.pdf']")).to_have_count(0)  # no longer offered for sharing

    revoked = verifier.request.get(assertion_url)
    assert revoked.status == 410
    assert revoked.json()["revoked"] is True

    pdf_href = verifier.locator(".actions a[href$='/certificate.pdf']").get_attribute("href")
    revoked_text = pdf_text(fetch(verifier.request, urljoin(verifier.url, pdf_href), status=200))
    assert "REVOKED" in revoked_text
    assert "This credential has been revoked by the issuer and is not valid." in revoked_text
    assert holder_name in revoked_text
