"""Partner-tier volume for the tier benchmarks and `manage.py bench_data --orgs N --people N
--credentials N`.

Inserted the way bench.credentials inserts its volume: one INSERT … SELECT each over a
generated series (organizations, people) and over people × certifications (credentials),
so 10,000 organizations, 200,000 people and a million credentials load in seconds. What
the rules read is made through the ORM: eight certifications in three competencies and
all four levels (each with its first version), the business metric `revenue`, and the
demo's four-tier rule set (`certifications.tiers.demo.DEFINITION`) as the active one when
no rule set is active yet.

- **Organizations**: `bench-tiers-<tag>-<n>`, starting in every tier (n mod 4), so the
  first evaluation promotes, holds promotions for approval and marks some at risk.
- **People**: spread over the first nine tenths of the organizations by the square of a
  shuffled position (organization `⌊0.9·orgs·u²⌋`, u uniform in [0, 1)): a few large
  partners, many with a dozen people, the last tenth empty. One person in 20 belongs to
  no organization and one in 50 is inactive; the first member of each organization is
  its partner admin.
- **Credentials**: `--credentials N` of the people × certifications pairs, chosen by a
  permutation of the pairs (so exactly N, scattered, at most one per person and
  certification). Expiry dates run evenly from a year ago to three years ahead; those in
  the past are `expired`, the rest `active`.
- **Metrics**: two organizations in three report revenue for the last four quarters; one
  in ten has an approved `partner-audit` gate (platinum needs it).
"""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db import connection, transaction

from bench.credentials import _moment, _padded, _series, _text, shuffle_stride
from certifications.models import (
    BusinessMetric,
    Certification,
    Credential,
    GateApproval,
    HeadcountSample,
    Level,
    MetricValue,
    TierChange,
    TierRuleSet,
    TierRuleSetVersion,
    TierStanding,
)
from certifications.services.versions import record_version
from lms.accounts.models import User
from lms.competencies.models import Competency
from lms.partners.models import Membership, Organization, Tier

DOMAIN = "bench-tiers.example"
RULE_SET_NAME = "Bench tier rules"
# (slug, name, competency slug, level): cloud-security is the competency the demo rules' sub-quotas name.
COMPETENCIES = [
    ("cloud-security", "Cloud security", "امنیت ابری"),
    ("bench-tiers-data", "Data platform", "سکوی داده"),
    ("bench-tiers-network", "Networking", "شبکه"),
]
CERTIFICATIONS = [
    ("bench-tiers-security-foundations", "cloud-security", Level.FOUNDATIONAL),
    ("bench-tiers-security-associate", "cloud-security", Level.ASSOCIATE),
    ("bench-tiers-security-professional", "cloud-security", Level.PROFESSIONAL),
    ("bench-tiers-data-associate", "bench-tiers-data", Level.ASSOCIATE),
    ("bench-tiers-data-professional", "bench-tiers-data", Level.PROFESSIONAL),
    ("bench-tiers-data-specialty", "bench-tiers-data", Level.SPECIALTY),
    ("bench-tiers-network-associate", "bench-tiers-network", Level.ASSOCIATE),
    ("bench-tiers-network-specialty", "bench-tiers-network", Level.SPECIALTY),
]
PAST_DAYS = 365  # expiries from this many days ago …
FUTURE_DAYS = 3 * 365  # … to this many ahead: a quarter are expired
VALIDITY_DAYS = 730
QUARTERS = 4  # revenue periods per reporting organization
MEMBER_SHARE = 9, 10  # people go to the first 9/10 of the organizations


@dataclass(frozen=True)
class TierVolume:
    tag: str
    organizations: int
    people: int
    members: int
    credentials: int
    active_credentials: int  # active and not past expiry: what the tiers count
    metric_values: int
    gates: int


def _competencies() -> dict[str, Competency]:
    made = {}
    for slug, name, name_fa in COMPETENCIES:
        made[slug], _created = Competency.objects.get_or_create(slug=slug, defaults={"name": name, "name_fa": name_fa})
    return made


def _certifications() -> list[Certification]:
    competencies = _competencies()
    made = []
    for slug, competency, level in CERTIFICATIONS:
        title = slug.removeprefix("bench-tiers-").replace("-", " ").title()
        certification, created = Certification.objects.get_or_create(
            slug=slug,
            defaults={
                "name": f"Bench Tiers {title}",
                "name_fa": f"گواهی آزمایشی {title}",
                "competency": competencies[competency],
                "level": level,
                "validity_months": 24,
            },
        )
        if created or not certification.versions.exists():
            record_version(certification=certification)
        made.append(certification)
    return made


