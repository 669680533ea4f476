"""Credential volume for the expiry benchmark and `manage.py bench_data --credentials N`.

A million credentials cannot go through `award_credential` one by one in a benchmark's
time, so they are inserted the way fixtures are loaded: one INSERT … SELECT over a
generated series for the people (PostgreSQL's `generate_series`, a recursive CTE on
SQLite) and one INSERT … SELECT of people × certifications for the credentials. The
certifications themselves (five, with their first versions) are made through the
services.

Expiry dates are spread evenly from one year ago to four years ahead, shuffled against
the insertion order (a credential's position times a stride coprime with the count,
modulo the count: a permutation), so the
due fifth is scattered over the whole table as it would be in production, not one
block of primary keys. The reminders a run the night before would have sent are stored
too, so tonight's run sends only the ones that came due since: a nightly run, not a
first run over years of backlog.
"""

from __future__ import annotations

import math
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction

from certifications.models import Certification, Credential, ExpiryReminder
from certifications.services.versions import record_version
from lms.accounts.models import User
from lms.competencies.models import Competency

CERTIFICATIONS = 5  # credentials per person
PAST_DAYS = 365  # expiries spread from this many days ago …
FUTURE_DAYS = 4 * 365  # … to this many days ahead: a fifth are due
VALIDITY_DAYS = 730
GOLDEN = 0.6180339887  # the shuffle's stride, as a share of the count: neighbours land far apart
DOMAIN = "bench-volume.example"


@dataclass(frozen=True)
class Volume:
    people: int
    credentials: int
    due: int  # live and past their expiry at `now`
    reminders_stored: int  # "sent last night"


def _series(count: int) -> str:
    """A FROM clause yielding n = 0 … count-1."""
    if connection.vendor == "postgresql":
        return f"generate_series(0, {int(count) - 1}) AS s(n)"
    last = int(count) - 1
    return f"(WITH RECURSIVE s(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM s WHERE n < {last}) SELECT n FROM s) AS s"  # noqa: S608


def _text(expression: str) -> str:
    return f"CAST({expression} AS TEXT)"


def _padded(expression: str, width: int) -> str:
    if connection.vendor == "postgresql":
        return f"lpad(CAST({expression} AS TEXT), {width}, '0')"
    return f"printf('%%0{width}d', {expression})"  # %% : the statement has parameters


def _moment(start: datetime, seconds: str) -> tuple[str, list]:
    """SQL for `start` plus an integer expression of seconds, in the column's own format."""
    if connection.vendor == "postgresql":
        return f"(CAST(%s AS timestamptz) + ({seconds}) * INTERVAL '1 second')", [start]
    # Django keeps SQLite datetimes as UTC text, 'YYYY-MM-DD HH:MM:SS[.ffffff]'.
    return f"datetime(%s + ({seconds}), 'unixepoch')", [int(start.timestamp())]


def _certifications() -> list[Certification]:
    competency, _created = Competency.objects.get_or_create(
        slug="bench-volume", defaults={"name": "Bench volume", "name_fa": "حجم آزمایشی"}
    )
    made = []
    for number in range(CERTIFICATIONS):
        certification, created = Certification.objects.get_or_create(
            slug=f"bench-volume-{number}",
            defaults={
                "name": f"Bench Volume Certification {number}",
                "name_fa": f"گواهی حجم آزمایشی {number}",
                "competency": competency,
                "validity_months": 24,
            },
        )
        if created or not certification.versions.exists():
            record_version(certification=certification)
        made.append(certification)
    return made


def shuffle_stride(count: int) -> int:
    stride = max(1, int(count * GOLDEN))
    while math.gcd(stride, count) != 1:
        stride += 1
    return stride


