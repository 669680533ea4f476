"""Message alignment as a business metric the tier rules can read.

`record_acknowledgement_coverage` writes, for each organization, the value of the metric
`playbook-acknowledgement` (unit %) for the period ending on the `as_of` day: the share of
(active member, required playbook) pairs acknowledged at the current version, as worked
out by `playbooks.coverage.coverage_metric`. The period is the day, not the month: the
tier engine ignores periods ending after the evaluation day, so a month-end period would
not count until the month is over. Rules read it with `"aggregate": "latest"`.

Only values that changed are written, in one transaction; the organizations whose value
changed are re-evaluated after the commit, as a metric CSV import does (a bulk upsert
sends no `post_save`).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction

from certifications.models import BusinessMetric, MetricValue
from certifications.tiers.tasks import reevaluate_organizations
from playbooks.coverage import coverage_metrics

METRIC_CODE = "playbook-acknowledgement"
METRIC_DEFAULTS = {
    "name": "Playbook acknowledgement",
    "name_fa": "تأیید مطالعه راهنماهای عملیاتی",
    "description": (
        "Share of the partner's active people and required playbooks where the person "
        "acknowledged the playbook's current version, in percent."
    ),
    "description_fa": "درصد جفت‌های (عضو فعال، راهنمای الزامی) که عضو نسخهٔ کنونی راهنما را تأیید کرده است.",
    "unit": "%",
}


def acknowledgement_metric() -> BusinessMetric:
    metric, _created = BusinessMetric.objects.get_or_create(code=METRIC_CODE, defaults=METRIC_DEFAULTS)
    return metric


def record_acknowledgement_coverage(*, organization_ids: Iterable[int] | None = None, as_of: date) -> int:
    """Upsert the coverage metric of the organizations (all when None) for the day `as_of`;
    returns how many values were written (0 when nothing changed)."""
    ids = None if organization_ids is None else sorted(set(organization_ids))
    with transaction.atomic():
        metric = acknowledgement_metric()
        values = coverage_metrics(organization_ids=ids)
        recorded = dict(
            MetricValue.objects.filter(metric=metric, period_end=as_of, organization_id__in=list(values)).values_list(
                "organization_id", "value"
            )
        )
        changed = {pk: value for pk, value in values.items() if recorded.get(pk) != value}
        if not changed:
            return 0
        MetricValue.objects.bulk_create(
            [
                MetricValue(
                    organization_id=pk,
                    metric=metric,
                    period_end=as_of,
                    value=value,
                    source=MetricValue.Source.COMPUTED,
                )
                for pk, value in changed.items()
            ],
            batch_size=1000,
            update_conflicts=True,
            unique_fields=["organization", "metric", "period_end"],
            update_fields=["value", "source", "recorded_at"],
        )
        changed_ids = sorted(changed)
        transaction.on_commit(lambda: reevaluate_organizations.enqueue(organization_ids=changed_ids))
    return len(changed)