def install_rules(*, valid_from: date) -> TierRuleSetVersion:
    """The demo's four-tier rules as the active rule set, unless one is active already."""
    from certifications.tiers.demo import DEFINITION

    BusinessMetric.objects.get_or_create(code="revenue", defaults={"name": "Partner-sourced revenue", "unit": "USD"})
    active = TierRuleSet.objects.filter(is_active=True).first()
    if active is not None and active.name != RULE_SET_NAME:
        return active.versions.order_by("-valid_from", "-number").first()
    rule_set, _created = TierRuleSet.objects.update_or_create(
        name=RULE_SET_NAME,
        defaults={"is_active": True, "promotion": "approval", "demotion_grace_days": 60, "cadence": "continuous"},
    )
    version = rule_set.versions.first()
    if version is None:
        version = TierRuleSetVersion.objects.create(
            rule_set=rule_set, number=1, valid_from=valid_from, definition=DEFINITION, note="Benchmark rules"
        )
    return version


def _initial_tier(number: str) -> str:
    """SQL for the tier organization `number` starts in: every tier in turn."""
    whens = " ".join(f"WHEN {number} %% 4 = {index} THEN '{code}'" for index, code in enumerate(Tier.values))
    return f"CASE {whens} END"


@transaction.atomic
def generate(*, organizations: int, people: int, credentials: int, now: datetime) -> TierVolume:
    """Add `organizations` organizations, `people` people spread over them and `credentials`
    credentials (at most 8 per person), plus metric values and gates."""
    pairs_available = people * len(CERTIFICATIONS)
    if organizations < 1 or people < 1 or credentials < 0:
        raise ValueError("organizations and people must be at least 1")
    if credentials > pairs_available:
        raise ValueError(
            f"{credentials:,} credentials need at least {math.ceil(credentials / len(CERTIFICATIONS)):,} people "
            f"({len(CERTIFICATIONS)} certifications, one live credential per person and certification)"
        )
    tag = secrets.token_hex(3)  # a second run adds new organizations and people, it does not collide
    today = now.date()
    install_rules(valid_from=today - timedelta(days=365))
    certifications = _certifications()
    quote = connection.ops.quote_name
    orgs, users, members = (quote(model._meta.db_table) for model in (Organization, User, Membership))
    credential_table, metric_values, gates = (quote(m._meta.db_table) for m in (Credential, MetricValue, GateApproval))
    slug_prefix = f"bench-tiers-{tag}-"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {orgs} (name, name_fa, slug, country, website, status, tier, created_at) "  # noqa: S608
            f"SELECT 'Bench Partner ' || {_padded('n', 6)}, 'شریک آزمایشی ' || {_text('n')}, "
            f"'{slug_prefix}' || {_text('n')}, 'IR', '', 'active', {_initial_tier('n')}, %s "
            f"FROM {_series(organizations)}",
            [now],
        )
        cursor.execute(f"SELECT MIN(id) FROM {orgs} WHERE slug LIKE %s", [f"{slug_prefix}%"])  # noqa: S608
        (first_org,) = cursor.fetchone()
        cursor.execute(
            f"INSERT INTO {users} (password, last_login, is_superuser, username, first_name, last_name, "  # noqa: S608
            "is_staff, is_active, date_joined, email, preferred_language) "
            f"SELECT '!', NULL, %s, e, 'Member', {_text('n')}, %s, CASE WHEN n %% 50 = 49 THEN %s ELSE %s END, %s, e, "
            "CASE WHEN n %% 3 = 0 THEN 'fa' ELSE 'en' END "
            f"FROM (SELECT n, 'member-{tag}-' || {_text('n')} || '@{DOMAIN}' AS e FROM {_series(people)}) AS p",
            [False, False, False, True, now],
        )
        cursor.execute(f"SELECT MIN(id) FROM {users} WHERE email LIKE %s", [f"member-{tag}-%"])  # noqa: S608
        (first_user,) = cursor.fetchone()
        # u = shuffled position / people; organization = ⌊member_orgs · u²⌋, in integer steps.
        member_orgs = max(1, organizations * MEMBER_SHARE[0] // MEMBER_SHARE[1])
        shuffled = f"((CAST(u.id - {int(first_user)} AS BIGINT) * {shuffle_stride(people)}) %% {people})"
        index = f"(({member_orgs} * {shuffled} / {people}) * {shuffled} / {people})"
        cursor.execute(
            f"INSERT INTO {members} (organization_id, user_id, role, joined_at) "  # noqa: S608
            f"SELECT {int(first_org)} + {index}, u.id, 'learner', %s FROM {users} AS u "
            f"WHERE u.email LIKE %s AND (u.id - {int(first_user)}) %% 20 <> 19",
            [now, f"member-{tag}-%"],
        )
        membership_count = cursor.rowcount
        cursor.execute(
            f"UPDATE {members} SET role = 'admin' WHERE id IN (SELECT MIN(m.id) FROM {members} AS m "  # noqa: S608
            f"WHERE m.organization_id >= %s GROUP BY m.organization_id)",
            [first_org],
        )
        certification_rows = " UNION ALL ".join(
            f"SELECT {certification.pk} AS cert_id, {certification.versions.get().pk} AS version_id, {number} AS idx"
            for number, certification in enumerate(certifications)
        )
        total = pairs_available
        position = f"(CAST(u.id - {int(first_user)} AS BIGINT) * {len(CERTIFICATIONS)} + c.idx)"
        rank = f"(({position} * {shuffle_stride(total)}) %% {total})"  # a permutation of the pairs
        span = (PAST_DAYS + FUTURE_DAYS) * 86400
        offset = f"({rank} * {span} / {max(credentials, 1)})"
        start = now - timedelta(days=PAST_DAYS)
        expires, expires_params = _moment(start, offset)
        issued, issued_params = _moment(start, f"{offset} - {VALIDITY_DAYS * 86400}")
        cursor.execute(
            f"INSERT INTO {credential_table} (user_id, certification_id, version_id, status, code, "  # noqa: S608
            "holder_name, issued_at, expires_at, renewed_at, status_changed_at, status_reason, evidence, "
            "badge_salt, exam_attempt_id, superseded_by_id) "
            f"SELECT u.id, c.cert_id, c.version_id, "
            f"CASE WHEN {offset} < {PAST_DAYS * 86400} THEN 'expired' ELSE 'active' END, "
            f"'t{tag}' || {_padded(position, 20)}, "
            f"u.first_name || ' ' || u.last_name, {issued}, {expires}, NULL, {issued}, '', '{{}}', "
            f"'{'0' * 32}', NULL, NULL "
            f"FROM {users} AS u CROSS JOIN ({certification_rows}) AS c "
            f"WHERE u.email LIKE %s AND {rank} < {int(credentials)}",
            [*issued_params, *expires_params, *issued_params, f"member-{tag}-%"],
        )
        credential_count = cursor.rowcount
        revenue = BusinessMetric.objects.get(code="revenue").pk
        quarters = " UNION ALL ".join(f"SELECT {q} AS q" for q in range(QUARTERS))
        if connection.vendor == "postgresql":
            period_end, last_period = "(CAST(%s AS DATE) - q.q * 91)", today - timedelta(days=30)
        else:
            period_end, last_period = "date(%s, '-' || (q.q * 91) || ' days')", (today - timedelta(days=30)).isoformat()
        cursor.execute(
            f"INSERT INTO {metric_values} (organization_id, metric_id, period_end, value, source, recorded_at) "  # noqa: S608
            f"SELECT o.id, {revenue}, {period_end}, ((o.id * 37 + q.q * 11) %% 100) * 2500, 'import', %s "
            f"FROM {orgs} AS o CROSS JOIN ({quarters}) AS q "
            f"WHERE o.slug LIKE %s AND (o.id - {int(first_org)}) %% 3 <> 2",
            [last_period, now, f"{slug_prefix}%"],
        )
        metric_count = cursor.rowcount
        cursor.execute(
            f"INSERT INTO {gates} (organization_id, gate, evidence, note, submitted_by_id, submitted_at, status, "  # noqa: S608
            "decided_by_id, decided_at, decision_note, expires_on) "
            "SELECT o.id, 'partner-audit', 'tier-evidence/bench-audit.pdf', '', NULL, %s, 'approved', NULL, %s, '', %s "
            f"FROM {orgs} AS o WHERE o.slug LIKE %s AND (o.id - {int(first_org)}) %% 10 = 0",
            [now, now, today + timedelta(days=300), f"{slug_prefix}%"],
        )
        gate_count = cursor.rowcount
    active = Credential.objects.filter(
        user__email__endswith=f"@{DOMAIN}", status=Credential.Status.ACTIVE, expires_at__gt=now
    ).count()
    # Planner statistics, as autovacuum (PostgreSQL) or PRAGMA optimize (SQLite) would gather
    # soon after a bulk load. Without them SQLite reads one organization's credentials by
    # scanning every active credential (0.36 s instead of 1 ms at 100,000).
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    return TierVolume(
        tag=tag,
        organizations=organizations,
        people=people,
        members=membership_count,
        credentials=credential_count,
        active_credentials=active,
        metric_values=metric_count,
        gates=gate_count,
    )


def reset_standings() -> None:
    """Forget every evaluation (standings, tier changes, headcount samples) and put each
    generated organization back in the tier it started in, so the next evaluation is a first."""
    quote = connection.ops.quote_name
    with transaction.atomic():
        for model in (TierChange, HeadcountSample, TierStanding):
            model.objects.all().delete()
        orgs = quote(Organization._meta.db_table)
        with connection.cursor() as cursor:
            # The number is the suffix of the slug: bench-tiers-<tag>-<n>.
            suffix = (
                "CAST(split_part(slug, '-', 4) AS INTEGER)"
                if connection.vendor == "postgresql"
                else "CAST(substr(slug, 20) AS INTEGER)"
            )
            cursor.execute(
                f"UPDATE {orgs} SET tier = {_initial_tier(suffix)} WHERE slug LIKE %s",  # noqa: S608
                ["bench-tiers-%"],
            )
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
