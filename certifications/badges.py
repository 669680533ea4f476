"""Open Badges 2.0 hosted documents, their addresses, the default badge image and the
LinkedIn "add to profile" link.

Three documents make up a hosted Open Badge, each served at its own `id` under /badges/
(`certifications.badge_urls`): the issuer Profile, one BadgeClass per certification and
one Assertion per credential. Validators and backpacks fetch each one by its `id`, so
every `id` is the absolute address it is served from (`settings.BASE_URL` + reverse).

The builders (`issuer_document`, `badge_class_document`, `assertion_document`,
`revoked_document`) are pure: plain values in, a dict out. The `*_facts` functions read
the models into those values; the views only load, call and respond.

How each credential status answers at its assertion address:

- active, not past its expiry: 200, the Assertion;
- expired (stored, or active past `expires_at` before the nightly job ran): 200, the
  Assertion with its `expires` in the past. The spec leaves judging expiry to the
  verifier, and an expired credential was genuinely earned;
- revoked: 410 Gone with `{"revoked": true}`, as the spec requires of hosted assertions;
- suspended: 410 Gone, revoked, reason "suspended". Open Badges 2.0 has no suspension;
  a verifier must not be told the badge is valid while it is suspended, and a hosted
  assertion is fetched anew on every verification, so reinstating it makes the same
  address answer 200 again;
- superseded: 410 Gone, revoked, with a reason naming the replacement assertion. The old
  credential is no longer valid (see `verification.public_status`); the person holds the
  newer one under its own address.

Published reasons are fixed phrases, never the staff's free-text reason, which is an
internal audit note (the public verification page does not show it either). The
documents are in English, the language of the badge's `name`: they are read by machines
and by backpacks in any language, so their phrases are not translated.

The spec requires an issuer Profile to have an email: when the issuer settings have
none, the site's sending address (DEFAULT_FROM_EMAIL) stands in.

The badge image is the author's upload as a `fill-400x400|format-png` rendition (Wagtail
does not upscale, so a smaller upload stays smaller, cropped square), else a drawn medal
in the level's colour with the name's initials, cached.

The recipient is the holder's email, hashed: `sha256$` + sha256(email + salt), with the
credential's own salt, so the address itself is never published. The email is read at
fetch time: a person who changes their address gets an assertion for the new one.
"""

from __future__ import annotations

import hashlib
import io
import logging
import re
import zoneinfo
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parseaddr
from pathlib import Path
from urllib.parse import quote, urlencode

from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import translation

from certifications.models import Certification, Credential, IssuerSettings, Level
from certifications.verification import public_status, verification_url

logger = logging.getLogger(__name__)

OB_CONTEXT = "https://w3id.org/openbadges/v2"
LINKEDIN_ADD_URL = "https://www.linkedin.com/profile/add"
# The portal's catalog, filtered by competency (courses.selectors reads `competency`).
CATALOG_PATH = "/courses/"
BADGE_RENDITION = "fill-400x400|format-png"
LOGO_RENDITION = "max-400x400|format-png"

REVOKED_REASONS = {
    "revoked": "Revoked by the issuer.",
    "suspended": "suspended",
}


# Addresses ---------------------------------------------------------------------------


def absolute(path: str) -> str:
    return f"{settings.BASE_URL}{path}"


def issuer_url() -> str:
    return absolute(reverse("badges:issuer"))


def badge_class_url(certification: Certification) -> str:
    return absolute(reverse("badges:badge_class", kwargs={"slug": certification.slug}))


def badge_image_url(certification: Certification) -> str:
    return absolute(reverse("badges:badge_image", kwargs={"slug": certification.slug}))


def assertion_url(credential: Credential) -> str:
    return absolute(reverse("badges:assertion", kwargs={"code": credential.code}))


def catalog_url(competency_slug: str) -> str:
    return absolute(f"{CATALOG_PATH}?{urlencode({'competency': competency_slug})}")


