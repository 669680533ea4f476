"""One side of the expiry benchmark, in a process of its own so its peak memory is its own.

python -m bench.expiry_child {command,raw} --now ISO-DATETIME

Prints one JSON line: the wall time of the work (after Django is set up), the peak
resident memory before and after it (KiB), and for `command` the
time of each phase and what the command printed.
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import time
from io import StringIO


def peak_kib() -> int:
    """The process's peak resident memory so far, in KiB.

    Linux's VmHWM belongs to this program alone; `ru_maxrss` would also count the parent's
    memory at the fork that started it, which exec does not reset.
    """
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.expiry_child")
    parser.add_argument("side", choices=["command", "raw"])
    parser.add_argument("--now", required=True)
    args = parser.parse_args(argv)

    from bench.environment import configure_django

    configure_django()
    from django.core.management import call_command
    from django.db import connection, transaction

    from certifications.management.commands.expire_credentials import parse_moment
    from certifications.models import Credential
    from certifications.services import expiry

    now = parse_moment(args.now)
    connection.ensure_connection()
    result: dict[str, object] = {"side": args.side, "baseline_kib": peak_kib()}
    if args.side == "raw":
        table = connection.ops.quote_name(Credential._meta.db_table)
        started = time.perf_counter()
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute(
                f"UPDATE {table} SET status = 'expired', status_changed_at = %s "  # noqa: S608
                "WHERE status = 'active' AND expires_at <= %s",
                [now, now],
            )
            result["rows"] = cursor.rowcount
    else:
        phases: dict[str, float] = {}

        def timed(name, function):
            def wrapper(**kwargs):
                started = time.perf_counter()
                try:
                    return function(**kwargs)
                finally:
                    phases[name] = time.perf_counter() - started

            return wrapper

        # run_expiry looks both up in its module when called, so the command runs them timed.
        expiry.expire_due_credentials = timed("expire", expiry.expire_due_credentials)
        expiry.send_due_reminders = timed("reminders", expiry.send_due_reminders)
        out = StringIO()
        started = time.perf_counter()
        call_command("expire_credentials", now=args.now, stdout=out)
        result["phases"] = phases
        result["output"] = out.getvalue()
    result["seconds"] = time.perf_counter() - started
    result["peak_kib"] = peak_kib()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
