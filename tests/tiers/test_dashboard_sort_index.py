"""The dashboard's default sort, by the name the reader sees, reads a page of rows in the
order of an index instead of sorting every organization for each page."""

from __future__ import annotations

import pytest
from django.db import connection
from django.utils import translation

from certifications.tiers.selectors import PAGE_SIZE, DashboardFilters, dashboard_organizations
from tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def page_plan(language: str) -> str:
    with translation.override(language):
        rows = dashboard_organizations(filters=DashboardFilters(), today=None)[:PAGE_SIZE]
        if connection.vendor == "postgresql":
            # With a handful of rows PostgreSQL would rightly sort them; forbidding the
            # sort shows whether the index can give the order at all.
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL enable_sort = off")
                cursor.execute("SET LOCAL enable_seqscan = off")
        return rows.explain()


@pytest.mark.parametrize(("language", "index"), [("en", "partners_org_name_idx"), ("fa", "partners_org_name_fa_idx")])
def test_the_name_sort_reads_a_page_in_index_order(language, index):
    OrganizationFactory.create_batch(3)
    plan = page_plan(language)
    assert index in plan, plan
    assert "TEMP B-TREE" not in plan and "Sort" not in plan, plan
