"""The bilingual PDF certificate of a credential: rendered with xhtml2pdf from a Django
template, and cached on the default storage under a fingerprint of what it prints.

`render_certificate_pdf` renders now. `certificate_pdf` returns the stored copy when
one with the same fingerprint exists: the fingerprint is taken over the certificate's
HTML itself (every printed name, date, status and label, the template and its styling)
with the images stood in for by their identity, plus `TEMPLATE_VERSION`, so a change
to any of them (a revocation, a renewal, a new logo, a translation) renders anew.

Persian is shaped by xhtml2pdf itself; it needs a TTF with the Arabic presentation
forms (Vazirmatn, from the `vazirmatn` npm package) and `dir="rtl"` on Persian
elements, since it ignores CSS `direction`.
"""

from __future__ import annotations

import base64
import io
import logging
import re
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.crypto import salted_hmac
from PIL import Image
from reportlab.graphics.barcode import qrencoder
from xhtml2pdf import pisa
from xhtml2pdf.config.resources import ResourceAccessPolicy

from certifications.models import Credential, IssuerSettings, Level
from certifications.models.definitions import CertificateTemplate
from certifications.verification import (
    STATUS_EXPLANATIONS,
    STATUS_LABELS,
    PublicStatus,
    printed_date,
    public_holder_name,
    public_status,
    verification_url,
)
from lms import clock

logger = logging.getLogger(__name__)

# Bump when the output changes for a reason the HTML does not show (the font files,
# the renderer, how images are converted), so every stored certificate is redrawn.
TEMPLATE_VERSION = "1"
TEMPLATE = "certifications/certificate.html"
STORAGE_DIR = "certificates"
FONT_DIR = Path(settings.BASE_DIR) / "node_modules" / "vazirmatn" / "fonts" / "ttf"
LOGO_SPEC = "max-600x200|format-png"
SIGNATURE_SPEC = "max-500x160|format-png"
QR_BORDER = 4  # modules of quiet zone, as the QR standard asks
QR_SCALE = 8  # pixels per module: crisp however the viewer scales it
ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF\u0750-\u077F\u08A0-\u08FF\uFB50-\uFDFF\uFE70-\uFEFF]")
SAFE_FILENAME = re.compile(r"[^A-Za-z0-9_-]+")


class CertificateRenderError(RuntimeError):
    """xhtml2pdf reported errors: the template or a resource is broken."""


@dataclass(frozen=True)
class Side:
    """What one language's half of the certificate prints."""

    certification: str
    level: str
    competency: str
    status: str
    status_explanation: str
    issuer: str
    signatory_title: str


def text_direction(text: str) -> str:
    """rtl for text in Persian (Arabic) script: xhtml2pdf orders it only with dir="rtl"."""
    return "rtl" if ARABIC_SCRIPT.search(text) else "ltr"


def _side(language: str, credential: Credential, issuer: IssuerSettings, status: PublicStatus) -> Side:
    certification = credential.certification
    competency = certification.competency
    persian = language == "fa"
    with translation.override(language):
        return Side(
            certification=(certification.name_fa if persian else "") or certification.name,
            level=str(Level(certification.level).label),
            competency=(competency.name_fa if persian else "") or competency.name,
            status=str(STATUS_LABELS[status]),
            status_explanation=str(STATUS_EXPLANATIONS[status]),
            issuer=(issuer.name_fa if persian else "") or issuer.name,
            # No fallback: the English title is printed already.
            signatory_title=issuer.signatory_title_fa if persian else issuer.signatory_title,
        )


def _image_identity(image, spec: str) -> str:
    """Stands in for the image while fingerprinting: a new upload has a new file name."""
    return f"image:{image.pk}:{image.file.name}:{image.file_hash}:{spec}"


def _image_data_uri(image, spec: str) -> str:
    """A PNG rendition of a Wagtail image, read from storage, as a data: URI, so the
    renderer needs no file access beyond the fonts, whatever the storage is."""
    try:
        rendition = image.get_rendition(spec)
        with rendition.file.open("rb") as handle:
            data = handle.read()
    except Exception:  # a missing or broken upload must not cost the certificate
        logger.warning("Certificate image %s could not be read; printed without it.", image.pk, exc_info=True)
        return ""
    return "data:image/png;base64," + base64.b64encode(data).decode("ascii")


@lru_cache(maxsize=256)
def qr_png(text: str) -> bytes:
    """A QR code (error correction M) as a black-and-white PNG. Drawn with Pillow from
    ReportLab's encoder: xhtml2pdf's own <pdf:barcode> draws every module as a vector
    shape, which took half the time of a whole certificate. Remembered, since choosing
    the mask is most of the rest and a credential's address never changes."""
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(text)
    code.make()
    size = code.getModuleCount() + 2 * QR_BORDER
    image = Image.new("L", (size, size), 255)
    pixels = image.load()
    for row, modules in enumerate(code.modules):
        for column, dark in enumerate(modules):
            if dark:
                pixels[column + QR_BORDER, row + QR_BORDER] = 0
    image = image.resize((size * QR_SCALE, size * QR_SCALE), Image.Resampling.NEAREST)
    output = io.BytesIO()
    image.save(output, format="PNG")
    return output.getvalue()


