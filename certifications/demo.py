"""Demo certifications and the credentials demo people hold.

Runs from `lms.portal.demo.load_demo`, inside its transaction, after the course demo
(`courses.demo`), whose competencies, courses and final exams it reuses. Everything goes
through the services: certifications get their first version from `record_version`,
Maryam (who completed a Persian course and passed its exam in the course demo) earns
hers through `evaluate_person`, the others are issued back-dated with `award_credential`
so their expiry dates land where the demo wants them, Omar's lapsed credential is moved
by `expire_due_credentials` as the nightly job would, and Lukas's is revoked by the
demo site admin through `change_credential_status`. Everything is looked up before it
is created, so a second run changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from django.utils import translation

from certifications.models import Certification, Credential, IssuerSettings, Level
from certifications.models.definitions import CertificateTemplate
from certifications.services.awarding import award_credential, evaluate_person, latest_versions
from certifications.services.expiry import expire_due_credentials
from certifications.services.status import change_credential_status
from certifications.services.versions import record_version
from certifications.transitions import ManualAction
from certifications.validity import add_months
from courses.models import Assessment, CoursePage
from lms import clock
from lms.accounts.models import User
from lms.competencies.models import Competency
from lms.portal.demo import DEMO_DOMAIN, PEOPLE, DemoSummary


@dataclass(frozen=True)
class CertificationSpec:
    slug: str
    name: str
    name_fa: str
    description: str
    description_fa: str
    competency: str  # slug, from the course demo
    level: Level
    courses: tuple[str, ...]  # course slugs
    exam: str  # the slug of the course whose final exam is required
    validity_months: int | None
    minimum_score: int = 70
    renewal_window_days: int = 90
    renewal_exam: str = ""  # the slug of the course whose final exam renews it
    renewal_course: str = ""
    prerequisites: tuple[str, ...] = ()  # certification slugs, listed earlier
    template: CertificateTemplate = CertificateTemplate.CLASSIC


@dataclass(frozen=True)
class HeldSpec:
    """A credential issued back-dated, so that it expires `expires_in_days` from now."""

    person: str  # local part of the demo address
    certification: str
    expires_in_days: int
    revoke_reason: str = ""


CERTIFICATIONS = [
    CertificationSpec(
        slug="cloud-security-associate",
        name="Certified Cloud Security Associate",
        name_fa="کارشناس تأییدشده‌ی امنیت ابری",
        description="Shows that the holder can secure customer workloads on Abrzad Cloud: the shared "
        "responsibility model, identity and access management, encryption and logging.",
        description_fa="نشان می‌دهد دارنده می‌تواند بارهای کاری مشتری را در ابر ابرزاد ایمن کند: مدل مسئولیت "
        "مشترک، مدیریت هویت و دسترسی، رمزنگاری و ثبت رویدادها.",
        competency="cloud-security",
        level=Level.ASSOCIATE,
        courses=("cloud-security-fundamentals",),
        exam="cloud-security-fundamentals",
        validity_months=24,
        # Passing the final exam again in the last 90 days renews it for two more years.
        renewal_exam="cloud-security-fundamentals",
    ),
    CertificationSpec(
        slug="zero-trust-professional",
        name="Zero Trust Architecture Professional",
        name_fa="متخصص معماری اعتماد صفر",
        description="For engineers who design and roll out zero trust for customers: continuous "
        "verification, identity-aware access and microsegmentation.",
        description_fa="برای مهندسانی که معماری اعتماد صفر را برای مشتریان طراحی و اجرا می‌کنند: احراز هویت "
        "پیوسته، دسترسی مبتنی بر هویت و ریزبخش‌بندی شبکه.",
        competency="cloud-security",
        level=Level.PROFESSIONAL,
        courses=("zero-trust-architecture",),
        exam="zero-trust-architecture",
        minimum_score=80,
        validity_months=24,
        prerequisites=("cloud-security-associate",),
        template=CertificateTemplate.MODERN,
    ),
    CertificationSpec(
        slug="data-analytics-foundations",
        name="Data Analytics Foundations",
        name_fa="گواهی پایه‌ی تحلیل داده",
        description="The basics of turning customer data into decisions: collecting, cleaning, "
        "summarising and presenting it.",
        description_fa="مبانی تبدیل داده‌های مشتری به تصمیم: گردآوری، پاک‌سازی، خلاصه‌سازی و ارائه‌ی داده‌ها.",
        competency="data-analytics",
        level=Level.FOUNDATIONAL,
        courses=("data-analytics-basics",),
        exam="data-analytics-basics",
        validity_months=24,
    ),
    CertificationSpec(
        slug="secure-sdn-specialist",
        name="Secure Software-Defined Networking Specialist",
        name_fa="متخصص شبکه‌های نرم‌افزارمحور امن",
        description="For network engineers who automate customer networks from one controller and "
        "segment them the zero trust way.",
        description_fa="برای مهندسان شبکه‌ای که شبکه‌ی مشتری را از یک کنترلر خودکار می‌کنند و آن را به روش "
        "اعتماد صفر بخش‌بندی می‌کنند.",
        competency="networking",
        level=Level.SPECIALTY,
        courses=("software-defined-networking", "zero-trust-architecture"),
        exam="software-defined-networking",
        validity_months=36,
        renewal_window_days=120,
        template=CertificateTemplate.MODERN,
    ),
]

HELD = [
    HeldSpec("anna", "cloud-security-associate", expires_in_days=610),
    HeldSpec("anna", "zero-trust-professional", expires_in_days=680),
    HeldSpec("expert", "secure-sdn-specialist", expires_in_days=900),
    # Inside their renewal windows: the reminders are due.
    HeldSpec("partner-admin", "cloud-security-associate", expires_in_days=20),
    HeldSpec("ali", "secure-sdn-specialist", expires_in_days=12),
    # Lapsed a month ago: expired by the same job that runs nightly.
    HeldSpec("omar", "cloud-security-associate", expires_in_days=-35),
    HeldSpec(
        "lukas",
        "cloud-security-associate",
        expires_in_days=540,
        revoke_reason="Issued in error before the final exam was taken. Lukas can earn it by passing the exam.",
    ),
]

# The verification address printed with the demo logins.
SHOWN_CREDENTIAL = ("maryam", "data-analytics-foundations")


def load_certification_demo(summary: DemoSummary) -> None:
    admin = _person("site-admin")
    author = _person("author")
    _issuer()
    certifications: dict[str, Certification] = {}
    for spec in CERTIFICATIONS:
        certifications[spec.slug] = _certification(spec, certifications, author)
    # The real award path: whoever met a certification's requirements in the course demo.
    for person in PEOPLE:
        user = User.objects.filter(email=person.email).first()
        if user is not None:
            evaluate_person(user=user)
    versions = latest_versions([certification.pk for certification in certifications.values()])
    now = clock.now()
    for held in HELD:
        _held(held, certifications[held.certification], versions, now=now, admin=admin)
    lapsed = Credential.objects.filter(
        status__in=Credential.LIVE, expires_at__lte=now, user__email__endswith=f"@{DEMO_DOMAIN}"
    )
    if lapsed.exists():
        expire_due_credentials(now=now)
    _show_verification_url(summary, certifications)


def _person(local_part: str) -> User | None:
    return User.objects.filter(email=f"{local_part}@{DEMO_DOMAIN}").first()


def _issuer() -> None:
    issuer = IssuerSettings.load()
    if not issuer.signatory_name:
        issuer.signatory_name = "Babak Tehrani"
        issuer.signatory_title = "Head of Partner Enablement"
        issuer.signatory_title_fa = "مدیر توانمندسازی شرکا"
        issuer.save()


def _course(slug: str) -> CoursePage:
    # The original-language page: a translation would carry the same slug.
    course = CoursePage.objects.filter(slug=slug).order_by("pk").first()
    if course is None:
        raise LookupError(f"The course demo has no course {slug!r}; it must run before the certification demo.")
    return course


def _final_exam(slug: str) -> Assessment:
    return Assessment.objects.get(course=_course(slug), kind=Assessment.Kind.EXAM)


def _certification(spec: CertificationSpec, earlier: dict[str, Certification], author: User | None) -> Certification:
    certification = Certification.objects.filter(slug=spec.slug).first()
    if certification is not None:
        return certification
    certification = Certification(
        slug=spec.slug,
        name=spec.name,
        name_fa=spec.name_fa,
        description=spec.description,
        description_fa=spec.description_fa,
        competency=Competency.objects.get(slug=spec.competency),
        level=spec.level,
        final_exam=_final_exam(spec.exam),
        minimum_score=spec.minimum_score,
        validity_months=spec.validity_months,
        renewal_window_days=spec.renewal_window_days,
        renewal_exam=_final_exam(spec.renewal_exam) if spec.renewal_exam else None,
        renewal_course=_course(spec.renewal_course) if spec.renewal_course else None,
        certificate_template=spec.template,
    )
    certification.full_clean()
    certification.save()
    certification.required_courses.set([_course(slug) for slug in spec.courses])
    certification.prerequisites.set([earlier[slug] for slug in spec.prerequisites])
    record_version(certification=certification, actor=author)
    return certification


def _held(spec: HeldSpec, certification: Certification, versions: dict, *, now, admin: User | None) -> None:
    user = _person(spec.person)
    if user is None or Credential.objects.filter(user=user, certification=certification).exists():
        return
    expires_at = now + timedelta(days=spec.expires_in_days)
    credential = award_credential(
        user=user,
        certification=certification,
        version=versions[certification.pk],
        issued_at=add_months(expires_at, -certification.validity_months),
    )
    if credential is not None and spec.revoke_reason and admin is not None:
        change_credential_status(
            credential=credential, action=ManualAction.REVOKE, actor=admin, reason=spec.revoke_reason
        )


def _show_verification_url(summary: DemoSummary, certifications: dict[str, Certification]) -> None:
    person, slug = SHOWN_CREDENTIAL
    credential = (
        Credential.objects.filter(user=_person(person), certification=certifications[slug], status__in=Credential.LIVE)
        .select_related("certification")
        .first()
    )
    if credential is None:
        return
    with translation.override(settings.LANGUAGE_CODE):
        url = settings.BASE_URL + reverse("certifications:verify", kwargs={"code": credential.code})
        summary.notes.append(f"Verify {credential.holder_name}'s credential “{credential.certification.name}”: {url}")
