"""The reference of the `certificate_pdf` scenario: the certificate's fields drawn
directly on a ReportLab canvas, without HTML, CSS or layout.

The fields are the ones `certifications.certificates.render_certificate_pdf` prints,
worked out once from the same credential with the same public helpers (status, holder's
name, dates in both calendars, verification address) and the same translated labels.
Drawing them is timed: the Vazirmatn TTF (registered once, as a long-running process
would) embeds the glyphs used, Persian text is shaped and put in visual order at draw
time with the same libraries xhtml2pdf uses (arabic-reshaper, xhtml2pdf.bidi), and the
QR code of the verification address is drawn module by module as one path (its matrix
is computed once, as the page side's `qr_png` is remembered).
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext

from certifications.models import Credential, IssuerSettings, Level
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

FONT_DIR = Path(settings.BASE_DIR) / "node_modules" / "vazirmatn" / "fonts" / "ttf"
REGULAR, BOLD = "BenchVazirmatn", "BenchVazirmatn-Bold"
ARABIC_SCRIPT = re.compile(r"[\u0600-\u06FF\uFB50-\uFDFF\uFE70-\uFEFF]")


@dataclass(frozen=True)
class Side:
    issuer: str
    title: str
    lead: str
    earned: str
    certification: str
    level_line: str
    status: str
    status_explanation: str
    issued_label: str
    expires_label: str
    issued: str
    expires: str
    verify_label: str
    signatory_title: str


@dataclass(frozen=True)
class CertificateFields:
    holder: str
    valid: bool
    en: Side
    fa: Side
    signatory: str
    verify_url: str
    code_line: str
    qr_modules: tuple[tuple[bool, ...], ...]


def _register_fonts() -> None:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.ttfonts import TTFont

    registered = pdfmetrics.getRegisteredFontNames()
    for name, file in ((REGULAR, "Vazirmatn-Regular.ttf"), (BOLD, "Vazirmatn-Bold.ttf")):
        if name not in registered:
            pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))


def _side(language: str, credential: Credential, issuer: IssuerSettings, status: PublicStatus) -> Side:
    certification, competency = credential.certification, credential.certification.competency
    persian = language == "fa"
    issued, expires = printed_date(credential.issued_at), printed_date(credential.expires_at)
    with translation.override(language):
        level = str(Level(certification.level).label)
        competency_name = (competency.name_fa if persian else "") or competency.name
        return Side(
            issuer=(issuer.name_fa if persian else "") or issuer.name,
            title=gettext("Certificate"),
            lead=gettext("This certifies that"),
            earned=gettext("has earned the certification"),
            certification=(certification.name_fa if persian else "") or certification.name,
            level_line=gettext("%(level)s level · %(competency)s") % {"level": level, "competency": competency_name},
            status=str(STATUS_LABELS[status]),
            status_explanation=str(STATUS_EXPLANATIONS[status]),
            issued_label=gettext("Issued"),
            expires_label=gettext("Expires"),
            issued=issued.jalali if persian else issued.gregorian,
            expires=(expires.jalali if persian else expires.gregorian) if expires else gettext("Does not expire"),
            verify_label=gettext("Verify this certificate at"),
            signatory_title=(issuer.signatory_title_fa if persian else "") or issuer.signatory_title,
        )


def certificate_fields(credential: Credential) -> CertificateFields:
    """Everything the certificate prints, computed once, untimed."""
    from reportlab.graphics.barcode import qrencoder

    _register_fonts()
    issuer = IssuerSettings.load()
    status = PublicStatus(public_status(credential, now=clock.now()))
    url = verification_url(credential)
    code = qrencoder.QRCode(None, qrencoder.QRErrorCorrectLevel.M)
    code.addData(url)
    code.make()
    with translation.override("en"):
        code_line = f"{gettext('Credential ID')}: {credential.code}"
    return CertificateFields(
        holder=public_holder_name(credential),
        valid=status == PublicStatus.VALID,
        en=_side("en", credential, issuer, status),
        fa=_side("fa", credential, issuer, status),
        signatory=issuer.signatory_name,
        verify_url=url,
        code_line=code_line,
        qr_modules=tuple(tuple(bool(module) for module in row) for row in code.modules),
    )


def _visual(text: str) -> str:
    """Persian in shaped glyphs and visual order, as ReportLab draws strings left to right."""
    import arabic_reshaper
    from xhtml2pdf.bidi import get_display

    return get_display(arabic_reshaper.reshape(text), base_dir="R")


def draw_certificate(fields: CertificateFields) -> bytes:
    """One A4 landscape page with every field, English on the left, Persian on the right."""
    from reportlab.lib.colors import HexColor
    from reportlab.lib.pagesizes import A4, landscape
    from reportlab.lib.units import mm
    from reportlab.pdfgen.canvas import Canvas

    width, height = landscape(A4)
    left, right, centre = 18 * mm, width - 18 * mm, width / 2
    buffer = io.BytesIO()
    pdf = Canvas(buffer, pagesize=(width, height))
    pdf.setTitle(fields.en.certification)
    ink, muted = HexColor("#14213d"), HexColor("#64748b")
    pdf.setStrokeColor(ink)
    pdf.rect(10 * mm, 10 * mm, width - 20 * mm, height - 20 * mm)

    def pair(y: float, english: str, persian: str, font: str = REGULAR, size: float = 11) -> None:
        pdf.setFont(font, size)
        pdf.drawString(left, y, english)
        pdf.drawRightString(right, y, _visual(persian))

    en, fa = fields.en, fields.fa
    pdf.setFillColor(ink)
    pair(height - 28 * mm, en.issuer, fa.issuer, BOLD, 12)
    y = height - 42 * mm
    if not fields.valid:
        pdf.setFillColor(HexColor("#b91c1c"))
        pair(y, en.status.upper(), fa.status, BOLD, 22)
        pair(y - 6 * mm, en.status_explanation, fa.status_explanation, REGULAR, 9)
        pdf.setFillColor(ink)
        y -= 14 * mm
    pair(y, en.title, fa.title, BOLD, 26)
    pair(y - 9 * mm, en.lead, fa.lead)
    pdf.setFont(BOLD, 26)
    holder = fields.holder
    pdf.drawCentredString(centre, y - 24 * mm, _visual(holder) if ARABIC_SCRIPT.search(holder) else holder)
    y -= 36 * mm
    pair(y, en.earned, fa.earned)
    pair(y - 8 * mm, en.certification, fa.certification, BOLD, 18)
    pair(y - 15 * mm, en.level_line, fa.level_line)
    y -= 30 * mm
    pdf.setFillColor(muted)
    pdf.setFont(REGULAR, 11)
    pdf.drawString(left, y, en.issued_label)
    pdf.drawString(left + 60 * mm, y, en.expires_label)
    pdf.drawRightString(right, y, _visual(fa.issued_label))
    pdf.drawRightString(right - 60 * mm, y, _visual(fa.expires_label))
    pdf.setFillColor(ink)
    pdf.drawString(left, y - 6 * mm, en.issued)
    pdf.drawString(left + 60 * mm, y - 6 * mm, en.expires)
    pdf.drawRightString(right, y - 6 * mm, _visual(fa.issued))
    pdf.drawRightString(right - 60 * mm, y - 6 * mm, _visual(fa.expires))
    y = 30 * mm
    if fields.signatory:
        pdf.setFont(BOLD, 11)
        pdf.drawString(left, y + 8 * mm, fields.signatory)
    pdf.setFont(REGULAR, 8.5)
    pdf.drawString(left, y + 3 * mm, en.signatory_title)
    pdf.drawString(left, y - 1 * mm, _visual(fa.signatory_title))
    pdf.drawCentredString(centre, y + 10 * mm, en.verify_label)
    pdf.drawCentredString(centre, y + 6 * mm, _visual(fa.verify_label))
    pdf.setFont(REGULAR, 10)
    pdf.drawCentredString(centre, y + 1 * mm, fields.verify_url)
    pdf.setFont(REGULAR, 8.5)
    pdf.drawCentredString(centre, y - 4 * mm, fields.code_line)
    # The QR code: one filled path of its dark modules.
    module = 32 * mm / len(fields.qr_modules)
    origin_x, origin_y = right - 32 * mm, 16 * mm
    path = pdf.beginPath()
    for row, modules in enumerate(fields.qr_modules):
        for column, dark in enumerate(modules):
            if dark:
                path.rect(origin_x + column * module, origin_y + (len(modules) - 1 - row) * module, module, module)
    pdf.drawPath(path, stroke=0, fill=1)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()
