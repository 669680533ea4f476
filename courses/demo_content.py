# ruff: noqa: E501 -- course text reads better unwrapped
"""The demo courses, as data: competencies, pictures, lessons, question banks and quizzes.

`courses.demo` turns this into pages, images, banks and assessments. Image and document
blocks name a picture or document by key (ImageRef, DocumentRef); lesson bodies use the
block names and fields of `courses.blocks.LessonBodyBlock`.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from courses.bank_formats import FALSE_TEXT, TRUE_TEXT, ChoiceRecord, QuestionRecord
from courses.grading import QuestionKind

# Competencies --------------------------------------------------------------------------


@dataclass(frozen=True)
class CompetencySpec:
    slug: str
    name: str
    name_fa: str
    description: str
    description_fa: str


COMPETENCIES = [
    CompetencySpec(
        "cloud-security",
        "Cloud Security",
        "امنیت ابری",
        "Protecting cloud workloads, identities and data: the shared responsibility model, identity and access management, encryption, monitoring and zero trust.",
        "محافظت از بارهای کاری، هویت‌ها و داده‌ها در فضای ابری: مدل مسئولیت مشترک، مدیریت هویت و دسترسی، رمزنگاری، پایش و معماری اعتماد صفر.",
    ),
    CompetencySpec(
        "data-analytics",
        "Data Analytics",
        "تحلیل داده",
        "Turning raw data into decisions: collecting, cleaning, summarising and visualising data, and explaining what it shows.",
        "تبدیل داده‌های خام به تصمیم: گردآوری، پاک‌سازی، خلاصه‌سازی و مصورسازی داده‌ها و توضیح روشن آنچه نشان می‌دهند.",
    ),
    CompetencySpec(
        "networking",
        "Networking",
        "شبکه",
        "Designing, automating and troubleshooting networks, from addressing and routing to segmentation and software-defined networking.",
        "طراحی، خودکارسازی و عیب‌یابی شبکه‌ها، از آدرس‌دهی و مسیریابی تا بخش‌بندی شبکه و شبکه‌های نرم‌افزارمحور.",
    ),
]

# Pictures and documents ------------------------------------------------------------------

BRAND = "#0b5f73"
BRAND_STRONG = "#07475a"
BRAND_TINT = "#e3f2f5"
ACCENT = "#c2410c"


@dataclass(frozen=True)
class PictureSpec:
    """A generated PNG: a course cover (wide, dark) or a lesson diagram (light)."""

    key: str
    title: str
    motif: str  # see courses.demo.MOTIFS
    colours: tuple[str, str, str]  # background top, background bottom, highlight
    labels: tuple[str, ...] = ()  # diagram labels, Latin script only


PICTURES = [
    PictureSpec("cover-cloud-security", "Cover: Cloud Security Fundamentals", "shield", (BRAND, BRAND_STRONG, ACCENT)),
    PictureSpec(
        "cover-zero-trust", "Cover: Zero Trust Architecture for Partners", "rings", (BRAND_STRONG, "#0f2a33", ACCENT)
    ),
    PictureSpec("cover-data-analytics", "Cover: مبانی تحلیل داده", "bars", (BRAND, "#1f6f5c", "#d97706")),
    PictureSpec("cover-sdn", "Cover: شبکه‌های نرم‌افزارمحور", "mesh", (BRAND_STRONG, "#1e3a5f", "#f59e0b")),
    PictureSpec(
        "cover-path-cloud-security", "Cover: Cloud Security Specialist path", "path", (BRAND, "#0f2a33", ACCENT)
    ),
    PictureSpec(
        "diagram-shared-responsibility",
        "Diagram: shared responsibility in IaaS",
        "layers",
        (BRAND_TINT, "#ffffff", ACCENT),
        ("Data and access", "Applications", "Operating system", "Virtualisation", "Physical hosts and network"),
    ),
    PictureSpec(
        "diagram-zero-trust",
        "Diagram: zero trust access decision",
        "checkpoints",
        (BRAND_TINT, "#ffffff", ACCENT),
        ("User + device", "Enforcement point", "Resource", "Policy engine"),
    ),
    PictureSpec(
        "diagram-sales-by-region", "نمودار: فروش ماهانه به تفکیک منطقه", "chart", (BRAND_TINT, "#ffffff", "#d97706")
    ),
    PictureSpec(
        "diagram-sdn-topology", "نمودار: کنترلر و سوئیچ‌های شبکه", "topology", (BRAND_TINT, "#ffffff", "#f59e0b")
    ),
]


@dataclass(frozen=True)
class ChecklistSpec:
    key: str
    title: str
    items: tuple[str, ...]


CHECKLISTS = [
    ChecklistSpec(
        "checklist-cloud-security",
        "Cloud security go-live checklist for partner deployments",
        (
            "Multi-factor authentication is enforced for every administrator and the root account.",
            "The root account has no access keys and is used only for break-glass tasks.",
            "Roles follow least privilege and are granted to groups, not individual users.",
            "Secrets live in the secrets manager; none are in source code or images.",
            "Storage volumes, buckets and databases are encrypted with managed keys.",
            "Every public endpoint requires TLS 1.2 or later.",
            "Public access to storage buckets is blocked unless it is documented and approved.",
            "Audit logging is on in every region and logs are kept for at least one year.",
            "Alerts for root sign-in, disabled logging and new admin keys reach the on-call team.",
            "The customer has signed off the shared responsibility matrix for the deployment.",
        ),
    ),
]


@dataclass(frozen=True)
class ImageRef:
    key: str


@dataclass(frozen=True)
class DocumentRef:
    key: str


# Lesson bodies ---------------------------------------------------------------------------

type Block = tuple[str, Any]


def heading(text: str, level: str = "h2") -> Block:
    return ("heading", {"text": text, "level": level})


def paragraph(html: str) -> Block:
    return ("paragraph", html)


def callout(kind: str, title: str, body: str) -> Block:
    return ("callout", {"kind": kind, "title": title, "body": body})


def code(language: str, source: str) -> Block:
    return ("code", {"language": language, "code": source.strip("\n")})


def check(question: str, choices: list[str], explanation: str) -> Block:
    """A knowledge check; correct choices are marked with a leading "*"."""
    marked = [(text.removeprefix("*"), text.startswith("*")) for text in choices]
    return (
        "knowledge_check",
        {
            "question": question,
            "choices": [{"text": text, "correct": correct} for text, correct in marked],
            "multiple": sum(correct for _text, correct in marked) > 1,
            "explanation": explanation,
        },
    )


def accordion(title: str, items: list[tuple[str, str]]) -> Block:
    return ("accordion", {"title": title, "items": [{"heading": head, "body": body} for head, body in items]})


def image(key: str, alt_text: str, caption: str = "") -> Block:
    return ("image", {"image": ImageRef(key), "alt_text": alt_text, "caption": caption})


def document(key: str, label: str) -> Block:
    return ("document", {"document": DocumentRef(key), "label": label})


@dataclass(frozen=True)
class LessonSpec:
    slug: str
    title: str
    minutes: int
    body: tuple[Block, ...]


@dataclass(frozen=True)
class SectionSpec:
    slug: str
    title: str
    summary: str
    lessons: tuple[LessonSpec, ...]


# Questions -------------------------------------------------------------------------------


# Questions are the records that bank files hold, so the demo banks export and import
# like any other bank.
ChoiceSpec = ChoiceRecord
QuestionSpec = QuestionRecord


def _marked(choices: list[str]) -> tuple[ChoiceSpec, ...]:
    return tuple(ChoiceSpec(text.removeprefix("*"), correct=text.startswith("*")) for text in choices)


def single(prompt: str, choices: list[str], explanation: str) -> QuestionSpec:
    return QuestionSpec(QuestionKind.SINGLE, prompt, explanation, choices=_marked(choices))


def multiple(prompt: str, choices: list[str], explanation: str, *, partial_credit: bool = False) -> QuestionSpec:
    return QuestionSpec(
        QuestionKind.MULTIPLE, prompt, explanation, choices=_marked(choices), partial_credit=partial_credit
    )


TRUE_FALSE_TEXTS = (TRUE_TEXT, FALSE_TEXT)


def true_false(prompt: str, answer: bool, explanation: str) -> QuestionSpec:
    """Stored as "True" and "False" in every bank; the attempt page shows them in the reader's language."""
    yes, no = TRUE_FALSE_TEXTS
    return QuestionSpec(
        QuestionKind.TRUE_FALSE,
        prompt,
        explanation,
        choices=(ChoiceSpec(yes, correct=answer), ChoiceSpec(no, correct=not answer)),
    )


