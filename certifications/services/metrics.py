"""Business metric values imported from CSV: all rows or none.

The file has a header row with the columns organization (slug), metric (code),
period_end (YYYY-MM-DD) and value (a decimal number, "." as the decimal point). A value
for an organization, metric and period already recorded replaces the old one. Any bad
row refuses the whole file, with every problem listed by line.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from certifications.models import BusinessMetric, MetricValue
from certifications.permissions import can_manage_tiers
from certifications.tiers.tasks import reevaluate_organizations
from lms.accounts.models import User
from lms.i18n import local_digits
from lms.partners.models import Organization

COLUMNS = ("organization", "metric", "period_end", "value")
MAX_ROWS = 100_000


class MetricImportError(ValueError):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class MetricImport:
    rows: int
    organizations: int


def _parse_value(text: str) -> Decimal | None:
    try:
        value = Decimal(text.strip())
    except InvalidOperation:
        return None
    return value if value.is_finite() and abs(value) < Decimal(10) ** 14 else None


def import_metric_values(*, text: str, actor: User) -> MetricImport:
    if not can_manage_tiers(actor):
        raise PermissionDenied(_("Only tier managers can import business metrics."))
    reader = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    header = tuple(name.strip() for name in reader.fieldnames or ())
    if header[: len(COLUMNS)] != COLUMNS:
        raise MetricImportError([_("Line 1: the header must be %(columns)s.") % {"columns": ",".join(COLUMNS)}])
    organizations = dict(Organization.objects.values_list("slug", "pk"))
    metrics = dict(BusinessMetric.objects.values_list("code", "pk"))
    problems: list[str] = []
    values: dict[tuple[int, int, date], Decimal] = {}
    for row in reader:
        line = reader.line_num
        if len(values) >= MAX_ROWS:
            problems.append(_("The file has more than %(limit)s rows; split it.") % {"limit": local_digits(MAX_ROWS)})
            break
        slug, code = (row.get("organization") or "").strip(), (row.get("metric") or "").strip()
        organization, metric = organizations.get(slug), metrics.get(code)
        if organization is None:
            problems.append(
                _("Line %(line)s: no partner organization has the slug “%(slug)s”.") % {"line": line, "slug": slug}
            )
        if metric is None:
            problems.append(
                _("Line %(line)s: no business metric has the code “%(code)s”.") % {"line": line, "code": code}
            )
        try:
            period_end = date.fromisoformat((row.get("period_end") or "").strip())
        except ValueError:
            period_end = None
            problems.append(_("Line %(line)s: period_end must be a date such as 2027-03-31.") % {"line": line})
        value = _parse_value(row.get("value") or "")
        if value is None:
            problems.append(_("Line %(line)s: value must be a number such as 1250.50.") % {"line": line})
        if organization and metric and period_end and value is not None:
            values[(organization, metric, period_end)] = value
    if problems:
        raise MetricImportError(problems)
    if not values:
        raise MetricImportError([_("The file has no rows.")])
    with transaction.atomic():
        MetricValue.objects.bulk_create(
            [
                MetricValue(
                    organization_id=organization,
                    metric_id=metric,
                    period_end=period_end,
                    value=value,
                    source=MetricValue.Source.IMPORT,
                )
                for (organization, metric, period_end), value in values.items()
            ],
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["organization", "metric", "period_end"],
            update_fields=["value", "source", "recorded_at"],
        )
    organization_ids = sorted({organization for organization, _metric, _period in values})
    transaction.on_commit(lambda: reevaluate_organizations.enqueue(organization_ids=organization_ids))
    return MetricImport(rows=len(values), organizations=len(organization_ids))
