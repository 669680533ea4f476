"""The demo playbooks' words: plain data, turned into pages by `playbooks.demo`.

Media are named by key (`Image("key")`, `Document("key")`, `Course("slug")`) and resolved
when the pages are built.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Image:
    key: str


@dataclass(frozen=True)
class Document:
    key: str


@dataclass(frozen=True)
class Course:
    slug: str


@dataclass(frozen=True)
class PlaybookSpec:
    slug: str
    title: str
    language: str
    summary: str
    cover: str
    body: tuple[tuple[str, object], ...]
    competencies: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    minimum_tier: str = ""
    review_in_days: int = 90  # negative: overdue, so the marketer's dashboard lists it


CATALOG_TITLE_FA = "راهنماهای عملیاتی"
CATALOG_INTRO_FA = "پیام‌های کلیدی، پاسخ به اعتراض‌ها، بسته‌های کمپین و راهنمای برند برای فروش همراه ما."

# Covers reuse the course demo's drawing: (key, title, motif, colours).
COVERS = [
    ("playbook-cover-backup", "Playbook cover: tested backups", "shield", ("#0b5f73", "#14213d", "#f59e0b")),
    ("playbook-cover-brand", "Playbook cover: brand", "rings", ("#14213d", "#0b5f73", "#f97316")),
    ("playbook-cover-analytics", "Playbook cover: analytics", "bars", ("#1e3a5f", "#0b5f73", "#facc15")),
    ("playbook-cover-zero-trust", "Playbook cover: zero trust", "mesh", ("#312e81", "#14213d", "#22d3ee")),
]
# Logo variants: (key, title, background, mark colour)
LOGOS = [
    ("logo-full-colour", "Abrzad logo, full colour", "#ffffff", "#0b5f73"),
    ("logo-reversed", "Abrzad logo, reversed", "#14213d", "#ffffff"),
    ("logo-stretched", "Abrzad logo, stretched (wrong)", "#ffffff", "#0b5f73"),
    ("logo-customer-bank", "Pasargad Trust logo", "#f4f6fb", "#7c2d12"),
]
DECKS = [
    (
        "deck-tested-backups",
        "Tested backups: customer pitch deck",
        ("Why restores fail", "Nightly restore tests", "Pricing"),
    ),
    (
        "deck-zero-trust",
        "Zero trust: competitive briefing",
        ("Where firewalls fall short", "Our policy engine", "Proof"),
    ),
]

TESTED_BACKUPS = PlaybookSpec(
    slug="selling-tested-backups",
    title="Selling tested backups",
    language="en",
    summary="Lead with restores that are proven every night, handle the three objections every buyer raises, "
    "and send the ready-made campaign.",
    cover="playbook-cover-backup",
    competencies=("cloud-security",),
    tags=("backup", "campaign"),
    review_in_days=-10,
    body=(
        (
            "key_message",
            {
                "headline": "Backups you can prove, not just promise",
                "supporting_points": [
                    "Every backup is restored and checked automatically each night.",
                    "One console covers on-premises servers and every cloud.",
                    "Reports that auditors accept without extra work.",
                ],
                "proof_points": [
                    {"statement": "99.7% of restores succeed on the first try.", "source": "Customer telemetry, 2026"},
                    {
                        "statement": "Median recovery time cut from 19 hours to 2.",
                        "source": "Pasargad Trust case study",
                    },
                ],
            },
        ),
        (
            "talking_points",
            {
                "title": "",
                "personas": [
                    {
                        "persona": "CIO",
                        "concern": "Risk, cost and audit findings",
                        "points": ["Recovery you can show the board.", "One licence instead of three tools."],
                    },
                    {
                        "persona": "IT operations manager",
                        "concern": "Nights and weekends",
                        "points": ["No more manual restore tests.", "Alerts only when a restore really fails."],
                    },
                ],
            },
        ),
        (
            "objection_handling",
            {
                "title": "",
                "objections": [
                    {"objection": "We already have backups.", "answer": "<p>When did you last <b>restore</b> one?</p>"},
                    {
                        "objection": "It is too expensive.",
                        "answer": "<p>Compare it with one day of downtime: most customers pay less per year.</p>",
                    },
                ],
            },
        ),
        (
            "presentation_template",
            {
                "document": Document("deck-tested-backups"),
                "title": "",
                "description": "Twelve slides for a first meeting. Add your logo on the title slide.",
                "thumbnail": Image("playbook-cover-backup"),
            },
        ),
        (
            "case_study",
            {
                "customer": "Pasargad Trust",
                "industry": "Banking",
                "logo": Image("logo-customer-bank"),
                "challenge": "<p>Restores were tested once a year, and one in five failed.</p>",
                "solution": "<p>Nightly automated restore tests across both data centres.</p>",
                "results": [
                    {"figure": "89%", "label": "shorter recovery time"},
                    {"figure": "0", "label": "audit findings in 2026"},
                ],
                "quote": "For the first time I know our backups work.",
                "quote_author": "Head of infrastructure, Pasargad Trust",
            },
        ),
        (
            "campaign_kit",
            {
                "title": "",
                "emails": [
                    {
                        "subject": "When did you last test a restore?",
                        "body": "Hello {first name},\n\nMost backup failures are found during a disaster. "
                        "We can show you a tested restore in 20 minutes.\n\nBest regards,\n{your name}",
                    }
                ],
                "social_posts": [
                    {"network": "linkedin", "text": "A backup is only as good as its last restore. #backup"},
                ],
            },
        ),
        ("related_courses", {"title": "", "courses": [Course("cloud-security-fundamentals")]}),
    ),
)

BRAND = PlaybookSpec(
    slug="partner-brand-guidelines",
    title="Partner brand guidelines",
    language="en",
    summary="How to use our logo and colours next to yours, with the files to download.",
    cover="playbook-cover-brand",
    tags=("brand",),
    body=(
        (
            "logo_usage",
            {
                "title": "",
                "variants": [
                    {"name": "Full colour", "image": Image("logo-full-colour"), "background": "light"},
                    {"name": "Reversed", "image": Image("logo-reversed"), "background": "dark"},
                ],
                "clear_space": "The height of the letter A on every side.",
                "minimum_size": "24 px on screen, 10 mm in print.",
                "swatches": [
                    {"name": "Abrzad teal", "hex": "#0B5F73", "rgb": "11, 95, 115", "cmyk": "90%, 17%, 0%, 55%"},
                    {"name": "Night", "hex": "#14213D", "rgb": "20, 33, 61", "cmyk": "67%, 46%, 0%, 76%"},
                    {"name": "Ember", "hex": "#C2410C", "rgb": "", "cmyk": "0%, 66%, 94%, 24%"},
                ],
                "examples": [
                    {"kind": "do", "image": Image("logo-full-colour"), "caption": "Keep the clear space around it."},
                    {"kind": "dont", "image": Image("logo-stretched"), "caption": "Do not stretch or recolour it."},
                ],
            },
        ),
        (
            "asset_gallery",
            {
                "title": "",
                "items": [
                    ("image", Image("logo-full-colour")),
                    ("image", Image("logo-reversed")),
                    ("document", Document("deck-tested-backups")),
                ],
            },
        ),
    ),
)

ANALYTICS_FA = PlaybookSpec(
    slug="data-analytics-sales",
    title="راهنمای فروش تحلیل داده",
    language="fa",
    summary="پیام کلیدی، نکته‌های گفت‌وگو و پاسخ به اعتراض‌ها برای فروش داشبوردهای تحلیل داده به مدیران.",
    cover="playbook-cover-analytics",
    competencies=("data-analytics",),
    tags=("تحلیل-داده", "campaign"),
    body=(
        (
            "key_message",
            {
                "headline": "تصمیم بر پایهٔ داده، نه حدس",
                "supporting_points": [
                    "داشبوردهای آماده در کمتر از یک هفته.",
                    "داده‌ها در مرکز داده‌ی خود مشتری می‌مانند.",
                ],
                "proof_points": [{"statement": "۳۰٪ کاهش زمان تهیهٔ گزارش ماهانه.", "source": "نظرسنجی مشتریان ۱۴۰۵"}],
            },
        ),
        (
            "objection_handling",
            {
                "title": "",
                "objections": [
                    {
                        "objection": "داده‌های ما پراکنده است.",
                        "answer": "<p>اتصال‌گرهای آماده بیش از ۴۰ منبع را پوشش می‌دهند.</p>",
                    },
                ],
            },
        ),
        (
            "campaign_kit",
            {
                "title": "",
                "emails": [
                    {
                        "subject": "گزارش ماهانه در یک کلیک",
                        "body": "سلام {نام}،\n\nبیایید در ۲۰ دقیقه داشبورد فروش شما را بسازیم."
                        "\n\nبا احترام،\n{نام شما}",
                    }
                ],
                "social_posts": [{"network": "telegram", "text": "داده‌هایتان حرف می‌زنند؛ ما آن‌ها را ترجمه می‌کنیم."}],
            },
        ),
        ("related_courses", {"title": "", "courses": [Course("data-analytics-basics")]}),
    ),
)

ZERO_TRUST_GOLD = PlaybookSpec(
    slug="zero-trust-competitive-briefing",
    title="Zero trust: competitive briefing",
    language="en",
    summary="How we win against firewall-only vendors. For Gold and Platinum partners only.",
    cover="playbook-cover-zero-trust",
    competencies=("cloud-security", "networking"),
    tags=("zero-trust", "competitive"),
    minimum_tier="gold",
    body=(
        (
            "key_message",
            {
                "headline": "Every request checked, wherever it comes from",
                "supporting_points": ["Policies follow the person, not the network.", "Rolled out site by site."],
                "proof_points": [],
            },
        ),
        (
            "objection_handling",
            {
                "title": "Against firewall-only vendors",
                "objections": [
                    {
                        "objection": "Our firewall vendor says they do zero trust too.",
                        "answer": "<p>Ask how they check a request that is already inside the network.</p>",
                    }
                ],
            },
        ),
        (
            "presentation_template",
            {"document": Document("deck-zero-trust"), "title": "", "description": "", "thumbnail": None},
        ),
        ("related_courses", {"title": "", "courses": [Course("zero-trust-architecture")]}),
    ),
)

PLAYBOOKS = [TESTED_BACKUPS, BRAND, ANALYTICS_FA, ZERO_TRUST_GOLD]