def numeric(prompt: str, answer: str, explanation: str, *, tolerance: str = "0") -> QuestionSpec:
    return QuestionSpec(
        QuestionKind.NUMERIC, prompt, explanation, numeric_answer=Decimal(answer), tolerance=Decimal(tolerance)
    )


def short_text(prompt: str, accepted: list[str], explanation: str) -> QuestionSpec:
    return QuestionSpec(QuestionKind.SHORT_TEXT, prompt, explanation, accepted_answers=tuple(accepted))


def ordering(prompt: str, in_order: list[str], explanation: str, *, partial_credit: bool = False) -> QuestionSpec:
    return QuestionSpec(
        QuestionKind.ORDERING,
        prompt,
        explanation,
        choices=tuple(ChoiceSpec(text) for text in in_order),
        partial_credit=partial_credit,
    )


def matching(
    prompt: str, pairs: list[tuple[str, str]], explanation: str, *, partial_credit: bool = False
) -> QuestionSpec:
    return QuestionSpec(
        QuestionKind.MATCHING,
        prompt,
        explanation,
        choices=tuple(ChoiceSpec(left, match=right) for left, right in pairs),
        partial_credit=partial_credit,
    )


@dataclass(frozen=True)
class BankSpec:
    name: str
    description: str
    questions: tuple[QuestionSpec, ...]


@dataclass(frozen=True)
class QuizSpec:
    title: str
    question_count: int
    pass_mark: int


@dataclass(frozen=True)
class CourseSpec:
    slug: str
    language: str
    title: str
    summary: str
    level: str
    minutes: int
    competencies: tuple[str, ...]
    cover: str
    bank: BankSpec
    exam: QuizSpec
    lessons: tuple[LessonSpec, ...] = ()
    sections: tuple[SectionSpec, ...] = ()
    minimum_tier: str = ""
    prerequisites: tuple[str, ...] = ()  # slugs of courses listed before this one
    practice: QuizSpec | None = None


@dataclass(frozen=True)
class CatalogSpec:
    slug: str
    title: str
    intro: str
    title_fa: str
    intro_fa: str


CATALOG = CatalogSpec(
    "courses",
    "Courses",
    "Self-paced courses for partner engineers, consultants and pre-sales teams, in English and Persian. Complete a course's lessons and pass its final exam to add it to your record.",
    "دوره‌ها",
    "دوره‌های خودآموز برای مهندسان، مشاوران و تیم‌های پیش‌فروش شرکا، به فارسی و انگلیسی. درس‌های هر دوره را کامل کنید و در آزمون پایانی آن قبول شوید تا در کارنامه‌ی شما ثبت شود.",
)


@dataclass(frozen=True)
class PathSpec:
    slug: str
    title: str
    summary: str
    cover: str
    courses: tuple[str, ...]  # course slugs, in order


# Course 1: Cloud Security Fundamentals (English) -------------------------------------------