def certificate_html(
    credential: Credential, *, issuer: IssuerSettings, now: datetime, embed_images: bool = True
) -> str:
    """The certificate's HTML. With `embed_images=False` the images are replaced by
    their identity, which is what the fingerprint is taken over."""
    status = PublicStatus(public_status(credential, now=now))
    holder = public_holder_name(credential)
    images = {}
    for field, image, spec in (("logo", issuer.logo, LOGO_SPEC), ("signature", issuer.signature, SIGNATURE_SPEC)):
        if image is None:
            images[field] = ""
        else:
            images[field] = _image_data_uri(image, spec) if embed_images else _image_identity(image, spec)
    template = credential.certification.certificate_template
    if template not in CertificateTemplate.values:
        template = CertificateTemplate.CLASSIC
    url = verification_url(credential)
    qr_src = "data:image/png;base64," + base64.b64encode(qr_png(url)).decode("ascii") if embed_images else f"qr:{url}"
    context = {
        "template": template,
        "font_dir": FONT_DIR.as_posix(),
        "holder_name": holder,
        "holder_dir": text_direction(holder),
        "en": _side("en", credential, issuer, status),
        "fa": _side("fa", credential, issuer, status),
        "is_valid": status == PublicStatus.VALID,
        "issued": printed_date(credential.issued_at),
        "expires": printed_date(credential.expires_at),
        "verify_url": url,
        "qr_src": qr_src,
        "code": credential.code,
        "signatory_name": issuer.signatory_name,
        "signatory_dir": text_direction(issuer.signatory_name),
        "logo_src": images["logo"],
        "signature_src": images["signature"],
        "template_version": TEMPLATE_VERSION,
    }
    # Every label is translated explicitly per half ({% language %} in the template);
    # English outside them, so the request's language never changes the PDF.
    with translation.override("en"):
        return render_to_string(TEMPLATE, context)


def _resource_policy() -> ResourceAccessPolicy:
    """Local reads only from the font folder, nothing from the network; the images
    come in as data: URIs."""
    return ResourceAccessPolicy.server(base_dir=FONT_DIR, allow_remote=False)


def html_to_pdf(html: str) -> bytes:
    output = io.BytesIO()
    result = pisa.CreatePDF(html, dest=output, encoding="utf-8", resource_policy=_resource_policy())
    if result.err:
        raise CertificateRenderError(f"xhtml2pdf reported {result.err} error(s) rendering a certificate")
    return output.getvalue()


def render_certificate_pdf(
    credential: Credential, *, issuer: IssuerSettings | None = None, now: datetime | None = None
) -> bytes:
    """Render the certificate now, without the cache."""
    issuer = issuer if issuer is not None else IssuerSettings.load()
    html = certificate_html(credential, issuer=issuer, now=now or clock.now(), embed_images=True)
    return html_to_pdf(html)


def fingerprint(html: str) -> str:
    """HMAC-SHA256 (keyed with SECRET_KEY) of the version and the HTML. Keyed, so the
    stored name of a superseded "valid" copy cannot be worked out from the public page
    and fetched from the media host."""
    return salted_hmac("certifications.certificate", f"{TEMPLATE_VERSION}\n{html}", algorithm="sha256").hexdigest()


def storage_name(credential: Credential, digest: str) -> str:
    return f"{STORAGE_DIR}/{credential.code}/{digest}.pdf"


def certificate_pdf(credential: Credential, *, now: datetime | None = None) -> bytes:
    """The certificate, from storage when nothing it prints has changed since it was
    last rendered; otherwise rendered, stored, and the older copies deleted."""
    now = now or clock.now()
    issuer = IssuerSettings.load()
    digest = fingerprint(certificate_html(credential, issuer=issuer, now=now, embed_images=False))
    name = storage_name(credential, digest)
    if default_storage.exists(name):
        with default_storage.open(name, "rb") as handle:
            return handle.read()
    pdf = render_certificate_pdf(credential, issuer=issuer, now=now)
    _store(name, pdf)
    return pdf


def _store(name: str, pdf: bytes) -> None:
    saved = default_storage.save(name, ContentFile(pdf))
    if saved != name:  # a concurrent request stored the same certificate first
        default_storage.delete(saved)
    folder = str(PurePosixPath(name).parent)
    try:
        _dirs, files = default_storage.listdir(folder)
    except FileNotFoundError:
        return
    keep = PurePosixPath(name).name
    for file in files:
        if file != keep:
            default_storage.delete(f"{folder}/{file}")


def download_filename(credential: Credential) -> str:
    slug = SAFE_FILENAME.sub("-", credential.certification.slug).strip("-") or "credential"
    return f"certificate-{slug}.pdf"
