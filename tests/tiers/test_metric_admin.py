"""Business metric values in the Wagtail admin: the CSV import page and the re-evaluation
that follows a value entered or imported."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from certifications.models import BusinessMetric, MetricValue, TierStanding
from lms.partners.roles import StaffRole
from tests.factories import OrganizationFactory
from tests.tiers.test_dashboard import NOW, TODAY, now, rules  # noqa: F401  (now: the clock fixture)

pytestmark = pytest.mark.django_db

IMPORT = "/admin/tiers/metric-values/import/"

# Silver needs 1,000 of revenue in the last 12 months.
METRIC_RULES = {
    "tiers": [
        {"code": "registered"},
        {
            "code": "silver",
            "requirement": {
                "type": "metric",
                "id": "silver-revenue",
                "source": {"metric": "revenue", "aggregate": "sum", "window_months": 12},
                "minimum": "1000",
            },
        },
    ],
    "scores": [],
}


@pytest.fixture
def manager_client(client, make_staff):
    client.force_login(make_staff(StaffRole.TIER_MANAGER))
    return client


@pytest.fixture
def revenue():
    rules(definition=METRIC_RULES)
    return BusinessMetric.objects.create(code="revenue", name="Revenue", unit="USD")


def upload(text: str, name: str = "metrics.csv") -> dict:
    return {"file": SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")}


def test_an_import_records_the_values_and_re_evaluates_the_organization(
    manager_client, revenue, django_capture_on_commit_callbacks
):
    organization = OrganizationFactory(tier="registered")
    period = (TODAY - timedelta(days=20)).isoformat()
    csv_text = f"organization,metric,period_end,value\n{organization.slug},revenue,{period},1200\n"
    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(IMPORT, upload(csv_text))
    assert response.status_code == 302
    assert MetricValue.objects.get(organization=organization).value == Decimal(1200)
    organization.refresh_from_db()
    assert organization.tier == "silver"
    assert TierStanding.objects.get(pk=organization.pk).eligible == "silver"


def test_a_bad_file_lists_its_problems_by_line_and_imports_nothing(manager_client, revenue):
    organization = OrganizationFactory()
    csv_text = (
        "organization,metric,period_end,value\n"
        f"{organization.slug},revenue,2027-01-31,10\n"
        f"{organization.slug},revenue,2027-13-01,ten\n"
    )
    response = manager_client.post(IMPORT, upload(csv_text))
    assert response.status_code == 400
    body = response.content.decode()
    assert "Line 3: period_end must be a date" in body
    assert "Line 3: value must be a number" in body
    assert not MetricValue.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [(b"organization\x00,metric", "not a CSV text file"), ("ذ".encode("utf-16"), "UTF-8")],
)
def test_files_that_are_not_utf8_csv_are_refused(manager_client, revenue, content, message):
    response = manager_client.post(IMPORT, {"file": SimpleUploadedFile("m.csv", content)})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not MetricValue.objects.exists()


def test_only_tier_managers_may_import(client, make_staff, revenue):
    client.force_login(make_staff(StaffRole.COURSE_AUTHOR))
    response = client.get(IMPORT)
    assert response.status_code in (302, 403)
    assert not MetricValue.objects.exists()


def test_the_metric_values_list_offers_the_import(manager_client, revenue):
    response = manager_client.get("/admin/tiers/metric-values/")
    assert response.status_code == 200
    assert IMPORT in response.content.decode()


def test_a_value_entered_in_the_admin_re_evaluates_the_organization(revenue, django_capture_on_commit_callbacks):
    organization = OrganizationFactory(tier="registered")
    with django_capture_on_commit_callbacks(execute=True):
        MetricValue.objects.create(
            organization=organization, metric=revenue, period_end=TODAY - timedelta(days=3), value=Decimal(5000)
        )
    organization.refresh_from_db()
    assert organization.tier == "silver"