CLOUD_SECURITY_FUNDAMENTALS = CourseSpec(
    slug="cloud-security-fundamentals",
    language="en",
    title="Cloud Security Fundamentals",
    summary="The security basics every partner engineer needs before deploying customer workloads on Abrzad Cloud: the shared responsibility model, identity and access management, encryption, and logging with a first response plan.",
    level="beginner",
    minutes=60,
    competencies=("cloud-security",),
    cover="cover-cloud-security",
    lessons=(
        LessonSpec(
            "shared-responsibility",
            "The shared responsibility model",
            15,
            (
                heading("Who secures what?"),
                paragraph(
                    "<p>Moving a workload to the cloud does not move all of its security to the provider. "
                    "Abrzad Cloud secures the <b>physical data centres, hosts, network and hypervisor</b>. "
                    "Your customer — and you, as the partner who deploys for them — secure everything that runs on top: "
                    "operating systems, applications, identities and data.</p>"
                    "<p>Where the line sits depends on the service model. The more managed the service, the less the customer has to patch, "
                    "but <i>data and access are always the customer's responsibility</i>.</p>"
                ),
                image(
                    "diagram-shared-responsibility",
                    "Five stacked layers: data and access, applications and operating system belong to the customer; virtualisation and physical hosts belong to the provider.",
                    "In IaaS, the customer owns the top three layers.",
                ),
                accordion(
                    "Responsibility by service model",
                    [
                        (
                            "Infrastructure as a service (IaaS)",
                            "<p>Virtual machines, disks and networks. The customer patches the operating system, configures firewalls, manages users and protects data.</p>",
                        ),
                        (
                            "Platform as a service (PaaS)",
                            "<p>Managed databases, container platforms and functions. The provider patches the runtime; the customer secures application code, configuration, access and data.</p>",
                        ),
                        (
                            "Software as a service (SaaS)",
                            "<p>Complete applications such as mail or CRM. The customer still decides who has access and what data goes in.</p>",
                        ),
                    ],
                ),
                callout(
                    "tip",
                    "Write it down",
                    "<p>Before go-live, agree a one-page responsibility matrix with the customer. Most cloud incidents we see at partners start with a task each side thought the other was doing.</p>",
                ),
                check(
                    "A customer runs its web shop on Abrzad Cloud virtual machines (IaaS). Who patches the guest operating system?",
                    [
                        "Abrzad Cloud, as the provider",
                        "*The customer, or the partner operating the workload for them",
                        "Nobody: cloud images patch themselves",
                    ],
                    "<p>In IaaS the provider's responsibility ends at the hypervisor. Everything inside the virtual machine, including the operating system, is the customer's job.</p>",
                ),
            ),
        ),
        LessonSpec(
            "identity-and-access",
            "Identity and access management",
            15,
            (
                heading("Least privilege, in practice"),
                paragraph(
                    "<p>Most cloud breaches do not break encryption; they sign in. Identity and access management (IAM) decides who can do what, so it is the first control to get right.</p>"
                    "<ul><li>Give every person their own identity; never share accounts.</li>"
                    "<li>Grant roles to <b>groups</b>, not to individual users, so access follows the job.</li>"
                    "<li>Start from no permissions and add only what a task needs (<i>least privilege</i>).</li>"
                    "<li>Prefer short-lived credentials for applications over long-lived access keys.</li></ul>"
                ),
                heading("Creating a read-only role", "h3"),
                code(
                    "bash",
                    """
# A role that can read metrics and logs, and change nothing
abrzad iam role create monitoring-readonly \\
  --description "Read metrics and logs only" \\
  --allow "metrics:Read*" --allow "logs:Read*"

# Grant it to a group, never to individual users
abrzad iam group attach-role monitoring --role monitoring-readonly
""",
                ),
                callout(
                    "warning",
                    "Protect the root account",
                    "<p>The account owner (root) can do everything, including closing the account. Turn on multi-factor authentication, delete its access keys and keep it for break-glass tasks only.</p>",
                ),
                check(
                    "Which of these follow the principle of least privilege? Choose all that apply.",
                    [
                        "*Granting the monitoring team a read-only role",
                        "*Removing a role from a group when the project ends",
                        "Giving every developer administrator rights to save time",
                        "Sharing one service account between all applications",
                    ],
                    "<p>Least privilege means each identity has only the permissions its current task needs, and loses them when the task ends.</p>",
                ),
            ),
        ),
        LessonSpec(
            "encryption",
            "Encrypting data at rest and in transit",
            15,
            (
                heading("Two states, two controls"),
                paragraph(
                    "<p><b>Data at rest</b> — on disks, in buckets and databases — is protected by storage encryption with keys held in the key management service. "
                    "<b>Data in transit</b> — between users, services and regions — is protected by TLS or a VPN tunnel. One does not replace the other.</p>"
                ),
                code(
                    "yaml",
                    """
# storage-bucket.yaml
bucket:
  name: customer-invoices
  encryption:
    at_rest: aes-256
    key: kms://projects/acme/keys/invoices   # customer-managed key
  transport:
    require_tls: true
    minimum_tls_version: "1.2"
  public_access: blocked
""",
                ),
                accordion(
                    "Choosing who holds the keys",
                    [
                        (
                            "Provider-managed keys",
                            "<p>The default. Simple and free, and enough for most workloads: the provider creates, stores and rotates the keys.</p>",
                        ),
                        (
                            "Customer-managed keys",
                            "<p>Keys live in the customer's key management service. The customer controls rotation and can revoke access — often required by regulators.</p>",
                        ),
                        (
                            "External keys",
                            "<p>Keys are held outside the cloud in the customer's own hardware security module. The strongest control, and the most operational work.</p>",
                        ),
                    ],
                ),
                callout(
                    "note",
                    "Rotation",
                    "<p>Rotate customer-managed keys at least once a year, and at once if you suspect a key was exposed. Rotation keeps old versions so existing data stays readable.</p>",
                ),
            ),
        ),
        LessonSpec(
            "logging-and-response",
            "Logging, monitoring and first response",
            15,
            (
                heading("You cannot respond to what you cannot see"),
                paragraph(
                    "<p>Turn on audit logging in every region before the first workload goes live, and send the logs to a separate, locked-down account so an attacker cannot erase their tracks. "
                    "Then alert on the handful of events that almost always matter.</p>"
                ),
                code(
                    "json",
                    """
{
  "name": "root-account-sign-in",
  "source": "audit-log",
  "condition": {"event": "console.sign_in", "identity.type": "root"},
  "severity": "critical",
  "notify": ["secops@customer.example", "oncall-pager"]
}
""",
                ),
                heading("When an access key leaks", "h3"),
                paragraph(
                    "<ol><li>Disable the key straight away.</li>"
                    "<li>Use the audit log to find everything the key was used for.</li>"
                    "<li>Undo unauthorised changes and remove anything the attacker created.</li>"
                    "<li>Write up the incident and what will prevent it next time.</li></ol>"
                ),
                document("checklist-cloud-security", "Go-live security checklist (PDF)"),
                check(
                    "An alert says someone signed in with the root account at 03:00. What do you do first?",
                    [
                        "Wait for the morning to ask the customer",
                        "*Treat it as an incident: confirm with the account owner and, if unexpected, lock the account down",
                        "Delete the audit log entry to clear the alert",
                    ],
                    "<p>Root sign-in is rare by design. If the owner did not expect it, assume compromise and follow the incident plan.</p>",
                ),
            ),
        ),
    ),
    bank=BankSpec(
        "Cloud Security Fundamentals",
        "Questions for the Cloud Security Fundamentals practice quiz and final exam.",
        (
            single(
                "Under the shared responsibility model, who patches the guest operating system of an IaaS virtual machine?",
                [
                    "*The customer, or the partner operating the workload",
                    "The cloud provider",
                    "The hardware manufacturer",
                    "Nobody: it is patched automatically",
                ],
                "In IaaS the provider secures the hosts and the hypervisor; everything inside the virtual machine is the customer's job.",
            ),
            single(
                "Which principle says every identity should have only the permissions its task needs?",
                ["*Least privilege", "Defence in depth", "Separation of duties", "Security through obscurity"],
                "Least privilege limits what a stolen or misused identity can do.",
            ),
            multiple(
                "Which are good practices for the root (account owner) identity? Select all that apply.",
                [
                    "*Enforce multi-factor authentication",
                    "*Use it only for tasks that require it",
                    "*Delete its access keys",
                    "Share it with the on-call team for emergencies",
                    "Use it for daily administration",
                ],
                "The root identity can do everything, so it is protected with MFA, has no keys and is kept for break-glass tasks.",
                partial_credit=True,
            ),
            multiple(
                "Which of these protect data in transit?",
                ["*TLS 1.2 or later", "*An IPsec VPN tunnel", "Disk encryption", "Object versioning"],
                "Disk encryption protects data at rest and versioning protects against deletion; only TLS and VPN tunnels protect data while it moves.",
            ),
            true_false(
                "Encrypting a storage volume also protects the data while it travels between the application and the database.",
                False,
                "Volume encryption protects data at rest only; data in transit needs TLS or a VPN tunnel.",
            ),
            true_false(
                "Multi-factor authentication should be enforced for every administrator, not only for the root account.",
                True,
                "Any administrator's stolen password can do serious damage, so MFA is required for all of them.",
            ),
            numeric(
                "A service level objective promises 99.9% availability over a 30-day month. How many minutes of downtime does it allow? (One decimal place.)",
                "43.2",
                "A 30-day month has 30 × 24 × 60 = 43,200 minutes; 0.1% of that is 43.2 minutes.",
                tolerance="0.5",
            ),
            numeric(
                "Policy requires access keys to be rotated every 90 days. How many times is a key rotated in 360 days?",
                "4",
                "360 ÷ 90 = 4 rotations.",
            ),
            short_text(
                "What is the three-letter abbreviation for the service that manages users, groups, roles and permissions in a cloud account?",
                ["IAM", "Identity and Access Management", "Identity and Access Management (IAM)"],
                "Identity and access management (IAM) decides who can do what in the account.",
            ),
            short_text(
                "Which protocol, known by its three-letter abbreviation, encrypts HTTPS traffic?",
                ["TLS", "Transport Layer Security"],
                "HTTPS is HTTP over Transport Layer Security (TLS); use version 1.2 or later.",
            ),
            ordering(
                "Put the first steps of responding to a leaked access key in order.",
                [
                    "Disable the leaked key",
                    "Find what the key was used for in the audit log",
                    "Undo unauthorised changes",
                    "Write up the incident and how to prevent it",
                ],
                "Stop the damage first, then investigate, then repair, and finally learn from it.",
                partial_credit=True,
            ),
            ordering(
                "Order these hosting models from the most customer responsibility to the least.",
                [
                    "On-premises data centre",
                    "Infrastructure as a service (IaaS)",
                    "Platform as a service (PaaS)",
                    "Software as a service (SaaS)",
                ],
                "Each step up the stack hands more layers to the provider, but data and access always stay with the customer.",
            ),
            matching(
                "Match each control to the threat it mainly addresses.",
                [
                    ("Multi-factor authentication", "Stolen passwords"),
                    ("Encryption at rest", "Lost or stolen disks and backups"),
                    ("Audit logging with alerts", "Misuse that goes unnoticed"),
                    ("Network security groups", "Unwanted inbound connections"),
                ],
                "Each control closes a different door; a secure deployment uses all of them together.",
                partial_credit=True,
            ),
            matching(
                "Match each service model to what the customer still manages.",
                [
                    ("IaaS", "Operating system, applications and data"),
                    ("PaaS", "Application code, configuration and data"),
                    ("SaaS", "User access and the data put in"),
                ],
                "The more managed the service, the fewer layers the customer manages — but never zero.",
            ),
            single(
                "Where should an application on a cloud virtual machine get its database password?",
                [
                    "*From the secrets manager, at runtime",
                    "Hard-coded in the source code",
                    "From a .env file committed to the repository",
                    "From the virtual machine's tags",
                ],
                "A secrets manager keeps the password out of code and images, controls who can read it and makes rotation possible.",
            ),
            multiple(
                "Which events should raise an alert in a customer's cloud account? Select all that apply.",
                [
                    "*A sign-in with the root account",
                    "*Audit logging being turned off",
                    "*A new access key created for an administrator",
                    "A scheduled backup finishing successfully",
                ],
                "Root use, disabled logging and new admin keys are classic signs of an attacker; a successful backup is routine.",
                partial_credit=True,
            ),
        ),
    ),
    practice=QuizSpec("Cloud Security Fundamentals — practice quiz", 5, 60),
    exam=QuizSpec("Cloud Security Fundamentals — final exam", 10, 70),
)

# Course 2: Zero Trust Architecture for Partners (English, gold tier, in sections) -----------