def linkedin_add_url(credential: Credential, *, issuer: IssuerSettings | None = None) -> str:
    """LinkedIn's "add to profile" link for a credential: a link the person follows;
    nothing is loaded from LinkedIn. Dates are the days in the site's zone (TIME_ZONE)."""
    issuer = issuer if issuer is not None else IssuerSettings.load()
    params: dict[str, str | int] = {
        "startTask": "CERTIFICATION_NAME",
        "name": credential.certification.name,
        "organizationName": issuer.name,
    }
    issued = _site_local(credential.issued_at)
    params |= {"issueYear": issued.year, "issueMonth": issued.month}
    if credential.expires_at is not None:
        expires = _site_local(credential.expires_at)
        params |= {"expirationYear": expires.year, "expirationMonth": expires.month}
    params |= {"certUrl": verification_url(credential), "certId": credential.code}
    return f"{LINKEDIN_ADD_URL}?{urlencode(params, quote_via=quote)}"


def _site_local(value: datetime) -> datetime:
    return value.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE))


# Pure builders -----------------------------------------------------------------------


def iso8601(value: datetime) -> str:
    """A timestamp as Open Badges wants it: ISO 8601 with a zone, in UTC."""
    return value.astimezone(UTC).isoformat(timespec="seconds")


def recipient_identity(email: str, salt: str) -> str:
    return "sha256$" + hashlib.sha256((email + salt).encode()).hexdigest()


@dataclass(frozen=True)
class IssuerFacts:
    id: str
    name: str
    url: str
    email: str
    image: str = ""


def issuer_document(facts: IssuerFacts) -> dict:
    document = {
        "@context": OB_CONTEXT,
        "type": "Issuer",
        "id": facts.id,
        "name": facts.name,
        "url": facts.url,
        "email": facts.email,
    }
    if facts.image:
        document["image"] = facts.image
    return document


@dataclass(frozen=True)
class Requirements:
    """What the criteria narrative says, in words (names, not ids)."""

    courses: tuple[str, ...] = ()
    exam: str = ""
    minimum_score: int = 0
    prerequisites: tuple[str, ...] = ()
    validity_months: int | None = None
    renewable: bool = False


def criteria_narrative(requirements: Requirements) -> str:
    """The requirements as a short Markdown list."""
    lines = [f"- Complete the course “{title}”." for title in requirements.courses]
    if requirements.exam:
        lines.append(
            f"- Pass the final exam “{requirements.exam}” with a score of at least {requirements.minimum_score}%."
        )
    lines += [f"- Hold the certification “{name}”." for name in requirements.prerequisites]
    text = "To earn this certification:\n\n" + "\n".join(lines) if lines else "Awarded by the issuer."
    if requirements.validity_months:
        text += f"\n\nValid for {requirements.validity_months} months from issue"
        text += ", and renewable before it expires." if requirements.renewable else "."
    return text


@dataclass(frozen=True)
class BadgeClassFacts:
    id: str
    name: str
    description: str
    image: str
    issuer: str
    criteria: str  # the narrative
    competency_name: str
    competency_url: str
    competency_description: str
    tags: tuple[str, ...]


def badge_class_document(facts: BadgeClassFacts) -> dict:
    alignment = {"targetName": facts.competency_name, "targetUrl": facts.competency_url}
    if facts.competency_description:
        alignment["targetDescription"] = facts.competency_description
    return {
        "@context": OB_CONTEXT,
        "type": "BadgeClass",
        "id": facts.id,
        "name": facts.name,
        "description": facts.description,
        "image": facts.image,
        "criteria": {"narrative": facts.criteria},
        "issuer": facts.issuer,
        "alignment": [alignment],
        "tags": list(facts.tags),
    }


@dataclass(frozen=True)
class AssertionFacts:
    id: str
    email: str
    salt: str
    badge: str
    issued_on: datetime
    expires: datetime | None
    evidence_url: str
    evidence_narrative: str


def assertion_document(facts: AssertionFacts) -> dict:
    evidence = {"id": facts.evidence_url, "name": "Public verification of this credential"}
    if facts.evidence_narrative:
        evidence["narrative"] = facts.evidence_narrative
    document = {
        "@context": OB_CONTEXT,
        "type": "Assertion",
        "id": facts.id,
        "recipient": {
            "type": "email",
            "hashed": True,
            "salt": facts.salt,
            "identity": recipient_identity(facts.email, facts.salt),
        },
        "badge": facts.badge,
        "verification": {"type": "hosted"},
        "issuedOn": iso8601(facts.issued_on),
        "evidence": evidence,
    }
    if facts.expires is not None:
        document["expires"] = iso8601(facts.expires)
    return document


