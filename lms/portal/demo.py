"""Demo data, built through the same services people use. Safe to run again."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import transaction

from lms.accounts.models import User
from lms.accounts.services import create_person
from lms.partners import services as partner_services
from lms.partners.models import Membership, Organization
from lms.partners.roles import STAFF_ROLE_LABELS, StaffRole
from lms.portal.services import ensure_home_page_translation

DEMO_PASSWORD = "abrzad-demo-2026"
DEMO_DOMAIN = "demo.abrzad.example"


@dataclass(frozen=True)
class DemoOrganization:
    slug: str
    name: str
    name_fa: str
    country: str
    tier: str
    website: str
    suspended: bool = False


@dataclass(frozen=True)
class DemoPerson:
    email: str
    first_name: str
    last_name: str
    language: str
    organization: str = ""  # slug, for partner people
    partner_role: str = ""
    staff_role: StaffRole | None = None


ORGANIZATIONS = [
    DemoOrganization(
        "parsian-cloud",
        "Parsian Cloud Systems",
        "سامانه‌های ابری پارسیان",
        "IR",
        "gold",
        "https://parsian-cloud.example",
    ),
    DemoOrganization(
        "zagros-data", "Zagros Data Services", "خدمات داده زاگرس", "IR", "silver", "https://zagros-data.example"
    ),
    DemoOrganization(
        "northwind-integrators",
        "Northwind Integrators",
        "یکپارچه‌سازان نورث‌ویند",
        "DE",
        "platinum",
        "https://northwind.example",
    ),
    DemoOrganization(
        "caspian-secure",
        "Caspian Secure Networks",
        "شبکه‌های امن کاسپین",
        "AE",
        "registered",
        "https://caspian-secure.example",
    ),
    DemoOrganization(
        "helios-consulting",
        "Helios Consulting",
        "مشاوران هلیوس",
        "TR",
        "registered",
        "https://helios.example",
        suspended=True,
    ),
]

PEOPLE = [
    DemoPerson(f"learner@{DEMO_DOMAIN}", "سارا", "احمدی", "fa", "parsian-cloud", Membership.Role.LEARNER),
    DemoPerson(f"partner-admin@{DEMO_DOMAIN}", "رضا", "کریمی", "fa", "parsian-cloud", Membership.Role.ADMIN),
    DemoPerson(f"maryam@{DEMO_DOMAIN}", "مریم", "حسینی", "fa", "parsian-cloud", Membership.Role.LEARNER),
    DemoPerson(f"ali@{DEMO_DOMAIN}", "علی", "مرادی", "fa", "zagros-data", Membership.Role.ADMIN),
    DemoPerson(f"niloufar@{DEMO_DOMAIN}", "نیلوفر", "رحیمی", "fa", "zagros-data", Membership.Role.LEARNER),
    DemoPerson(f"anna@{DEMO_DOMAIN}", "Anna", "Schmidt", "en", "northwind-integrators", Membership.Role.ADMIN),
    DemoPerson(f"lukas@{DEMO_DOMAIN}", "Lukas", "Weber", "en", "northwind-integrators", Membership.Role.LEARNER),
    DemoPerson(f"omar@{DEMO_DOMAIN}", "Omar", "Haddad", "en", "caspian-secure", Membership.Role.ADMIN),
    DemoPerson(f"deniz@{DEMO_DOMAIN}", "Deniz", "Yilmaz", "en", "helios-consulting", Membership.Role.LEARNER),
    DemoPerson(f"author@{DEMO_DOMAIN}", "Leila", "Farahani", "en", staff_role=StaffRole.COURSE_AUTHOR),
    DemoPerson(f"marketer@{DEMO_DOMAIN}", "James", "Carter", "en", staff_role=StaffRole.MARKETER),
    DemoPerson(f"expert@{DEMO_DOMAIN}", "کاوه", "نظری", "fa", staff_role=StaffRole.INTERNAL_EXPERT),
    DemoPerson(f"tiers@{DEMO_DOMAIN}", "Elena", "Rossi", "en", staff_role=StaffRole.TIER_MANAGER),
    DemoPerson(f"site-admin@{DEMO_DOMAIN}", "Babak", "Tehrani", "en", staff_role=StaffRole.SITE_ADMIN),
]

PENDING_INVITES = [("parsian-cloud", f"new-hire@{DEMO_DOMAIN}"), ("northwind-integrators", f"trainee@{DEMO_DOMAIN}")]


@dataclass
class DemoLogin:
    role: str
    email: str
    organization: str = ""


@dataclass
class DemoSummary:
    logins: list[DemoLogin] = field(default_factory=list)
    password: str = DEMO_PASSWORD
    # Lines a feature app wants printed after the logins (an address to try, for example).
    notes: list[str] = field(default_factory=list)


# Feature apps add their demo content here, in their AppConfig.ready(); each runs
# after the organizations and people exist, inside the same transaction.
DEMO_EXTENSIONS: list[Callable[[DemoSummary], None]] = []


@transaction.atomic
def load_demo() -> DemoSummary:
    organizations = {spec.slug: _organization(spec) for spec in ORGANIZATIONS}
    summary = DemoSummary()
    for spec in PEOPLE:
        user = _person(spec)
        if spec.organization:
            organization = organizations[spec.organization]
            if not Membership.objects.filter(user=user).exists():
                partner_services.add_member(organization=organization, user=user, role=spec.partner_role)
            label = Membership.Role(spec.partner_role).label
            summary.logins.append(DemoLogin(str(label), spec.email, organization.name))
        else:
            partner_services.assign_staff_role(user=user, role=spec.staff_role)
            summary.logins.append(DemoLogin(str(STAFF_ROLE_LABELS[spec.staff_role]), spec.email))
    for slug, email in PENDING_INVITES:
        admin = organizations[slug].memberships.filter(role=Membership.Role.ADMIN).first()
        partner_services.invite_people(
            organization=organizations[slug],
            emails=[email],
            role=Membership.Role.LEARNER,
            invited_by=admin.user if admin else None,
        )
    ensure_home_page_translation(
        language="fa",
        title="ابرزاد",
        hero_title="توانمندسازی شرکا، در یک جا",
        hero_text="بیاموزید، گواهی بگیرید و سطح همکاری خود را ارتقا دهید — به فارسی و انگلیسی.",
    )
    for extend in DEMO_EXTENSIONS:
        extend(summary)
    return summary


def _organization(spec: DemoOrganization) -> Organization:
    organization = Organization.objects.filter(slug=spec.slug).first()
    if organization is None:
        organization = partner_services.create_organization(
            name=spec.name,
            name_fa=spec.name_fa,
            slug=spec.slug,
            country=spec.country,
            website=spec.website,
            tier=spec.tier,
        )
    status = Organization.Status.SUSPENDED if spec.suspended else Organization.Status.ACTIVE
    if organization.status != status:
        partner_services.set_organization_status(organization=organization, status=status)
    return organization


def _person(spec: DemoPerson) -> User:
    user = User.objects.filter(email=spec.email).first()
    if user is None:
        user = create_person(
            email=spec.email,
            password=DEMO_PASSWORD,
            first_name=spec.first_name,
            last_name=spec.last_name,
            preferred_language=spec.language,
        )
    return user