ZERO_TRUST = CourseSpec(
    slug="zero-trust-architecture",
    language="en",
    title="Zero Trust Architecture for Partners",
    summary="Design and roll out zero trust for customers: continuous verification of users and devices, identity-aware access instead of VPNs, microsegmentation, and a phased rollout plan you can sell as a project.",
    level="advanced",
    minutes=240,
    competencies=("cloud-security", "networking"),
    cover="cover-zero-trust",
    minimum_tier="gold",
    prerequisites=("cloud-security-fundamentals",),
    sections=(
        SectionSpec(
            "principles",
            "Principles",
            "What zero trust means, and why identity has replaced the network perimeter.",
            (
                LessonSpec(
                    "never-trust-always-verify",
                    "Never trust, always verify",
                    40,
                    (
                        heading("The perimeter is gone"),
                        paragraph(
                            "<p>Classic networks trusted anything inside the firewall. Today users work from home, applications run in several clouds and attackers who get one foothold move sideways for weeks. "
                            "Zero trust drops the idea of a trusted inside: <b>every request is authenticated, authorised and encrypted</b>, wherever it comes from.</p>"
                        ),
                        image(
                            "diagram-zero-trust",
                            "A user and device reach a resource only through an enforcement point, which asks the policy engine for a decision on each request.",
                            "Every request passes an enforcement point that asks the policy engine.",
                        ),
                        accordion(
                            "The NIST SP 800-207 building blocks",
                            [
                                (
                                    "Policy engine",
                                    "<p>Decides whether to grant access, using identity, device, context and threat signals.</p>",
                                ),
                                (
                                    "Policy administrator",
                                    "<p>Acts on the decision: opens or closes the communication path and issues session credentials.</p>",
                                ),
                                (
                                    "Policy enforcement point",
                                    "<p>Sits in front of the resource and allows or blocks the traffic.</p>",
                                ),
                            ],
                        ),
                        callout(
                            "note",
                            "Zero trust is a strategy, not a product",
                            "<p>No single appliance makes a customer zero trust. Position it as a programme of projects, each of which reduces risk on its own.</p>",
                        ),
                        check(
                            "Which statement best describes zero trust?",
                            [
                                "Traffic from the corporate network is trusted, traffic from outside is not",
                                "*No user, device or network location is trusted by default; each request is verified",
                                "A VPN makes remote users part of the trusted network",
                            ],
                            "<p>Zero trust verifies every request on its own merits. Network location alone never grants access.</p>",
                        ),
                    ),
                ),
                LessonSpec(
                    "identity-is-the-perimeter",
                    "Identity is the new perimeter",
                    50,
                    (
                        heading("Strong identity first"),
                        paragraph(
                            "<p>If identity is the perimeter, it has to be strong: one identity provider for the workforce, <b>phishing-resistant MFA</b> (passkeys or FIDO2 keys) for everyone, and device identity so a policy can tell a managed laptop from an internet café.</p>"
                        ),
                        heading("An access policy", "h3"),
                        code(
                            "yaml",
                            """
policy: finance-app-access
resource: app://finance.internal
allow:
  when:
    identity.groups: [finance, finance-auditors]
    identity.mfa: phishing-resistant
    device.managed: true
    device.os_patch_age_days: "<= 14"
    risk.score: "< 40"
session:
  reevaluate_every: 15m
deny_by_default: true
""",
                        ),
                        callout(
                            "tip",
                            "Start with the admins",
                            "<p>Administrators are the most attractive targets. Moving them to phishing-resistant MFA and managed devices first gives customers the biggest risk reduction for the least disruption.</p>",
                        ),
                        check(
                            "Which signals does the policy above use? Choose all that apply.",
                            ["*Group membership", "*Device patch level", "The user's office floor", "*A risk score"],
                            "<p>The policy combines identity, device and risk signals, and re-evaluates them every 15 minutes.</p>",
                        ),
                    ),
                ),
            ),
        ),
        SectionSpec(
            "implementation",
            "Implementation",
            "Segmenting networks, replacing VPN access and rolling zero trust out in phases.",
            (
                LessonSpec(
                    "microsegmentation",
                    "Microsegmentation",
                    60,
                    (
                        heading("Shrinking the blast radius"),
                        paragraph(
                            "<p>Microsegmentation gives each workload tier its own small zone and allows only the flows the application needs. An attacker who compromises a web server can then reach the API on one port — not the database, the backups or the domain controllers.</p>"
                        ),
                        code(
                            "bash",
                            """
# Only the web tier may reach the API tier, and only on 8443
abrzad network segment create web --workloads "tag:tier=web"
abrzad network segment create api --workloads "tag:tier=api"
abrzad network rule create --from web --to api --port 8443 --protocol tcp
abrzad network rule create --from any --to api --action deny --log
""",
                        ),
                        callout(
                            "warning",
                            "Map the flows before you block",
                            "<p>Run new rules in log-only mode for at least one business cycle (often a month, to catch month-end jobs) before enforcing them.</p>",
                        ),
                        check(
                            "What is the main benefit of microsegmentation?",
                            [
                                "*It limits how far an attacker can move after a compromise",
                                "It removes the need for authentication",
                                "It makes the network faster",
                            ],
                            "<p>Segments stop lateral movement, so one compromised workload does not expose the whole environment.</p>",
                        ),
                    ),
                ),
                LessonSpec(
                    "rolling-out-zero-trust",
                    "Continuous verification and a phased rollout",
                    90,
                    (
                        heading("A rollout customers can follow"),
                        paragraph(
                            "<ol><li>Inventory users, devices, applications and data flows.</li>"
                            "<li>Pick a pilot application and define its access policy.</li>"
                            "<li>Run the policy in monitoring mode and tune it.</li>"
                            "<li>Enforce, then retire the VPN path for that application.</li>"
                            "<li>Repeat for the next group of applications.</li></ol>"
                        ),
                        accordion(
                            "Frequently asked by customers",
                            [
                                (
                                    "Do we have to replace our firewalls?",
                                    "<p>No. Existing firewalls stay useful for coarse segmentation; zero trust adds identity-aware controls in front of applications.</p>",
                                ),
                                (
                                    "How long does it take?",
                                    "<p>A first application is usually protected in six to ten weeks. A full programme runs over one to three years.</p>",
                                ),
                                (
                                    "What about legacy applications?",
                                    "<p>Put them behind an identity-aware proxy or an enforcement gateway so they benefit without code changes.</p>",
                                ),
                            ],
                        ),
                        callout(
                            "tip",
                            "Measure progress",
                            "<p>Report the share of applications behind the enforcement point and the share of sign-ins with phishing-resistant MFA. Both make progress visible to the customer's board.</p>",
                        ),
                        check(
                            "What should happen right after defining the pilot application's policy?",
                            [
                                "Block all other traffic at once",
                                "*Run the policy in monitoring mode and tune it",
                                "Retire the VPN for every application",
                            ],
                            "<p>Monitoring mode shows what the policy would block, so you can fix it before anyone is locked out.</p>",
                        ),
                    ),
                ),
            ),
        ),
    ),
    bank=BankSpec(
        "Zero Trust Architecture for Partners",
        "Questions for the Zero Trust Architecture for Partners final exam.",
        (
            single(
                "What is the core assumption of a zero trust architecture?",
                [
                    "*No user, device or network location is trusted by default",
                    "Traffic inside the corporate network is safe",
                    "Users connected through the VPN are trusted",
                    "A strong perimeter firewall is enough",
                ],
                "Zero trust verifies every request; being inside the network grants nothing by itself.",
            ),
            single(
                "In the NIST SP 800-207 model, which component decides whether to grant access?",
                [
                    "*The policy engine",
                    "The policy enforcement point",
                    "The identity provider",
                    "The security information and event management system",
                ],
                "The policy engine decides, the policy administrator acts on the decision and the enforcement point allows or blocks the traffic.",
            ),
            multiple(
                "Which signals can a policy engine use when it decides on a request? Select all that apply.",
                [
                    "*The user's identity and groups",
                    "*The device's health and patch level",
                    "*The location and time of the request",
                    "The fact that the request comes from the office network, as proof of trust",
                ],
                "Context signals are useful inputs, but network location alone is never proof of trust.",
                partial_credit=True,
            ),
            multiple(
                "Which are benefits of microsegmentation?",
                [
                    "*It limits lateral movement",
                    "*It reduces the blast radius of a breach",
                    "It removes the need for identity checks",
                    "It makes firewall rules unnecessary",
                ],
                "Segmentation contains breaches; it complements identity checks rather than replacing them.",
            ),
            true_false(
                "In a zero trust architecture, a user who signed in once in the morning can reach every application for the rest of the day without further checks.",
                False,
                "Access is granted per request and per session, and sessions are re-evaluated continuously.",
            ),
            true_false(
                "A customer can adopt zero trust gradually, one application or user group at a time.",
                True,
                "A phased rollout is the norm: each protected application reduces risk on its own.",
            ),
            numeric(
                "How many usable host addresses does an IPv4 /26 subnet have?",
                "62",
                "A /26 has 2^6 = 64 addresses; the network and broadcast addresses leave 62 usable.",
            ),
            numeric(
                "A policy engine re-evaluates each session every 15 minutes. About how many evaluations does a session get over an 8-hour working day?",
                "32",
                "8 hours × 60 minutes ÷ 15 = 32 evaluations.",
                tolerance="1",
            ),
            short_text(
                "Which three-letter abbreviation names the component that allows or blocks traffic in front of a resource?",
                ["PEP", "policy enforcement point"],
                "The policy enforcement point (PEP) carries out the policy engine's decision.",
            ),
            short_text(
                "Name the W3C standard behind passkeys and FIDO2 security keys, used for phishing-resistant sign-in.",
                ["WebAuthn", "Web Authentication", "Web Authentication API"],
                "WebAuthn binds the credential to the website's origin, so a look-alike phishing site cannot use it.",
            ),
            ordering(
                "Put the phases of a zero trust rollout in order.",
                [
                    "Inventory users, devices, applications and data flows",
                    "Define the access policy for a pilot application",
                    "Run the policy in monitoring mode and tune it",
                    "Enforce the policy and retire the VPN path",
                    "Expand to the next group of applications",
                ],
                "Know what you have, pilot, observe, enforce, then repeat.",
                partial_credit=True,
            ),
            ordering(
                "Put the steps of an access request through a zero trust gateway in order.",
                [
                    "The user opens the application",
                    "The enforcement point passes the request's context to the policy engine",
                    "The policy engine evaluates identity, device and risk",
                    "The enforcement point allows or blocks the session",
                ],
                "The enforcement point never decides alone: it asks, then enforces.",
            ),
            matching(
                "Match each NIST zero trust component to its role.",
                [
                    ("Policy engine", "Decides whether to grant access"),
                    ("Policy administrator", "Opens or closes the communication path"),
                    ("Policy enforcement point", "Allows or blocks traffic to the resource"),
                    ("Continuous diagnostics and mitigation", "Reports the health of devices"),
                ],
                "Decision, action, enforcement and device health are separate roles, often in separate products.",
                partial_credit=True,
            ),
            matching(
                "Match each zero trust pillar with an example control.",
                [
                    ("Identity", "Phishing-resistant MFA"),
                    ("Devices", "Endpoint compliance checks"),
                    ("Networks", "Microsegmentation"),
                    ("Data", "Classification and encryption"),
                ],
                "A mature programme has controls in every pillar.",
            ),
            single(
                "A customer wants to stop exposing its administration panel through the VPN. Which approach fits zero trust best?",
                [
                    "*Put an identity-aware proxy in front of the panel",
                    "Move the panel to an unusual port",
                    "Allow the office IP range only",
                    "Give the administrators one shared account",
                ],
                "An identity-aware proxy checks the user and device on every request, without a network-wide VPN.",
            ),
            multiple(
                "Which of these make a device trustworthy enough to reach sensitive data? Select all that apply.",
                [
                    "*Disk encryption is on",
                    "*The operating system is patched within policy",
                    "*Endpoint protection is running",
                    "It is connected to the office Wi-Fi",
                ],
                "Device trust comes from its verified state, not from the network it happens to use.",
                partial_credit=True,
            ),
        ),
    ),
    exam=QuizSpec("Zero Trust Architecture for Partners — final exam", 10, 70),
)

