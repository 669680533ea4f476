"""The partner tier benchmarks: the full evaluation at scale, the re-evaluation of one
organization and the tier managers' dashboard, over the volume of `bench.tier_volume`.

- `tiers-full` (a ScaleScenario): `evaluate_tiers()` over every organization, the real
  service saving standings, in a child process of its own (`bench.tiers_child`), against
  one raw aggregate over the same data in another: per organization, the distinct people
  holding an active, unexpired credential (credential ⋈ membership, GROUP BY organization).
  The evaluation runs twice, as the first one (every standing created, every tier event
  recorded) and as a second one over the standings the first saved (the nightly run: only
  what changed is written). Each child's peak memory is its own.
- `tiers-one` (a CallScenario): `evaluate_tiers(organization_ids=[pk])` of one organization
  of typical size, standings present, against the same aggregate restricted to it.
- `tiers-dashboard` (a page Scenario): `/tiers/` with every organization evaluated, against
  `/__bench__/tiers/` rendering `certifications/tiers/dashboard.html` from the rows the
  selectors returned once.

The volume is `--tier-scale S` times 10,000 organizations, 200,000 people and a million
credentials (default 0.1; 1 for the issue's figures).
"""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
import time
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.contrib.auth.models import Group
from django.core.paginator import Paginator
from django.db import connection
from django.db.models import Count
from django.http import QueryDict
from django.utils import timezone, translation

from bench import tier_volume
from bench.environment import BASE_DIR
from bench.expiry import database_url
from bench.scenarios import CallPair
from bench.tiers_child import raw_aggregate_sql
from bench.views import REFERENCE
from certifications.models import TierStanding
from certifications.permissions import can_manage_tiers
from certifications.services.tiers import evaluate_tiers, today
from certifications.tiers.forms import DashboardFilterForm, PromotionDecisionForm
from certifications.tiers.selectors import PAGE_SIZE, dashboard_organizations, dashboard_rows
from lms.accounts.models import User
from lms.accounts.services import create_person
from lms.partners.models import Organization
from lms.partners.roles import StaffRole

FULL_SCALE = (10_000, 200_000, 1_000_000)  # organizations, people, credentials
FULL_TARGET = 2.0  # × the raw aggregate
MEMORY_LIMIT_MIB = 500


class TierBenchError(RuntimeError):
    pass


def volume_at(scale: float) -> tuple[int, int, int]:
    organizations, people, credentials = (max(1, round(figure * scale)) for figure in FULL_SCALE)
    return organizations, people, credentials


@dataclass
class TierData:
    volume: tier_volume.TierVolume
    generate_seconds: float
    on: date
    manager: User
    organization_pk: int  # the one `tiers-one` re-evaluates: median membership
    organization_people: int
    setup_evaluation: dict = field(default_factory=dict)


_data: TierData | None = None


def data() -> TierData:
    assert _data is not None, "seed_tiers() first"
    return _data