def revoked_document(*, id: str, reason: str) -> dict:
    """A revoked hosted assertion: the spec requires only `id` and `revoked`."""
    document = {"@context": OB_CONTEXT, "type": "Assertion", "id": id, "revoked": True}
    if reason:
        document["revocationReason"] = reason
    return document


def revocation_reason(public_status: str, *, replacement_url: str = "") -> str | None:
    """Why an assertion answers as revoked, or None for one that answers normally
    (valid, or expired: verifiers judge expiry from `expires`)."""
    if public_status == "superseded":
        if replacement_url:
            return f"Superseded by a newer credential: {replacement_url}"
        return "Superseded by a newer credential."
    return REVOKED_REASONS.get(public_status)


def evidence_narrative(evidence: dict) -> str:
    parts = []
    exam = evidence.get("exam") or {}
    if exam.get("score") not in (None, ""):
        parts.append(f"Passed the final exam with a score of {_score(exam['score'])}%.")
    courses = len(evidence.get("courses") or ())
    if courses:
        parts.append(f"Completed {courses} required course{'s' if courses != 1 else ''}.")
    return " ".join(parts)


def _score(value: object) -> str:
    text = str(value)
    return text.rstrip("0").rstrip(".") if "." in text else text


# From the models ---------------------------------------------------------------------


def issuer_facts(issuer: IssuerSettings) -> IssuerFacts:
    """The issuer Profile's values. The spec requires an email of an issuer, so the
    site's sending address stands in when the settings have none."""
    image = ""
    if issuer.logo is not None:
        image = _rendition_url(issuer.logo, LOGO_RENDITION)
    return IssuerFacts(
        id=issuer_url(),
        name=issuer.name,
        url=issuer.url or settings.BASE_URL,
        email=issuer.email or _address_of(settings.DEFAULT_FROM_EMAIL),
        image=image,
    )


def _address_of(sender: str) -> str:
    """'Abrzad <no-reply@example.org>' -> 'no-reply@example.org'."""
    return parseaddr(sender)[1] or sender


def _rendition_url(image, spec: str) -> str:
    try:
        url = image.get_rendition(spec).url
    except Exception:  # a missing or broken source file must not break the document
        logger.warning("Issuer logo is unreadable; the profile goes without an image", exc_info=True)
        return ""
    return url if url.startswith(("http://", "https://")) else absolute(url)


def badge_class_queryset():
    """Everything the BadgeClass prints, in three queries whatever the requirements."""
    return Certification.objects.select_related("competency", "final_exam").prefetch_related(
        "required_courses", "prerequisites"
    )


def badge_class_facts(certification: Certification) -> BadgeClassFacts:
    competency = certification.competency
    with translation.override(settings.LANGUAGE_CODE):
        level = str(Level(certification.level).label)
    requirements = Requirements(
        courses=tuple(course.title for course in certification.required_courses.all()),
        exam=certification.final_exam.title if certification.final_exam else "",
        minimum_score=certification.minimum_score,
        prerequisites=tuple(sorted(prerequisite.name for prerequisite in certification.prerequisites.all())),
        validity_months=certification.validity_months,
        renewable=bool(certification.renewal_exam_id or certification.renewal_course_id),
    )
    description = certification.description.strip() or (
        f"{certification.name}: a certification in {competency.name} at the {level} level."
    )
    return BadgeClassFacts(
        id=badge_class_url(certification),
        name=certification.name,
        description=description,
        image=badge_image_url(certification),
        issuer=issuer_url(),
        criteria=criteria_narrative(requirements),
        competency_name=competency.name,
        competency_url=catalog_url(competency.slug),
        competency_description=competency.description.strip(),
        tags=(competency.slug, certification.level),
    )


# Codes are secrets.token_urlsafe(20); anything else is refused before the database is asked.
CODE_PATTERN = re.compile(r"[A-Za-z0-9_-]{16,43}")


def is_code_shaped(code: str) -> bool:
    return bool(CODE_PATTERN.fullmatch(code))


def assertion_queryset():
    return Credential.objects.select_related("certification", "user", "superseded_by")