# Course 3: مبانی تحلیل داده (Persian) -----------------------------------------------------

DATA_ANALYTICS_BASICS = CourseSpec(
    slug="data-analytics-basics",
    language="fa",
    title="مبانی تحلیل داده",
    summary="از پرسش کسب‌وکار تا گزارش نهایی: گردآوری و پاک‌سازی داده، خلاصه‌سازی با شاخص‌های آماری و ارائه‌ی یافته‌ها با نمودارهای درست، با مثال‌هایی از پروژه‌های واقعی مشتریان.",
    level="beginner",
    minutes=90,
    competencies=("data-analytics",),
    cover="cover-data-analytics",
    lessons=(
        LessonSpec(
            "from-data-to-decisions",
            "از داده تا تصمیم",
            20,
            (
                heading("تحلیل داده با یک پرسش شروع می‌شود"),
                paragraph(
                    "<p>پیش از باز کردن هر فایل، بپرسید مشتری می‌خواهد چه <b>تصمیمی</b> بگیرد. «فروش را تحلیل کنید» پرسش خوبی نیست؛ "
                    "«کدام منطقه در سه ماه گذشته بیشترین افت فروش را داشته و چرا؟» پرسشی است که می‌توان با داده به آن پاسخ داد.</p>"
                    "<p>یک پروژه‌ی تحلیل داده معمولاً این مراحل را طی می‌کند:</p>"
                    "<ol><li>طرح پرسش کسب‌وکار</li><li>گردآوری داده</li><li>پاک‌سازی و آماده‌سازی</li><li>تحلیل</li><li>ارائه‌ی یافته‌ها و پیشنهادها</li></ol>"
                ),
                callout(
                    "tip",
                    "منبع هر داده را ثبت کنید",
                    "<p>برای هر مجموعه‌داده بنویسید از کجا آمده، چه کسی مسئول آن است و آخرین بار کی به‌روز شده است. این کار بعدها از بحث‌های بی‌پایان درباره‌ی «عدد درست» جلوگیری می‌کند.</p>",
                ),
                check(
                    "کدام‌یک پرسش مناسبی برای شروع یک پروژه‌ی تحلیل داده است؟",
                    [
                        "«همه‌ی داده‌های فروش را بررسی کنید.»",
                        "*«کدام منطقه در سه ماه گذشته بیشترین افت فروش را داشته است؟»",
                        "«یک داشبورد زیبا بسازید.»",
                    ],
                    "<p>پرسش خوب مشخص، قابل اندازه‌گیری و مرتبط با یک تصمیم کسب‌وکار است.</p>",
                ),
            ),
        ),
        LessonSpec(
            "cleaning-data",
            "پاک‌سازی و آماده‌سازی داده",
            25,
            (
                heading("بیشتر وقت تحلیل‌گر همین‌جا می‌گذرد"),
                paragraph(
                    "<p>داده‌های واقعی تقریباً هیچ‌وقت تمیز نیستند: رکوردهای تکراری، تاریخ‌هایی با قالب‌های گوناگون، مقادیر خالی و واحدهای ناهمسان. "
                    "پاک‌سازی داده یعنی این مشکلات را <b>پیدا، اصلاح و مستند</b> کنیم تا تحلیل روی پایه‌ای مطمئن انجام شود.</p>"
                ),
                heading("یک نمونه با SQL", "h3"),
                code(
                    "sql",
                    """
-- Remove duplicates, unify dates and label missing regions
SELECT DISTINCT
    customer_id,
    CAST(order_date AS DATE) AS order_date,
    COALESCE(region, 'unknown') AS region,
    amount
FROM raw_orders
WHERE amount > 0;
""",
                ),
                accordion(
                    "مشکلات رایج و راه‌حل‌ها",
                    [
                        (
                            "رکوردهای تکراری",
                            "<p>با کلید یکتا (مثلاً شماره‌ی سفارش) تکرارها را پیدا و حذف کنید و تعداد حذف‌شده‌ها را گزارش دهید.</p>",
                        ),
                        (
                            "مقادیر خالی",
                            "<p>ابتدا علت خالی بودن را بفهمید. گاهی خالی یعنی «صفر»، گاهی یعنی «نامعلوم»؛ این دو را با هم یکی نکنید.</p>",
                        ),
                        (
                            "حروف عربی و فارسی",
                            "<p>در داده‌های فارسی «ي» و «ی» یا «ك» و «ک» را یکسان کنید، وگرنه یک مشتری دو بار شمرده می‌شود.</p>",
                        ),
                    ],
                ),
                callout(
                    "warning",
                    "داده‌ی خام را تغییر ندهید",
                    "<p>همیشه نسخه‌ای از داده‌ی خام را دست‌نخورده نگه دارید و پاک‌سازی را با اسکریپت انجام دهید تا قابل تکرار باشد.</p>",
                ),
                check(
                    "ستون «منطقه» در برخی ردیف‌ها خالی است. بهترین اقدام اول چیست؟",
                    [
                        "حذف همه‌ی آن ردیف‌ها",
                        "*بررسی علت خالی بودن و مستند کردن تصمیم",
                        "پر کردن آن‌ها با پرتکرارترین منطقه",
                    ],
                    "<p>تا علت را ندانید، هر اصلاحی ممکن است نتیجه‌ی تحلیل را منحرف کند.</p>",
                ),
            ),
        ),
        LessonSpec(
            "descriptive-statistics",
            "خلاصه‌سازی با شاخص‌های آماری",
            20,
            (
                heading("میانگین، میانه و نما"),
                paragraph(
                    "<p><b>میانگین</b> مجموع مقادیر تقسیم بر تعداد آن‌هاست. <b>میانه</b> مقدار وسطی داده‌های مرتب‌شده است و <b>نما</b> پرتکرارترین مقدار. "
                    "وقتی چند سفارش بسیار بزرگ در داده باشد، میانگین بالا می‌رود ولی میانه تقریباً ثابت می‌ماند؛ برای همین در گزارش مبلغ سفارش‌ها معمولاً میانه گویاتر است.</p>"
                ),
                image(
                    "diagram-sales-by-region",
                    "نمودار میله‌ای فروش ماهانه‌ی چهار منطقه همراه با خط روند که رشد تدریجی را نشان می‌دهد.",
                    "فروش ماهانه به تفکیک منطقه، همراه با خط روند.",
                ),
                code(
                    "python",
                    """
import pandas as pd

orders = pd.read_csv("orders.csv", parse_dates=["order_date"])
summary = orders.groupby("region")["amount"].agg(["count", "mean", "median"])
print(summary.sort_values("median", ascending=False))
""",
                ),
                accordion(
                    "کدام شاخص را گزارش کنیم؟",
                    [
                        (
                            "داده‌های متقارن",
                            "<p>وقتی داده‌ی پرت ندارید، میانگین و میانه نزدیک هم‌اند و میانگین کافی است.</p>",
                        ),
                        (
                            "داده‌های چوله",
                            "<p>برای درآمد، مبلغ سفارش یا زمان پاسخ، میانه را همراه با صدک ۹۰ گزارش کنید.</p>",
                        ),
                        (
                            "داده‌های دسته‌ای",
                            "<p>برای داده‌هایی مثل استان یا نوع محصول، نما و درصد هر دسته را گزارش کنید.</p>",
                        ),
                    ],
                ),
            ),
        ),
        LessonSpec(
            "presenting-findings",
            "مصورسازی و ارائه‌ی یافته‌ها",
            25,
            (
                heading("نمودار درست برای پیام درست"),
                paragraph(
                    "<ul><li><b>نمودار خطی</b> برای روند در طول زمان</li>"
                    "<li><b>نمودار میله‌ای</b> برای مقایسه‌ی دسته‌ها</li>"
                    "<li><b>نمودار پراکندگی</b> برای رابطه‌ی دو متغیر عددی</li>"
                    "<li><b>هیستوگرام</b> برای توزیع یک متغیر</li></ul>"
                ),
                callout(
                    "note",
                    "همبستگی، علیت نیست",
                    "<p>اگر فروش بستنی و تعداد غرق‌شدگی هر دو در تابستان بالا می‌روند، یکی علت دیگری نیست؛ هر دو به گرمای هوا وابسته‌اند. در گزارش‌ها از ادعای علت‌ومعلولی بدون آزمایش پرهیز کنید.</p>",
                ),
                accordion(
                    "چک‌لیست یک داشبورد خوب",
                    [
                        ("تمرکز", "<p>حداکثر پنج تا هفت شاخص کلیدی که به پرسش کسب‌وکار پاسخ می‌دهند.</p>"),
                        ("وضوح", "<p>عنوان گویا، برچسب محورها، واحدها و تاریخ آخرین به‌روزرسانی.</p>"),
                        ("صداقت", "<p>محور عمودی نمودار میله‌ای از صفر شروع شود و از نمودارهای سه‌بعدی پرهیز شود.</p>"),
                    ],
                ),
                check(
                    "برای نمایش سهم فروش پنج محصول در ماه گذشته، کدام نمودار مناسب‌تر است؟",
                    ["نمودار خطی", "*نمودار میله‌ای", "نمودار پراکندگی"],
                    "<p>مقایسه‌ی دسته‌ها کار نمودار میله‌ای است؛ نمودار خطی برای روند زمانی است.</p>",
                ),
            ),
        ),
    ),
    bank=BankSpec(
        "مبانی تحلیل داده",
        "پرسش‌های آزمون پایانی دوره‌ی مبانی تحلیل داده.",
        (
            single(
                "کدام شاخص در برابر داده‌های پرت مقاوم‌تر است؟",
                ["*میانه", "میانگین", "دامنه", "انحراف معیار"],
                "میانه فقط به مقدار وسطی داده‌های مرتب‌شده بستگی دارد، پس چند مقدار بسیار بزرگ یا کوچک آن را جابه‌جا نمی‌کند.",
            ),
            single(
                "برای نمایش روند فروش ماهانه در طول یک سال، کدام نمودار مناسب‌تر است؟",
                ["*نمودار خطی", "نمودار دایره‌ای", "نمودار پراکندگی", "هیستوگرام"],
                "نمودار خطی تغییرات یک مقدار را در طول زمان به روشنی نشان می‌دهد.",
            ),
            multiple(
                "کدام موارد از کارهای رایج پاک‌سازی داده هستند؟ همه‌ی موارد درست را انتخاب کنید.",
                [
                    "*حذف رکوردهای تکراری",
                    "*یکسان‌سازی قالب تاریخ‌ها",
                    "*رسیدگی به مقادیر خالی",
                    "انتخاب رنگ‌های داشبورد",
                    "ارسال گزارش نهایی به مدیران",
                ],
                "پاک‌سازی یعنی اصلاح خطاها، تکرارها و ناسازگاری‌ها پیش از تحلیل؛ طراحی و ارسال گزارش مراحل بعدی‌اند.",
                partial_credit=True,
            ),
            multiple(
                "کدام‌یک از داده‌های زیر کمّی (عددی) هستند؟",
                ["*مبلغ فاکتور", "*تعداد کاربران فعال روزانه", "استان محل سکونت مشتری", "نام محصول"],
                "داده‌ی کمّی را می‌توان اندازه گرفت و با آن محاسبه کرد؛ استان و نام محصول داده‌ی دسته‌ای‌اند.",
            ),
            true_false(
                "همبستگی بالا بین دو متغیر ثابت می‌کند که یکی علت دیگری است.",
                False,
                "همبستگی فقط هم‌حرکتی را نشان می‌دهد؛ ممکن است عامل سومی هر دو را تغییر دهد.",
            ),
            true_false(
                "بهتر است منبع و تاریخ به‌روزرسانی هر مجموعه‌داده پیش از تحلیل ثبت شود.",
                True,
                "ثبت منبع و تاریخ، نتایج را قابل پیگیری و قابل اعتماد می‌کند.",
            ),
            numeric(
                "میانگین اعداد ۴، ۸، ۱۰ و ۱۸ چند است؟",
                "10",
                "مجموع این اعداد ۴۰ است و ۴۰ تقسیم بر ۴ برابر ۱۰ می‌شود.",
            ),
            numeric(
                "از ۱۲۰۰ بازدید فروشگاه اینترنتی، ۴۵ خرید انجام شده است. نرخ تبدیل چند درصد است؟ (تا دو رقم اعشار)",
                "3.75",
                "۴۵ تقسیم بر ۱۲۰۰ برابر ۰٫۰۳۷۵ است، یعنی ۳٫۷۵ درصد.",
                tolerance="0.05",
            ),
            short_text(
                "به فرایند شناسایی و اصلاح خطاها، تکرارها و ناسازگاری‌های داده پیش از تحلیل چه می‌گویند؟",
                ["پاک‌سازی داده", "پاکسازی داده", "پاك‌سازي داده", "پاکسازی داده‌ها", "data cleaning"],
                "پاک‌سازی داده پایه‌ی هر تحلیل قابل اعتماد است. هر دو شکل نوشتاری فارسی و عربی پذیرفته می‌شود.",
            ),
            short_text(
                "به مقداری که بیشترین تکرار را در یک مجموعه‌داده دارد چه می‌گویند؟",
                ["نما", "مد", "mode"],
                "نما (مُد) پرتکرارترین مقدار است و برای داده‌های دسته‌ای هم معنا دارد.",
            ),
            ordering(
                "مراحل یک پروژه‌ی تحلیل داده را به ترتیب درست مرتب کنید.",
                [
                    "طرح پرسش کسب‌وکار",
                    "گردآوری داده",
                    "پاک‌سازی و آماده‌سازی",
                    "تحلیل و مدل‌سازی",
                    "ارائه‌ی یافته‌ها و پیشنهادها",
                ],
                "بدون پرسش روشن، گردآوری و تحلیل داده هدفی ندارد؛ ارائه همیشه آخرین گام است.",
                partial_credit=True,
            ),
            ordering(
                "برای مجموعه‌ی ۲، ۳، ۳، ۴ و ۱۳، این شاخص‌ها را از کوچک به بزرگ مرتب کنید.",
                ["میانه", "میانگین", "بیشینه"],
                "میانه ۳، میانگین ۵ و بیشینه ۱۳ است؛ مقدار پرت ۱۳ میانگین را بالا کشیده است.",
            ),
            matching(
                "هر نوع نمودار را به کاربرد مناسبش وصل کنید.",
                [
                    ("نمودار خطی", "روند در طول زمان"),
                    ("نمودار میله‌ای", "مقایسه‌ی دسته‌ها"),
                    ("نمودار پراکندگی", "رابطه‌ی دو متغیر عددی"),
                    ("هیستوگرام", "توزیع یک متغیر عددی"),
                ],
                "انتخاب نمودار به پیامی بستگی دارد که می‌خواهید منتقل کنید.",
                partial_credit=True,
            ),
            matching(
                "هر بخش از دستور SQL را به کارش وصل کنید.",
                [
                    ("SELECT", "انتخاب ستون‌ها"),
                    ("WHERE", "فیلتر کردن ردیف‌ها"),
                    ("GROUP BY", "گروه‌بندی برای تجمیع"),
                    ("ORDER BY", "مرتب‌سازی نتیجه"),
                ],
                "این چهار بخش بیشتر پرس‌وجوهای تحلیلی را می‌سازند.",
            ),
            single(
                "در جدول فروش، ستون «تاریخ» برای برخی ردیف‌ها خالی است. بهترین اقدام اول چیست؟",
                [
                    "*بررسی علت خالی بودن و مستند کردن تصمیم",
                    "حذف فوری همه‌ی آن ردیف‌ها",
                    "پر کردن آن‌ها با تاریخ امروز",
                    "نادیده گرفتن ستون تاریخ",
                ],
                "تا علت مقادیر خالی روشن نشود، هر اصلاحی ممکن است نتیجه را منحرف کند.",
            ),
            multiple(
                "کدام ویژگی‌ها یک داشبورد خوب را می‌سازند؟ همه‌ی موارد درست را انتخاب کنید.",
                [
                    "*تمرکز بر چند شاخص کلیدی",
                    "*برچسب‌ها و واحدهای روشن",
                    "*تاریخ مشخص آخرین به‌روزرسانی",
                    "استفاده از بیشترین تعداد رنگ ممکن",
                    "نمودار سه‌بعدی برای همه‌ی داده‌ها",
                ],
                "داشبورد خوب ساده، روشن و به‌روز است؛ رنگ‌های زیاد و نمودارهای سه‌بعدی خواندن آن را سخت می‌کنند.",
                partial_credit=True,
            ),
        ),
    ),
    exam=QuizSpec("آزمون پایانی مبانی تحلیل داده", 10, 70),
)