@transaction.atomic
def generate(*, credentials: int, now: datetime) -> Volume:
    """Add about `credentials` credentials (rounded up to whole people), all active."""
    people = math.ceil(credentials / CERTIFICATIONS)
    total = people * CERTIFICATIONS
    tag = secrets.token_hex(3)  # a second run adds new people, it does not collide
    certifications = _certifications()
    users, credential_table = User._meta.db_table, Credential._meta.db_table
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(users)} (password, last_login, is_superuser, username, first_name, last_name, "  # noqa: S608
            "is_staff, is_active, date_joined, email, preferred_language) "
            f"SELECT '!', NULL, %s, e, 'Holder', {_text('n')}, %s, %s, %s, e, "
            "CASE WHEN n %% 3 = 0 THEN 'fa' ELSE 'en' END "
            f"FROM (SELECT n, 'holder-{tag}-' || {_text('n')} || '@{DOMAIN}' AS e FROM {_series(people)}) AS p",
            [False, False, True, now],
        )
        cursor.execute(f"SELECT MIN(id) FROM {quote(users)} WHERE email LIKE %s", [f"holder-{tag}-%"])  # noqa: S608
        (first_user,) = cursor.fetchone()
        pairs = " UNION ALL ".join(
            f"SELECT {certification.pk} AS cert_id, {certification.versions.get().pk} AS version_id, {index} AS idx"
            for index, certification in enumerate(certifications)
        )
        position = f"(CAST(u.id - {int(first_user)} AS BIGINT) * {CERTIFICATIONS} + c.idx)"
        span = (PAST_DAYS + FUTURE_DAYS) * 86400
        # Shuffled, then spread evenly over the span; integer arithmetic on both databases.
        offset = f"(({position} * {shuffle_stride(total)}) %% {total}) * {span} / {total}"
        start = now - timedelta(days=PAST_DAYS)
        expires, expires_params = _moment(start, offset)
        issued, issued_params = _moment(start, f"{offset} - {VALIDITY_DAYS * 86400}")
        cursor.execute(
            f"INSERT INTO {quote(credential_table)} (user_id, certification_id, version_id, status, code, "  # noqa: S608
            "holder_name, issued_at, expires_at, renewed_at, status_changed_at, status_reason, evidence, "
            "badge_salt, exam_attempt_id, superseded_by_id) "
            f"SELECT u.id, c.cert_id, c.version_id, 'active', 'b{tag}' || {_padded(position, 20)}, "
            f"u.first_name || ' ' || u.last_name, {issued}, {expires}, NULL, {issued}, '', '{{}}', "
            f"'{'0' * 32}', NULL, NULL "
            f"FROM {quote(users)} AS u CROSS JOIN ({pairs}) AS c WHERE u.email LIKE %s",
            [*issued_params, *expires_params, *issued_params, f"holder-{tag}-%"],
        )
    stored = store_last_nights_reminders(now=now)
    due = Credential.objects.filter(status__in=Credential.LIVE, expires_at__lte=now).count()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return Volume(people=people, credentials=total, due=due, reminders_stored=stored)


def store_last_nights_reminders(*, now: datetime) -> int:
    """The reminder each credential would have got from a run 24 hours earlier."""
    yesterday = now - timedelta(days=1)
    reminders, credentials = (connection.ops.quote_name(model._meta.db_table) for model in (ExpiryReminder, Credential))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {reminders} (credential_id, days_before, expires_at, sent_at) "  # noqa: S608
            "SELECT id, CASE WHEN expires_at <= %s THEN 7 WHEN expires_at <= %s THEN 30 ELSE 90 END, expires_at, %s "
            f"FROM {credentials} WHERE status = 'active' AND expires_at > %s AND expires_at <= %s "
            f"AND NOT EXISTS (SELECT 1 FROM {reminders} r WHERE r.credential_id = {credentials}.id)",
            [
                yesterday + timedelta(days=7),
                yesterday + timedelta(days=30),
                yesterday,
                now,
                yesterday + timedelta(days=90),
            ],
        )
        return cursor.rowcount
