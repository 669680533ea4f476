"""Expiry at scale: `manage.py expire_credentials` over N credentials against one raw
`UPDATE … WHERE status = 'active' AND expires_at <= now` over the same data.

Both sides run in a child process of their own (`bench.expiry_child`), so each one's
peak memory is its own, and are timed there after Django is set up. The raw UPDATE
runs first and commits; its change is then undone (untimed, and on PostgreSQL followed
by VACUUM ANALYZE, so the command does not wade through the dead rows it left) and the
command runs over the same rows.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from urllib.parse import quote

from django.db import connection
from django.utils import timezone

from bench import credentials as volume
from bench.environment import BASE_DIR
from certifications.models import Credential, CredentialEvent, ExpiryReminder


class ExpiryBenchError(RuntimeError):
    pass


@dataclass(frozen=True)
class ExpiryResult:
    scenario: str
    description: str
    credentials: int
    people: int
    due: int
    reminders_stored: int
    generate_seconds: float
    command_seconds: float
    command_phases: dict[str, float]
    command_output: str
    raw_seconds: float
    ratio: float
    command_peak_mib: float
    command_baseline_mib: float
    raw_peak_mib: float
    raw_baseline_mib: float
    events_written: int
    reminders_sent: int
    checks: list[str] = field(default_factory=list)


def database_url() -> str:
    """The address of the database this process uses (the bench's own), for the children."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    if connection.vendor != "postgresql":
        raise ExpiryBenchError(f"no child-process address for the {connection.vendor} backend")
    user = quote(settings.get("USER") or "")
    password = f":{quote(settings['PASSWORD'])}" if settings.get("PASSWORD") else ""
    host, port = settings.get("HOST") or "localhost", settings.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}"


def _child(side: str, now_iso: str) -> dict:
    env = {**os.environ, "DATABASE_URL": database_url()}
    completed = subprocess.run(  # noqa: S603  (our own interpreter and module)
        [sys.executable, "-m", "bench.expiry_child", side, "--now", now_iso],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if completed.returncode != 0:
        raise ExpiryBenchError(f"bench.expiry_child {side} failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def _undo_raw_update() -> None:
    table = connection.ops.quote_name(Credential._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET status = 'active', status_changed_at = issued_at WHERE status = 'expired'"  # noqa: S608
        )
        if connection.vendor == "postgresql":
            cursor.execute(f"VACUUM ANALYZE {table}")


def _mib(kib: int) -> float:
    return round(kib / 1024, 1)


def measure_expiry(*, credentials: int) -> ExpiryResult:
    now = timezone.now().replace(microsecond=0)
    now_iso = now.isoformat()
    started = time.perf_counter()
    made = volume.generate(credentials=credentials, now=now)
    generated = time.perf_counter() - started
    events_before = CredentialEvent.objects.filter(action=CredentialEvent.Action.EXPIRED).count()
    reminders_before = ExpiryReminder.objects.count()

    raw = _child("raw", now_iso)
    if raw["rows"] != made.due:
        raise ExpiryBenchError(f"the raw UPDATE expired {raw['rows']} rows, {made.due} were due")
    _undo_raw_update()
    command = _child("command", now_iso)

    checks = []
    expired_events = CredentialEvent.objects.filter(action=CredentialEvent.Action.EXPIRED).count() - events_before
    if expired_events != made.due:
        checks.append(f"{expired_events} EXPIRED events for {made.due} due credentials")
    still_due = Credential.objects.filter(status__in=Credential.LIVE, expires_at__lte=now).count()
    if still_due:
        checks.append(f"{still_due} credentials still live past their expiry")
    if f"Expired: {made.due} credential(s)." not in command["output"]:
        checks.append(f"unexpected command output: {command['output']!r}")
    return ExpiryResult(
        scenario="expiry",
        description="manage.py expire_credentials against one raw UPDATE of the due rows, same data",
        credentials=made.credentials,
        people=made.people,
        due=made.due,
        reminders_stored=made.reminders_stored,
        generate_seconds=round(generated, 2),
        command_seconds=round(command["seconds"], 3),
        command_phases={name: round(seconds, 3) for name, seconds in command["phases"].items()},
        command_output=command["output"],
        raw_seconds=round(raw["seconds"], 3),
        ratio=round(command["seconds"] / raw["seconds"], 2),
        command_peak_mib=_mib(command["peak_kib"]),
        command_baseline_mib=_mib(command["baseline_kib"]),
        raw_peak_mib=_mib(raw["peak_kib"]),
        raw_baseline_mib=_mib(raw["baseline_kib"]),
        events_written=expired_events,
        reminders_sent=ExpiryReminder.objects.count() - reminders_before,
        checks=checks,
    )