# Course 4: شبکه‌های نرم‌افزارمحور (Persian) -------------------------------------------------

SOFTWARE_DEFINED_NETWORKING = CourseSpec(
    slug="software-defined-networking",
    language="fa",
    title="شبکه‌های نرم‌افزارمحور",
    summary="با جدا کردن صفحه‌ی کنترل از صفحه‌ی داده، شبکه‌ی مشتری را از یک نقطه مدیریت و با API خودکار کنید. این دوره معماری SDN، نقش کنترلر، OpenFlow و خودکارسازی امن تغییرات را آموزش می‌دهد.",
    level="intermediate",
    minutes=150,
    competencies=("networking",),
    cover="cover-sdn",
    lessons=(
        LessonSpec(
            "why-sdn",
            "چرا شبکه‌ی نرم‌افزارمحور؟",
            40,
            (
                heading("از پیکربندی دستی تا مدیریت متمرکز"),
                paragraph(
                    "<p>در شبکه‌های سنتی، هر سوئیچ و روتر جداگانه پیکربندی می‌شود و هر دستگاه خودش درباره‌ی مسیر بسته‌ها تصمیم می‌گیرد. "
                    "با بزرگ شدن شبکه، تغییرات کند و خطاهای انسانی زیاد می‌شود.</p>"
                    "<p>در شبکه‌ی نرم‌افزارمحور (SDN)، <b>صفحه‌ی کنترل</b> از دستگاه‌ها جدا و در یک <b>کنترلر</b> متمرکز می‌شود و سوئیچ‌ها فقط بسته‌ها را طبق قوانینی که دریافت کرده‌اند ارسال می‌کنند.</p>"
                ),
                accordion(
                    "سه لایه‌ی معماری SDN",
                    [
                        (
                            "لایه‌ی برنامه‌ها",
                            "<p>برنامه‌هایی مثل متعادل‌ساز بار یا سامانه‌ی امنیتی که نیازهای خود را از طریق رابط شمال‌سو به کنترلر اعلام می‌کنند.</p>",
                        ),
                        (
                            "لایه‌ی کنترل",
                            "<p>کنترلر با دید کامل از شبکه مسیرها را محاسبه و قوانین ارسال را تعیین می‌کند.</p>",
                        ),
                        (
                            "لایه‌ی زیرساخت",
                            "<p>سوئیچ‌ها و روترهایی که قوانین را از طریق رابط جنوب‌سو، مثلاً OpenFlow، دریافت و اجرا می‌کنند.</p>",
                        ),
                    ],
                ),
                callout(
                    "tip",
                    "برای گفتگو با مشتری",
                    "<p>مزیت SDN را با زبان کسب‌وکار بیان کنید: تغییرات سریع‌تر، خطای کمتر و سیاست‌های یکسان در همه‌ی شعبه‌ها.</p>",
                ),
                check(
                    "در SDN تصمیم‌گیری درباره‌ی مسیر ترافیک کجا انجام می‌شود؟",
                    ["در هر سوئیچ به‌طور جداگانه", "*در کنترلر متمرکز", "در کارت شبکه‌ی سرورها"],
                    "<p>کنترلر با دید کلی از شبکه تصمیم می‌گیرد و سوئیچ‌ها فقط قوانین دریافتی را اجرا می‌کنند.</p>",
                ),
            ),
        ),
        LessonSpec(
            "controller-and-data-plane",
            "کنترلر و صفحه‌ی داده",
            50,
            (
                heading("جدول جریان: زبان مشترک کنترلر و سوئیچ"),
                paragraph(
                    "<p>کنترلر قوانین ارسال را در قالب <b>جدول جریان</b> روی سوئیچ‌ها می‌نویسد. هر قانون یک شرط تطبیق (مثلاً آدرس مقصد و درگاه)، یک اولویت و یک اقدام (ارسال، حذف یا فرستادن به کنترلر) دارد.</p>"
                ),
                image(
                    "diagram-sdn-topology",
                    "یک کنترلر در بالا که به چهار سوئیچ متصل است و سوئیچ‌ها به سرورها وصل‌اند.",
                    "کنترلر با همه‌ی سوئیچ‌ها در ارتباط است و قوانین جریان را برایشان می‌فرستد.",
                ),
                heading("مشاهده و افزودن قانون در Open vSwitch", "h3"),
                code(
                    "bash",
                    """
ovs-ofctl dump-flows br0
ovs-ofctl add-flow br0 "priority=100,ip,nw_dst=10.20.0.0/24,actions=output:2"
""",
                ),
                callout(
                    "warning",
                    "کنترلر را تک‌نقطه‌ی خرابی نکنید",
                    "<p>کنترلرها را به‌صورت خوشه‌ای و با افزونگی مستقر کنید. اگر ارتباط سوئیچ با کنترلر قطع شود، قوانین موجود همچنان اجرا می‌شوند، اما تغییرات تازه اعمال نمی‌شوند.</p>",
                ),
            ),
        ),
        LessonSpec(
            "network-automation",
            "خودکارسازی شبکه با API",
            60,
            (
                heading("تغییر شبکه مثل تغییر کد"),
                paragraph(
                    "<p>کنترلرهای SDN رابط REST دارند و تقریباً همه‌ی کارها را می‌توان با یک درخواست HTTP انجام داد. "
                    "وقتی تغییرات در مخزن کد تعریف، بازبینی و آزمون شوند، شبکه قابل پیش‌بینی و قابل بازگشت می‌شود.</p>"
                ),
                code(
                    "python",
                    """
import requests

CONTROLLER = "https://sdn-controller.example/api/v1"
rule = {
    "switch": "leaf-03",
    "match": {"ip_dst": "10.20.0.0/24", "tcp_dst": 443},
    "action": "forward",
    "out_port": 12,
    "priority": 200,
}
response = requests.post(f"{CONTROLLER}/flows", json=rule, timeout=10)
response.raise_for_status()
""",
                ),
                accordion(
                    "ابزارهای رایج خودکارسازی",
                    [
                        ("Ansible", "<p>برای اجرای یکسان تغییرات روی ده‌ها دستگاه با فایل‌های YAML خوانا.</p>"),
                        ("NETCONF و YANG", "<p>پروتکل و مدل داده‌ی استاندارد برای پیکربندی تراکنشی دستگاه‌ها.</p>"),
                        ("REST API کنترلر", "<p>ساده‌ترین راه برای یکپارچه‌سازی شبکه با سامانه‌های دیگر مشتری.</p>"),
                    ],
                ),
                callout(
                    "note",
                    "برنامه‌ی بازگشت",
                    "<p>پیش از اعمال هر تغییر خودکار در شبکه‌ی عملیاتی، راه بازگشت آن را آزموده باشید.</p>",
                ),
                check(
                    "پیش از اعمال یک تغییر خودکار در شبکه‌ی عملیاتی، کدام کارها لازم است؟ همه‌ی موارد درست را انتخاب کنید.",
                    [
                        "*آزمون در محیط آزمایشی",
                        "*آماده کردن برنامه‌ی بازگشت",
                        "اعمال همزمان در همه‌ی مراکز داده",
                        "*بازبینی تغییر توسط یک همکار",
                    ],
                    "<p>آزمون، بازبینی و برنامه‌ی بازگشت خطر تغییرات خودکار را کم می‌کنند؛ اعمال همزمان در همه‌جا خطر را بیشتر می‌کند.</p>",
                ),
            ),
        ),
    ),
    bank=BankSpec(
        "شبکه‌های نرم‌افزارمحور",
        "پرسش‌های آزمون پایانی دوره‌ی شبکه‌های نرم‌افزارمحور.",
        (
            single(
                "در شبکه‌ی نرم‌افزارمحور، تصمیم‌گیری درباره‌ی مسیر ترافیک در کدام بخش متمرکز می‌شود؟",
                ["*صفحه‌ی کنترل (کنترلر)", "صفحه‌ی داده (سوئیچ‌ها)", "کارت شبکه‌ی سرورها", "کابل‌کشی ساختمان"],
                "SDN صفحه‌ی کنترل را از دستگاه‌ها جدا و در کنترلر متمرکز می‌کند.",
            ),
            single(
                "کدام پروتکل نخستین استاندارد پرکاربرد برای ارتباط کنترلر با سوئیچ‌ها بود؟",
                ["*OpenFlow", "BGP", "SNMP", "DHCP"],
                "OpenFlow رابط جنوب‌سوی استانداردی است که کنترلر با آن جدول جریان سوئیچ‌ها را مدیریت می‌کند.",
            ),
            multiple(
                "کدام موارد از مزایای SDN هستند؟ همه‌ی موارد درست را انتخاب کنید.",
                [
                    "*مدیریت متمرکز سیاست‌ها",
                    "*خودکارسازی پیکربندی با API",
                    "*اعمال سریع‌تر تغییرات مسیر",
                    "حذف کامل نیاز به سخت‌افزار شبکه",
                    "بی‌نیازی از تدابیر امنیتی",
                ],
                "SDN مدیریت را متمرکز و خودکار می‌کند، اما سخت‌افزار و امنیت همچنان لازم‌اند.",
                partial_credit=True,
            ),
            multiple(
                "کدام ابزارها برای خودکارسازی پیکربندی شبکه به کار می‌روند؟",
                ["*Ansible", "*NETCONF و YANG", "*REST API کنترلر", "Wireshark"],
                "Wireshark ابزار تحلیل بسته‌هاست و پیکربندی را تغییر نمی‌دهد.",
            ),
            true_false(
                "در SDN سوئیچ‌ها همچنان بسته‌ها را ارسال می‌کنند، اما قوانین ارسال را از کنترلر دریافت می‌کنند.",
                True,
                "صفحه‌ی داده در سوئیچ‌ها می‌ماند؛ فقط تصمیم‌گیری به کنترلر منتقل می‌شود.",
            ),
            true_false(
                "اگر کنترلر SDN از دسترس خارج شود، همه‌ی ترافیک شبکه بلافاصله متوقف می‌شود.",
                False,
                "سوئیچ‌ها قوانین موجود را همچنان اجرا می‌کنند؛ فقط تغییرات تازه تا بازگشت کنترلر اعمال نمی‌شوند.",
            ),
            numeric(
                "یک زیرشبکه‌ی IPv4 با پیشوند ‎/24 چند آدرس میزبان قابل استفاده دارد؟",
                "254",
                "این زیرشبکه ۲۵۶ آدرس دارد و با کنار گذاشتن آدرس شبکه و آدرس همه‌پخشی، ۲۵۴ آدرس می‌ماند.",
            ),
            numeric(
                "انتقال یک فایل ۵۰۰ مگابایتی روی لینک ۱ گیگابیت بر ثانیه، بدون سربار، تقریباً چند ثانیه طول می‌کشد؟",
                "4",
                "۵۰۰ مگابایت برابر ۴۰۰۰ مگابیت است و ۴۰۰۰ تقسیم بر ۱۰۰۰ مگابیت بر ثانیه، ۴ ثانیه می‌شود.",
                tolerance="0.5",
            ),
            short_text(
                "به جزء مرکزی که دید کلی از شبکه دارد و قوانین ارسال را به سوئیچ‌ها می‌فرستد چه می‌گویند؟",
                ["کنترلر", "كنترلر", "کنترل‌کننده", "controller"],
                "کنترلر مغز شبکه‌ی نرم‌افزارمحور است. نوشتن با «ک» فارسی یا «ك» عربی هر دو پذیرفته می‌شود.",
            ),
            short_text(
                "بیشتر APIهای REST کنترلرها داده‌ها را در چه قالبی تبادل می‌کنند؟",
                ["JSON", "جیسون"],
                "JSON قالب متنی ساده‌ای است که تقریباً همه‌ی زبان‌های برنامه‌نویسی آن را پشتیبانی می‌کنند.",
            ),
            ordering(
                "مراحل اعمال یک تغییر خودکار در شبکه را به ترتیب درست مرتب کنید.",
                [
                    "تعریف تغییر در مخزن کد",
                    "بازبینی و تأیید تغییر",
                    "آزمون در محیط آزمایشی",
                    "اعمال از طریق API کنترلر",
                    "پایش و تأیید نتیجه",
                ],
                "تغییر شبکه مثل تغییر کد است: تعریف، بازبینی، آزمون، اعمال و پایش.",
                partial_credit=True,
            ),
            ordering(
                "لایه‌های معماری SDN را از بالا به پایین مرتب کنید.",
                ["لایه‌ی برنامه‌ها", "لایه‌ی کنترل", "لایه‌ی زیرساخت"],
                "برنامه‌ها با کنترلر و کنترلر با دستگاه‌های زیرساخت سخن می‌گوید.",
            ),
            matching(
                "هر اصطلاح را به تعریفش وصل کنید.",
                [
                    ("رابط شمال‌سو", "ارتباط برنامه‌ها با کنترلر"),
                    ("رابط جنوب‌سو", "ارتباط کنترلر با سوئیچ‌ها"),
                    ("جدول جریان", "قوانین ارسال بسته در سوئیچ"),
                    ("شبکه‌ی همپوشان", "شبکه‌ی مجازی روی زیرساخت فیزیکی"),
                ],
                "این چهار مفهوم پایه‌ی گفت‌وگو درباره‌ی معماری SDN هستند.",
                partial_credit=True,
            ),
            matching(
                "هر پروتکل را به کاربردش وصل کنید.",
                [
                    ("NETCONF", "پیکربندی دستگاه‌ها"),
                    ("SNMP", "پایش وضعیت دستگاه‌ها"),
                    ("VXLAN", "ساخت شبکه‌های همپوشان"),
                    ("BGP", "مسیریابی بین سامانه‌های خودمختار"),
                ],
                "هر پروتکل در شبکه‌ی مدرن نقش جداگانه‌ای دارد.",
            ),
            single(
                "بهترین روش برای جلوگیری از اختلال شبکه به علت خرابی کنترلر چیست؟",
                [
                    "*استقرار خوشه‌ای کنترلرها با افزونگی",
                    "خرید یک کنترلر قوی‌تر",
                    "خاموش کردن کنترلر در ساعات کم‌بار",
                    "پیکربندی دستی همه‌ی سوئیچ‌ها",
                ],
                "خوشه‌ی کنترلرها با افزونگی، نقطه‌ی خرابی واحد را حذف می‌کند.",
            ),
            multiple(
                "پیش از اعمال یک تغییر خودکار در شبکه‌ی عملیاتی، کدام کارها لازم است؟ همه‌ی موارد درست را انتخاب کنید.",
                [
                    "*آزمون در محیط آزمایشی",
                    "*داشتن برنامه‌ی بازگشت",
                    "*بازبینی تغییر توسط همکار",
                    "اعمال همزمان در همه‌ی مراکز داده",
                ],
                "آزمون، بازبینی و برنامه‌ی بازگشت خطر را کم می‌کنند؛ اعمال همزمان در همه‌جا خطر را بیشتر می‌کند.",
                partial_credit=True,
            ),
        ),
    ),
    exam=QuizSpec("آزمون پایانی شبکه‌های نرم‌افزارمحور", 10, 70),
)

COURSES = [CLOUD_SECURITY_FUNDAMENTALS, ZERO_TRUST, DATA_ANALYTICS_BASICS, SOFTWARE_DEFINED_NETWORKING]

CLOUD_SECURITY_PATH = PathSpec(
    "cloud-security-specialist",
    "Cloud Security Specialist",
    "From the security basics to designing zero trust architectures for customers. Complete both courses, in order, to prepare for the Cloud Security Specialist certification.",
    "cover-path-cloud-security",
    ("cloud-security-fundamentals", "zero-trust-architecture"),
)

# Shared exam rules (the brief for every final exam and practice quiz).
EXAM_RULES = {
    "time_limit_minutes": 30,
    "max_attempts": 3,
    "cooldown_minutes": 60,
    "score_policy": "highest",
    "show_answers": True,
}
PRACTICE_RULES = {
    "time_limit_minutes": None,
    "max_attempts": None,
    "cooldown_minutes": 0,
    "score_policy": "highest",
    "show_answers": True,
}