def seed_tiers(*, scale: float) -> TierData:
    """The tier volume, a tier manager, and a first evaluation (in a child process, untimed),
    so the dashboard and the one-organization scenario find standings present."""
    global _data
    organizations, people, credentials = volume_at(scale)
    now = timezone.now().replace(microsecond=0)
    started = time.perf_counter()
    volume = tier_volume.generate(organizations=organizations, people=people, credentials=credentials, now=now)
    generated = time.perf_counter() - started
    manager = create_person(
        email="tier-manager@bench-tiers.example",
        password=secrets.token_urlsafe(18),
        first_name="Tara",
        last_name="Manager",
    )
    manager.is_staff = True
    manager.save(update_fields=["is_staff"])
    manager.groups.add(Group.objects.get(name=StaffRole.TIER_MANAGER.value))
    sizes = list(
        Organization.objects.filter(slug__startswith=f"bench-tiers-{volume.tag}-")
        .annotate(people=Count("memberships"))
        .filter(people__gt=0)
        .order_by("people", "pk")
        .values_list("pk", "people")
    )
    organization_pk, organization_people = sizes[len(sizes) // 2]
    day = today()
    _data = TierData(
        volume=volume,
        generate_seconds=round(generated, 2),
        on=day,
        manager=manager,
        organization_pk=organization_pk,
        organization_people=organization_people,
    )
    _data.setup_evaluation = _child("evaluate", day)
    return _data


def _child(side: str, on: date) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url()}
    completed = subprocess.run(  # noqa: S603  (our own interpreter and module)
        [sys.executable, "-m", "bench.tiers_child", side, "--on", on.isoformat()],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise TierBenchError(f"bench.tiers_child {side} failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _counting_moment(on: date) -> datetime:
    """Credentials count on `on` when they expire on a later day."""
    return timezone.make_aware(datetime.combine(on + timedelta(days=1), datetime.min.time()))


# -- tiers-dashboard ------------------------------------------------------------------------


def load_tier_references() -> None:
    """What `/tiers/` shows, computed once by the view's own selectors and forms, for the
    reference to render: the filter form (no filters), the first page with its rows, and
    the manager's permissions."""
    with translation.override("en"):
        form = DashboardFilterForm(QueryDict())
        form.is_valid()
        paginator = Paginator(dashboard_organizations(filters=form.filters(), today=today()), PAGE_SIZE)
        page = paginator.get_page(None)
        rows = list(dashboard_rows(page.object_list))
        page.object_list = [row.organization for row in rows]  # a list: nothing left to query
        can_manage = can_manage_tiers(User.objects.get(pk=data().manager.pk))
        REFERENCE.tier_dashboard = {
            "form": form,
            "page": page,
            "rows": rows,
            "can_manage": can_manage,
            "can_decide": can_manage and any(row.pending for row in rows),
            "decision_form": PromotionDecisionForm(),
        }


# -- tiers-one ------------------------------------------------------------------------------


def one_organization_pair() -> CallPair:
    """evaluate_tiers of one organization (standings present) against the raw aggregate of it."""
    tiers = data()
    pk, moment = tiers.organization_pk, _counting_moment(tiers.on)
    sql = raw_aggregate_sql(one_organization=True)

    def page() -> object:
        return evaluate_tiers(organization_ids=[pk], on=tiers.on)

    def reference() -> object:
        with connection.cursor() as cursor:
            cursor.execute(sql, [moment, pk])
            return cursor.fetchall()

    def check(outcomes: object, rows: object) -> str | None:
        if not isinstance(outcomes, list) or len(outcomes) != 1 or outcomes[0].organization.pk != pk:
            return "evaluate_tiers did not evaluate exactly the organization asked for"
        counted = rows[0][1] if rows else 0
        # The service leaves out inactive people; the raw aggregate does not look at them.
        if not 0 < outcomes[0].certified_people <= counted:
            return f"the service counted {outcomes[0].certified_people} certified people, the aggregate {counted}"
        return None

    return CallPair(page=page, reference=reference, check=check)


# -- tiers-full -----------------------------------------------------------------------------


@dataclass(frozen=True)
class TierFullResult:
    scenario: str
    description: str
    organizations: int
    people: int
    members: int
    credentials: int
    active_credentials: int
    generate_seconds: float
    raw_seconds: float
    raw_rows: int
    raw_peak_mib: float
    raw_baseline_mib: float
    first_seconds: float
    first_phases: dict[str, float]
    first_written: dict[str, int]
    first_peak_mib: float
    first_baseline_mib: float
    rerun_seconds: float
    rerun_phases: dict[str, float]
    rerun_written: dict[str, int]
    rerun_peak_mib: float
    ratio: float  # first evaluation / raw
    rerun_ratio: float
    target_ratio: float
    memory_limit_mib: float
    met: bool
    checks: list[str] = field(default_factory=list)


def _mib(kib: int) -> float:
    return round(kib / 1024, 1)


def _rounded(phases: dict[str, float]) -> dict[str, float]:
    return {name: round(seconds, 3) for name, seconds in phases.items()}


def _mismatched_headcounts(on: date) -> int:
    """Organizations whose saved headcount is not the raw aggregate's (active people only)."""
    from lms.accounts.models import User as Person

    sql = raw_aggregate_sql().replace(
        "WHERE c.status",
        f"JOIN {connection.ops.quote_name(Person._meta.db_table)} AS u ON u.id = c.user_id "
        "WHERE u.is_active = %s AND c.status",
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [True, _counting_moment(on)])
        expected = dict(cursor.fetchall())
    saved = dict(TierStanding.objects.values_list("pk", "certified_people"))
    return sum(1 for pk, people in saved.items() if expected.get(pk, 0) != people)


def measure_full() -> TierFullResult:
    tiers = data()
    volume, on = tiers.volume, tiers.on
    tier_volume.reset_standings()  # the dashboard's standings: the timed run is a first evaluation
    raw = _child("raw", on)
    first = _child("evaluate", on)
    rerun = _child("evaluate", on)
    organizations = Organization.objects.count()
    checks = []
    if first["organizations"] != organizations:
        checks.append(f"evaluated {first['organizations']} organizations of {organizations}")
    if first["written"]["standings"] != organizations:
        checks.append(f"the first evaluation saved {first['written']['standings']} standings for {organizations}")
    if rerun["written"]["changes"]:
        checks.append(f"the second evaluation recorded {rerun['written']['changes']} tier changes, none expected")
    if mismatched := _mismatched_headcounts(on):
        checks.append(f"{mismatched} standings disagree with the raw aggregate's headcount")
    ratio = first["seconds"] / raw["seconds"]
    rerun_ratio = rerun["seconds"] / raw["seconds"]
    peak = max(_mib(first["peak_kib"]), _mib(rerun["peak_kib"]))
    return TierFullResult(
        scenario="tiers-full",
        description="evaluate_tiers() over every organization (saving standings) against one raw aggregate "
        "of certified people per organization, same data, each in its own process",
        organizations=organizations,
        people=volume.people,
        members=volume.members,
        credentials=volume.credentials,
        active_credentials=volume.active_credentials,
        generate_seconds=tiers.generate_seconds,
        raw_seconds=round(raw["seconds"], 3),
        raw_rows=raw["rows"],
        raw_peak_mib=_mib(raw["peak_kib"]),
        raw_baseline_mib=_mib(raw["baseline_kib"]),
        first_seconds=round(first["seconds"], 3),
        first_phases=_rounded(first["phases"]),
        first_written=first["written"],
        first_peak_mib=_mib(first["peak_kib"]),
        first_baseline_mib=_mib(first["baseline_kib"]),
        rerun_seconds=round(rerun["seconds"], 3),
        rerun_phases=_rounded(rerun["phases"]),
        rerun_written=rerun["written"],
        rerun_peak_mib=_mib(rerun["peak_kib"]),
        ratio=round(ratio, 2),
        rerun_ratio=round(rerun_ratio, 2),
        target_ratio=FULL_TARGET,
        memory_limit_mib=MEMORY_LIMIT_MIB,
        met=ratio <= FULL_TARGET and rerun_ratio <= FULL_TARGET and peak <= MEMORY_LIMIT_MIB,
        checks=checks,
    )
