"""One side of the full tier evaluation benchmark, in a process of its own so its peak
memory is its own.

python -m bench.tiers_child {evaluate,raw} --on ISO-DATE

Prints one JSON line: the wall time of the work (after Django is set up), the peak
resident memory before and after it (KiB), and for `evaluate` the time of each phase,
the organizations evaluated and what was written; for `raw` the rows the aggregate
returned and the people they count.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from datetime import date

from bench.expiry_child import peak_kib

# One raw aggregate over the same data: per organization, the distinct people holding an
# active credential that has not expired. `{where}` narrows it to one organization.
RAW_AGGREGATE = (
    "SELECT m.organization_id, COUNT(DISTINCT c.user_id) FROM {credentials} AS c "
    "JOIN {memberships} AS m ON m.user_id = c.user_id "
    "WHERE c.status = 'active' AND (c.expires_at IS NULL OR c.expires_at >= %s){where} "
    "GROUP BY m.organization_id"
)


def raw_aggregate_sql(*, one_organization: bool = False) -> str:
    from django.db import connection

    from certifications.models import Credential
    from lms.partners.models import Membership

    quote = connection.ops.quote_name
    return RAW_AGGREGATE.format(
        credentials=quote(Credential._meta.db_table),
        memberships=quote(Membership._meta.db_table),
        where=" AND m.organization_id = %s" if one_organization else "",
    )


def counts(day: date) -> dict[str, int]:
    from certifications.models import HeadcountSample, TierChange, TierStanding

    return {
        "standings": TierStanding.objects.count(),
        "changes": TierChange.objects.count(),
        "samples": HeadcountSample.objects.filter(day=day).count(),
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.tiers_child")
    parser.add_argument("side", choices=["evaluate", "raw"])
    parser.add_argument("--on", required=True, type=date.fromisoformat)
    args = parser.parse_args(argv)

    from bench.environment import configure_django

    configure_django()
    from datetime import datetime, timedelta
    from datetime import time as day_start

    from django.db import connection
    from django.utils import timezone

    connection.ensure_connection()
    result: dict[str, object] = {"side": args.side, "baseline_kib": peak_kib()}
    if args.side == "raw":
        # A credential counts on `on` when it expires on a later day (the loader's TruncDate(expires_at) > on).
        moment = timezone.make_aware(datetime.combine(args.on + timedelta(days=1), day_start()))
        started = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute(raw_aggregate_sql(), [moment])
            rows = cursor.fetchall()
        result["seconds"] = time.perf_counter() - started
        result["rows"] = len(rows)
        result["people"] = sum(count for _organization, count in rows)
    else:
        from certifications.services import tiers
        from certifications.tiers import loading

        before = counts(args.on)
        phases: dict[str, float] = {}

        def timed(name, function):
            def wrapper(*args, **kwargs):
                started = time.perf_counter()
                try:
                    return function(*args, **kwargs)
                finally:
                    phases[name] = phases.get(name, 0.0) + time.perf_counter() - started

            return wrapper

        # evaluate_tiers looks these up when called (load_facts is imported inside it).
        loading.load_facts = timed("load", loading.load_facts)
        tiers._locked_standings = timed("standings", tiers._locked_standings)
        tiers._save = timed("save", tiers._save)
        tiers.notify_tier_changes = timed("notify", tiers.notify_tier_changes)  # on commit, still inside
        started = time.perf_counter()
        outcomes = tiers.evaluate_tiers(on=args.on)
        result["seconds"] = time.perf_counter() - started
        phases["judge"] = result["seconds"] - sum(phases.values())
        result["phases"] = phases
        result["organizations"] = len(outcomes)
        result["people"] = sum(outcome.certified_people for outcome in outcomes)
        after = counts(args.on)
        result["written"] = {name: after[name] - before[name] for name in after}
    result["peak_kib"] = peak_kib()
    print(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
