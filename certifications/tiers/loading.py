"""The facts the tier engine judges, loaded with a fixed number of set-based queries.

Four queries whatever the number of organizations: certifications (slug, competency,
level), the active credentials of active members, the metric values and the approved
gates. Nothing is fetched per organization or per person.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection
from datetime import UTC, date, datetime, time, timedelta

from django.db import connection
from django.db.models import F, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from certifications.models import Certification, Credential, GateApproval, MetricValue
from certifications.tiers.rules import CredentialFact, OrganizationFacts
from certifications.tiers.rules import GateApproval as GateFact
from certifications.tiers.rules import MetricValue as MetricFact


def load_facts(*, organization_ids: Collection[int], as_of: date) -> dict[int, OrganizationFacts]:
    """Facts for each of `organization_ids` (every one gets an entry, possibly empty)."""
    ids = list(organization_ids)
    credentials: dict[int, list[CredentialFact]] = defaultdict(list)
    metrics: dict[int, list[MetricFact]] = defaultdict(list)
    gates: dict[int, list[GateFact]] = defaultdict(list)
    if ids:
        _load_credentials(ids, as_of, credentials)
        _load_metrics(ids, as_of, metrics)
        _load_gates(ids, as_of, gates)
    return {
        organization: OrganizationFacts(
            organization=organization,
            as_of=as_of,
            credentials=tuple(credentials.get(organization, ())),
            metrics=tuple(metrics.get(organization, ())),
            gates=tuple(gates.get(organization, ())),
        )
        for organization in ids
    }


def _scoped(queryset, field: str, ids: list[int]):
    """Filter by organization unless every organization is asked for (the full run): a
    10,000-item IN list costs more than it saves."""
    if len(ids) > 500:
        return queryset
    return queryset.filter(**{f"{field}__in": ids})


def _load_credentials(ids: list[int], as_of: date, into: dict[int, list[CredentialFact]]) -> None:
    certifications = {
        pk: (slug, competency or "", level)
        for pk, slug, competency, level in Certification.objects.values_list("pk", "slug", "competency__slug", "level")
    }
    # Valid on as_of: no expiry, or expiring on a later day (in the current time zone).
    first_invalid = timezone.make_aware(datetime.combine(as_of + timedelta(days=1), time()))
    credentials = _scoped(
        Credential.objects.filter(
            Q(expires_at__isnull=True) | Q(expires_at__gte=first_invalid),
            status=Credential.Status.ACTIVE,
            user__is_active=True,
            user__membership__isnull=False,
        ),
        "user__membership__organization_id",
        ids,
    )
    # SQLite computes TruncDate in Python, row by row, and Django converts each value again;
    # there the timestamps are read as the driver returns them and turned into days here.
    expires = F("expires_at") if connection.vendor == "sqlite" else TruncDate("expires_at")
    rows = credentials.values_list("user__membership__organization_id", "user_id", "certification_id", expires)
    zone = timezone.get_current_timezone()
    wanted = set(ids)
    fact = CredentialFact
    for organization, person, certification, expires_at in _raw_rows(rows):
        if organization not in wanted:
            continue
        expires_on = _local_day(expires_at, zone)
        if expires_on is not None and expires_on <= as_of:
            continue
        slug, competency, level = certifications[certification]
        into[organization].append(fact(person, slug, competency, level, expires_on))


def _raw_rows(rows, chunk_size: int = 20_000):
    """The rows of a values_list queryset as the database driver returns them, without
    Django's per-value converters; a server-side cursor on PostgreSQL, as iterator() uses."""
    sql, params = rows.query.sql_with_params()
    with connection.chunked_cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(chunk_size):
            yield from batch


def _local_day(value, zone) -> date | None:
    """The day in `zone` of an expiry: a date as it is (TruncDate), else a timestamp, which
    SQLite's driver returns naive (or as text) in UTC."""
    if value is None or type(value) is date:
        return value
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value.astimezone(zone).date()


def _load_metrics(ids: list[int], as_of: date, into: dict[int, list[MetricFact]]) -> None:
    rows = _scoped(MetricValue.objects.filter(period_end__lte=as_of), "organization_id", ids).values_list(
        "organization_id", "metric__code", "period_end", "value"
    )
    for organization, code, period_end, value in rows.iterator(chunk_size=20_000):
        into[organization].append(MetricFact(code, period_end, value))


def _load_gates(ids: list[int], as_of: date, into: dict[int, list[GateFact]]) -> None:
    rows = _scoped(GateApproval.objects.filter(status=GateApproval.Status.APPROVED), "organization_id", ids)
    for organization, gate, expires_on in rows.values_list("organization_id", "gate", "expires_on"):
        if expires_on is None or expires_on > as_of:
            into[organization].append(GateFact(gate, expires_on))