def assertion_answer(credential: Credential, *, now: datetime) -> tuple[int, dict]:
    """The HTTP status and the document a credential's assertion address answers with."""
    replacement = assertion_url(credential.superseded_by) if credential.superseded_by else ""
    reason = revocation_reason(public_status(credential, now=now), replacement_url=replacement)
    if reason is not None:
        return 410, revoked_document(id=assertion_url(credential), reason=reason)
    facts = AssertionFacts(
        id=assertion_url(credential),
        email=credential.user.email,
        salt=credential.badge_salt,
        badge=badge_class_url(credential.certification),
        issued_on=credential.issued_at,
        expires=credential.expires_at,
        evidence_url=verification_url(credential),
        evidence_narrative=evidence_narrative(credential.evidence or {}),
    )
    return 200, assertion_document(facts)


# The badge image ---------------------------------------------------------------------

LEVEL_COLOURS = {
    Level.FOUNDATIONAL: (22, 101, 52),  # --ok
    Level.ASSOCIATE: (11, 95, 115),  # --brand
    Level.PROFESSIONAL: (20, 33, 61),  # --ink
    Level.SPECIALTY: (194, 65, 12),  # --accent
}
FONT_FILE = Path(settings.BASE_DIR) / "node_modules" / "vazirmatn" / "fonts" / "ttf" / "Vazirmatn-Bold.ttf"
IMAGE_SIZE = 400
# Bump to drop every cached default image when the drawing changes.
DRAWING_VERSION = 1
SKIPPED_WORDS = {"a", "an", "and", "certified", "for", "in", "of", "on", "the", "to"}


def initials(name: str, *, fallback: str = "", limit: int = 3) -> str:
    """Latin initials of the name's significant words. Pillow draws without shaping or
    bidi, so Persian letters would come out disjointed: a name without Latin words gets
    the fallback (the level's initial)."""
    words = re.findall(r"[A-Za-z0-9]+", name)
    kept = [word for word in words if word.lower() not in SKIPPED_WORDS] or words
    return "".join(word[0] for word in kept[:limit]).upper() or fallback.upper()[:1]


def badge_image_png(certification: Certification) -> bytes:
    """The badge image: the author's image as a square PNG rendition, else the
    default drawing. Falls back to the drawing if the uploaded file is unreadable."""
    if certification.badge_image is not None:
        try:
            rendition = certification.badge_image.get_rendition(BADGE_RENDITION)
            with rendition.file.open("rb") as handle:
                return handle.read()
        except Exception:  # a missing source file is the author's to fix, not a 500
            logger.warning("Badge image of %s is unreadable; serving the default", certification.slug, exc_info=True)
    return default_badge_png(name=certification.name, level=certification.level)


def default_badge_png(*, name: str, level: str) -> bytes:
    text = initials(name, fallback=level)
    key = "badges:default-png:" + hashlib.sha256(f"{DRAWING_VERSION}|{level}|{text}".encode()).hexdigest()
    png = cache.get(key)
    if png is None:
        png = draw_default_badge(text=text, colour=LEVEL_COLOURS.get(level, LEVEL_COLOURS[Level.ASSOCIATE]))
        cache.set(key, png, timeout=7 * 24 * 3600)
    return png


def draw_default_badge(*, text: str, colour: tuple[int, int, int]) -> bytes:
    """A round medal in the level's colour with the certification's initials."""
    from PIL import Image, ImageDraw, ImageFont

    size = IMAGE_SIZE
    image = Image.new("RGBA", (size, size), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.ellipse((4, 4, size - 4, size - 4), fill=(*colour, 255))
    draw.ellipse((28, 28, size - 28, size - 28), outline=(255, 255, 255, 230), width=6)
    font_size = {1: 200, 2: 160, 3: 120}.get(len(text), 100)
    try:
        font = ImageFont.truetype(str(FONT_FILE), font_size)
    except OSError:  # the npm font is not installed: Pillow's own font will do
        font = ImageFont.load_default(size=font_size)
    draw.text((size / 2, size / 2), text, font=font, fill=(255, 255, 255, 255), anchor="mm")
    output = io.BytesIO()
    image.save(output, format="PNG", optimize=True)
    return output.getvalue()
