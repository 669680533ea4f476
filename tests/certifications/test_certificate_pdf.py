"""The PDF certificate: real renders with xhtml2pdf, read back with poppler's pdftotext
(NFKC-normalized: Persian comes out as presentation forms) and, for the QR code,
pdftoppm and zbar's zbarimg. CI installs poppler-utils and zbar-tools."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import unicodedata
from datetime import UTC, datetime, timedelta
from io import BytesIO

import pytest
from django.core.files.images import ImageFile
from django.core.files.storage import default_storage
from PIL import Image as PillowImage
from pypdf import PdfReader
from wagtail.images import get_image_model

from certifications import certificates
from certifications.models import Credential, IssuerSettings
from certifications.services.status import change_credential_status
from certifications.transitions import ManualAction
from lms import clock
from tests.certifications.builders import certification, issue
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

ISSUED = datetime(2026, 11, 25, 9, 30, tzinfo=UTC)  # 4 Azar 1405; expires 25 November 2028 = 5 Azar 1407
BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")
A4_LANDSCAPE = (842, 595)  # points, rounded


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def holder(db):
    return UserFactory(first_name="سارا", last_name="رضایی", email="sara@parsian.example")


@pytest.fixture
def credential(holder):
    return issue(holder, certification(validity_months=24, level="professional"), issued_at=ISSUED)


def run(program: str, *arguments: object, input: bytes | None = None) -> subprocess.CompletedProcess:
    command = [tool(program), *(str(argument) for argument in arguments)]
    return subprocess.run(command, input=input, capture_output=True, check=True, timeout=60)  # noqa: S603


def pdf_text(pdf: bytes) -> str:
    """The text as a reader copies it: NFKC (presentation forms back to letters), no
    bidi control marks, one space between words."""
    extracted = run("pdftotext", "-enc", "UTF-8", "-", "-", input=pdf).stdout.decode()
    return " ".join(BIDI_CONTROLS.sub("", unicodedata.normalize("NFKC", extracted)).split())


def squeezed(text: str) -> str:
    """Without any spaces: pdftotext moves the space beside a run of digits inside
    right-to-left text, so a Jalali date is compared letter by letter, in order."""
    return re.sub(r"\s+", "", text)


def persian_half_of_line(pdf: bytes, word: str) -> str:
    """The right-hand (Persian) half of the line that holds `word`, read on its own.

    pdftotext puts a right-to-left run in logical order by the direction most of the
    text it reads has; read together with the English half of the same line, the
    digits of a Jalali date would come out in visual order."""
    boxes = run("pdftotext", "-bbox", "-", "-", input=pdf).stdout.decode()
    width = float(re.search(r'<page width="([\d.]+)"', boxes).group(1))
    found = re.search(rf'<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">{word}</word>', boxes)
    assert found, f"{word} is not printed"
    top, bottom = float(found.group(1)), float(found.group(2))
    crop = [
        "-x",
        str(int(width / 2)),
        "-y",
        str(int(top) - 1),
        "-W",
        str(int(width / 2)),
        "-H",
        str(int(bottom - top) + 3),
    ]
    extracted = run("pdftotext", "-enc", "UTF-8", *crop, "-", "-", input=pdf).stdout.decode()
    return " ".join(BIDI_CONTROLS.sub("", unicodedata.normalize("NFKC", extracted)).split())


def tool(name: str) -> str:
    """The program's full path. Missing, the test is skipped (poppler-utils, zbar-tools),
    except in CI, where it fails."""
    path = shutil.which(name)
    if path is None:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{name} is required in CI (Debian: poppler-utils, zbar-tools)")
        pytest.skip(f"{name} is not installed (Debian: poppler-utils, zbar-tools)")
    return path


def png_image(title: str, size=(300, 100), colour=(11, 95, 115)):
    buffer = BytesIO()
    PillowImage.new("RGB", size, colour).save(buffer, format="PNG")
    return get_image_model().objects.create(
        title=title, file=ImageFile(BytesIO(buffer.getvalue()), name=f"{title}.png")
    )


def test_the_certificate_is_one_a4_landscape_page(credential):
    reader = PdfReader(BytesIO(certificates.render_certificate_pdf(credential)))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == A4_LANDSCAPE


def test_the_certificate_prints_persian_in_logical_order_and_english(credential):
    pdf = certificates.render_certificate_pdf(credential)
    text = pdf_text(pdf)
    assert "سارا رضایی" in text
    assert "کارشناس امنیت ابری" in text
    assert "برنامه شرکای ابرزاد" in text  # the issuer's Persian name
    dates = squeezed(persian_half_of_line(pdf, "۱۴۰۵"))  # Jalali, Persian digits, day month year
    assert "۴آذر۱۴۰۵" in dates  # issued
    assert "۵آذر۱۴۰۷" in dates  # expires
    assert "Certified Cloud Security Associate" in text
    assert "Professional" in text
    assert "Issued Expires" in text
    assert "25 November 2026 25 November 2028" in text
    assert "Abrzad Partner Program" in text
    assert f"http://testserver/verify/{credential.code}/" in text


def test_long_names_still_fit_on_one_page(holder):
    long = certification(
        slug="long",
        name="Certified Multi-Cloud Security and Compliance Architecture Professional, Extended Edition",
        name_fa="کارشناس ارشد معماری امنیت و انطباق چندابری، نسخه گسترش‌یافته برای شرکای حرفه‌ای",
    )
    credential = issue(holder, long)
    Credential.objects.filter(pk=credential.pk).update(
        status="revoked", holder_name="Maximilian Alexander Konstantin von Habsburg-Lothringen " * 3
    )
    credential.refresh_from_db()
    pdf = certificates.render_certificate_pdf(credential)
    assert len(PdfReader(BytesIO(pdf)).pages) == 1
    assert "Extended Edition" in pdf_text(pdf)


def test_a_valid_certificate_carries_no_status_line(credential):
    text = pdf_text(certificates.render_certificate_pdf(credential))
    assert "REVOKED" not in text and "not valid" not in text


def test_a_revoked_certificate_says_so_in_large(credential, site_admin, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        change_credential_status(credential=credential, action=ManualAction.REVOKE, actor=site_admin, reason="Fraud")
    credential.refresh_from_db()
    text = pdf_text(certificates.render_certificate_pdf(credential))
    assert "REVOKED" in text
    assert "This credential has been revoked by the issuer and is not valid." in text
    assert "Fraud" not in text


@pytest.mark.parametrize("status", ["suspended", "expired", "superseded"])
def test_other_invalid_statuses_are_printed_too(credential, status):
    Credential.objects.filter(pk=credential.pk).update(status=status)
    credential.refresh_from_db()
    assert status.upper() in pdf_text(certificates.render_certificate_pdf(credential))


def test_an_active_credential_past_its_expiry_prints_expired(credential):
    later = credential.expires_at + timedelta(days=1)
    assert "EXPIRED" in pdf_text(certificates.render_certificate_pdf(credential, now=later))


def test_the_qr_code_decodes_to_the_verification_address(credential, tmp_path):
    (tmp_path / "certificate.pdf").write_bytes(certificates.render_certificate_pdf(credential))
    run("pdftoppm", "-png", "-r", "150", tmp_path / "certificate.pdf", tmp_path / "page")
    (page,) = tmp_path.glob("page*.png")
    decoded = run("zbarimg", "--quiet", "--raw", page).stdout.decode().split()
    assert decoded == [f"http://testserver/verify/{credential.code}/"]


def test_the_modern_template_differs_only_in_styling(holder):
    classic = issue(holder, certification(slug="classic", name="Classic Cert", certificate_template="classic"))
    modern = issue(holder, certification(slug="modern", name="Modern Cert", certificate_template="modern"))
    classic_html = certificates.certificate_html(classic, issuer=IssuerSettings.load(), now=clock.now())
    modern_html = certificates.certificate_html(modern, issuer=IssuerSettings.load(), now=clock.now())
    assert "double #1e3a5f" in classic_html and "#0e7490" in modern_html
    classic_text = pdf_text(certificates.render_certificate_pdf(classic)).replace(classic.code, "")
    modern_text = pdf_text(certificates.render_certificate_pdf(modern)).replace(modern.code, "")
    assert classic_text.replace("Classic Cert", "X") == modern_text.replace("Modern Cert", "X")


def test_the_issuers_logo_signature_and_signatory_are_printed(credential):
    issuer = IssuerSettings.load()
    issuer.logo = png_image("logo")
    issuer.signature = png_image("signature", size=(400, 120), colour=(20, 20, 20))
    issuer.signatory_name = "Dr. Leila Ahmadi"
    issuer.signatory_title = "Head of Certification"
    issuer.signatory_title_fa = "مدیر گواهی‌نامه‌ها"
    issuer.save()
    pdf = certificates.render_certificate_pdf(credential)
    images = list(PdfReader(BytesIO(pdf)).pages[0].images)
    assert len(images) == 3  # the logo, the signature and the QR code
    text = pdf_text(pdf)
    assert "Dr. Leila Ahmadi" in text
    assert "Head of Certification" in text
    assert "مدیر گواهی‌نامه‌ها" in text


def test_a_missing_image_file_does_not_cost_the_certificate(credential):
    issuer = IssuerSettings.load()
    issuer.logo = png_image("logo")
    issuer.save()
    issuer.logo.file.storage.delete(issuer.logo.file.name)
    pdf = certificates.render_certificate_pdf(credential)
    assert len(PdfReader(BytesIO(pdf)).pages[0].images) == 1  # only the QR code


def test_each_code_prints_only_its_own_holder(client, credential):
    other = issue(UserFactory(first_name="Anna", last_name="Berg"), credential.certification)
    mine = pdf_text(client.get(f"/verify/{credential.code}/certificate.pdf").content)
    theirs = pdf_text(client.get(f"/verify/{other.code}/certificate.pdf").content)
    assert "سارا رضایی" in mine and "Anna Berg" not in mine
    assert "Anna Berg" in theirs and "سارا رضایی" not in theirs


# The download


def test_the_download_is_an_inline_uncached_pdf(client, credential):
    response = client.get(f"/fa/verify/{credential.code}/certificate.pdf")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="certificate-cloud-security-associate.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert "noindex" in response["X-Robots-Tag"]
    assert response.content.startswith(b"%PDF-")


def test_the_same_pdf_comes_from_either_language(client, credential):
    english = client.get(f"/verify/{credential.code}/certificate.pdf").content
    persian = client.get(f"/fa/verify/{credential.code}/certificate.pdf").content
    assert english == persian


@pytest.mark.parametrize("code", ["Z" * 27, "bad!code"])
def test_an_unknown_or_malformed_code_has_no_certificate(client, credential, code):
    assert client.get(f"/verify/{code}/certificate.pdf").status_code == 404


# The cache


@pytest.fixture
def renders(monkeypatch):
    """Counts real renders behind certificate_pdf."""
    calls: list[str] = []
    real = certificates.render_certificate_pdf

    def counting(credential, **kwargs):
        calls.append(credential.code)
        return real(credential, **kwargs)

    monkeypatch.setattr(certificates, "render_certificate_pdf", counting)
    return calls


def stored_files(credential) -> list[str]:
    folder = f"{certificates.STORAGE_DIR}/{credential.code}"
    return default_storage.listdir(folder)[1] if default_storage.exists(folder) else []


def test_the_second_request_is_served_from_storage(client, credential, renders):
    first = client.get(f"/verify/{credential.code}/certificate.pdf").content
    second = client.get(f"/verify/{credential.code}/certificate.pdf").content
    assert first == second
    assert len(renders) == 1
    assert len(stored_files(credential)) == 1


def test_a_revocation_renders_anew_and_replaces_the_stored_copy(
    client, credential, renders, site_admin, django_capture_on_commit_callbacks
):
    client.get(f"/verify/{credential.code}/certificate.pdf")
    (before,) = stored_files(credential)
    with django_capture_on_commit_callbacks(execute=True):
        change_credential_status(credential=credential, action=ManualAction.REVOKE, actor=site_admin, reason="Fraud")
    revoked = client.get(f"/verify/{credential.code}/certificate.pdf").content
    assert len(renders) == 2
    assert "REVOKED" in pdf_text(revoked)
    (after,) = stored_files(credential)
    assert after != before


def test_a_change_to_the_issuer_renders_anew(credential, renders):
    certificates.certificate_pdf(credential)
    issuer = IssuerSettings.load()
    issuer.name = "Abrzad Cloud Partners"
    issuer.save()
    text = pdf_text(certificates.certificate_pdf(credential))
    assert len(renders) == 2
    assert "Abrzad Cloud Partners" in text


def test_passing_the_expiry_date_renders_anew(credential, renders):
    certificates.certificate_pdf(credential)
    certificates.certificate_pdf(credential)
    later = credential.expires_at + timedelta(days=1)
    assert "EXPIRED" in pdf_text(certificates.certificate_pdf(credential, now=later))
    assert len(renders) == 2


def test_a_new_template_version_renders_anew(credential, renders, monkeypatch):
    certificates.certificate_pdf(credential)
    monkeypatch.setattr(certificates, "TEMPLATE_VERSION", "test-next")
    certificates.certificate_pdf(credential)
    assert len(renders) == 2


def test_the_stored_name_cannot_be_worked_out_without_the_secret_key(credential, settings):
    html = certificates.certificate_html(credential, issuer=IssuerSettings.load(), now=clock.now(), embed_images=False)
    first = certificates.fingerprint(html)
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789abcdef"
    assert certificates.fingerprint(html) != first
    assert len(first) == 64
