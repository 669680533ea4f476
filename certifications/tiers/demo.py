"""Demo tier rules: four tiers, headcount rules with sub-quotas, a points track and a manual
audit gate, plus business metrics. The demo organizations then land in different tiers:
one at risk of moving down, one waiting for a tier manager to approve its promotion."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile

from certifications.models import BusinessMetric, GateApproval, MetricValue, TierRuleSet, TierRuleSetVersion
from certifications.services.tiers import evaluate_tiers, today
from lms import clock
from lms.partners.models import Organization
from lms.portal.demo import DemoSummary

RULE_SET_NAME = "Abrzad Partner Program"

METRICS = [
    ("revenue", "Partner-sourced revenue", "درآمد حاصل از شریک", "USD"),
    ("customer-references", "Customer references", "معرفی‌نامه‌های مشتری", ""),
    ("psat", "Partner satisfaction (PSAT)", "رضایت شریک (PSAT)", "%"),
]

CLOUD_SECURITY = {"competencies": ["cloud-security"]}
ADVANCED = {"levels": ["professional", "specialty"]}

DEFINITION = {
    "tiers": [
        {"code": "registered"},
        {
            "code": "silver",
            "requirement": {"type": "headcount", "id": "silver-certified", "minimum": 1, "filter": {}},
        },
        {
            "code": "gold",
            "requirement": {
                "type": "tracks",
                "id": "gold-tracks",
                "tracks": [
                    {
                        "name": "Certification track",
                        "requirement": {
                            "type": "headcount",
                            "id": "gold-headcount",
                            "minimum": 2,
                            "filter": {},
                            "subquotas": [
                                {"label": "cloud security", "minimum": 1, "filter": CLOUD_SECURITY},
                            ],
                        },
                    },
                    {
                        "name": "Business track",
                        "requirement": {
                            "type": "points",
                            "id": "gold-points",
                            "minimum_total": "60",
                            "every_item_above_zero": True,
                            "items": [
                                {
                                    "label": "revenue",
                                    "source": {"metric": "revenue", "aggregate": "sum", "window_months": 12},
                                    "per_unit": "0.0002",
                                    "cap": "40",
                                },
                                {
                                    "label": "certified people",
                                    "source": {"headcount": {}},
                                    "per_unit": "20",
                                    "cap": "40",
                                    "threshold": "1",
                                    "partial_credit": False,
                                },
                            ],
                        },
                    },
                ],
            },
        },
        {
            "code": "platinum",
            "requirement": {
                "type": "all_of",
                "id": "platinum-all",
                "requirements": [
                    {
                        "type": "headcount",
                        "id": "platinum-headcount",
                        "minimum": 3,
                        "filter": {},
                        "subquotas": [
                            {"label": "cloud security", "minimum": 2, "filter": CLOUD_SECURITY},
                            {"label": "professional or specialty", "minimum": 1, "filter": ADVANCED},
                        ],
                    },
                    {"type": "competencies", "id": "platinum-breadth", "minimum": 2, "people_each": 1, "filter": {}},
                    {"type": "gate", "id": "platinum-audit", "gate": "partner-audit", "label": "Annual partner audit"},
                ],
            },
        },
    ],
    "scores": [],
}

# (organization, metric, months ago the quarter ended, value)
METRIC_VALUES = [
    ("zagros-data", "revenue", 1, Decimal(120_000)),
    ("zagros-data", "revenue", 4, Decimal(110_000)),
    ("zagros-data", "psat", 1, Decimal(91)),
    ("parsian-cloud", "revenue", 2, Decimal(80_000)),
    ("northwind-integrators", "revenue", 1, Decimal(450_000)),
    ("northwind-integrators", "customer-references", 1, Decimal(6)),
]


# A one-page PDF standing in for the audit report.
DEMO_EVIDENCE = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)


def load_tier_demo(summary: DemoSummary) -> None:
    for code, name, name_fa, unit in METRICS:
        BusinessMetric.objects.update_or_create(code=code, defaults={"name": name, "name_fa": name_fa, "unit": unit})
    rule_set, _created = TierRuleSet.objects.update_or_create(
        name=RULE_SET_NAME,
        defaults={"is_active": True, "promotion": "approval", "demotion_grace_days": 60, "cadence": "continuous"},
    )
    if not rule_set.versions.exists():
        TierRuleSetVersion.objects.create(
            rule_set=rule_set,
            number=1,
            valid_from=date(2026, 1, 1),
            definition=DEFINITION,
            note="Demo rules",
        )
    organizations = dict(Organization.objects.values_list("slug", "pk"))
    metrics = dict(BusinessMetric.objects.values_list("code", "pk"))
    day = today()
    for slug, code, months_ago, value in METRIC_VALUES:
        if slug in organizations:
            MetricValue.objects.update_or_create(
                organization_id=organizations[slug],
                metric_id=metrics[code],
                period_end=day - timedelta(days=30 * months_ago),
                defaults={"value": value},
            )
    northwind = organizations.get("northwind-integrators")
    if northwind and not GateApproval.objects.filter(organization_id=northwind, gate="partner-audit").exists():
        GateApproval.objects.create(
            organization_id=northwind,
            gate="partner-audit",
            evidence=ContentFile(DEMO_EVIDENCE, name="partner-audit-2026.pdf"),
            note="2026 audit report",
            submitted_at=clock.now(),
            status=GateApproval.Status.APPROVED,
            decided_at=clock.now(),
            expires_on=day + timedelta(days=300),
        )
    evaluate_tiers()
