"""Entry point of `make bench`: python -m bench.run [--requests N] [--scenario NAME]... [--credentials N]
[--tier-scale S]."""

from __future__ import annotations

import argparse
import os
import platform
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

from bench.environment import BASE_DIR, configure_django, create_database, describe_database, drop_database
from bench.scenarios import (
    ALL_SCENARIOS,
    CALL_SCENARIOS,
    PLAYBOOK_SCENARIOS,
    SCALE_SCENARIOS,
    SCENARIOS,
    TIER_SCENARIOS,
)

# Scenarios that need the 500-course data set; the certification ones bring their own data.
COURSE_DATA_FREE = {"verify", *CALL_SCENARIOS, *SCALE_SCENARIOS, *TIER_SCENARIOS}
CERTIFICATION_SCENARIOS = {"verify", "certificate_pdf"}

DEFAULT_JSON = BASE_DIR / "bench" / "results" / "latest.json"


def _at_least_two(text: str) -> int:
    value = int(text)
    if value < 2:
        raise argparse.ArgumentTypeError("must be at least 2, percentiles need two samples")
    return value


def _positive(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be above 0")
    return value


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m bench.run",
        description="Time pages against same-template references, interleaved request by request.",
    )
    parser.add_argument("--requests", type=_at_least_two, default=300, help="measured requests per side (default 300)")
    parser.add_argument("--warmup", type=int, default=30, help="unmeasured requests per side first (default 30)")
    parser.add_argument(
        "--scenario",
        action="append",
        choices=sorted(ALL_SCENARIOS),
        dest="scenarios",
        metavar="NAME",
        help=f"run only this scenario; repeatable (all by default: {', '.join(ALL_SCENARIOS)})",
    )
    parser.add_argument(
        "--credentials",
        type=int,
        default=100_000,
        help="credentials generated for the expiry scenario (default 100000; 1000000 for the full figure)",
    )
    parser.add_argument(
        "--tier-scale",
        type=_positive,
        default=0.1,
        metavar="S",
        help="volume of the tier scenarios: S × 10,000 organizations, 200,000 people and 1,000,000 credentials "
        "(default 0.1; 1 for the full figures)",
    )
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help="where to write the results")
    parser.add_argument("--show-queries", action="store_true", help="print the SQL of one request of each side")
    parser.add_argument("--strict", action="store_true", help="exit with status 1 when a target is missed")
    return parser.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    names = list(dict.fromkeys(args.scenarios or ALL_SCENARIOS))
    pages = [SCENARIOS[name] for name in names if name in SCENARIOS]
    calls = [CALL_SCENARIOS[name] for name in names if name in CALL_SCENARIOS]
    scales = [SCALE_SCENARIOS[name] for name in names if name in SCALE_SCENARIOS]
    configure_django()

    # Django must be set up before these import models.
    import django
    import wagtail
    from django.test import Client, override_settings

    from bench import data, playbooks, report, tiers
    from bench.expiry import ExpiryBenchError, measure_expiry
    from bench.measure import BenchError, measure, measure_calls
    from bench.tiers import TierBenchError

    original_name = create_database()
    database = describe_database()
    # The verification page counts requests per address; the bench makes hundreds from one.
    unlimited = {"per_ip": 10**9, "window_seconds": 600}
    try:
        with override_settings(ROOT_URLCONF="bench.urls", VERIFY_RATE_LIMIT=unlimited):
            users: dict[str, object] = {"anonymous": None}
            if any(name not in COURSE_DATA_FREE for name in names):
                print("Creating the data (500 courses) …", file=sys.stderr, flush=True)
                started = time.perf_counter()
                people = data.seed()
                data.load_references(people)
                print(f"… in {time.perf_counter() - started:.0f} s", file=sys.stderr, flush=True)
                users |= {
                    "partner_admin": people.partner_admin,
                    "learner": people.learner,
                    "busy_learner": people.busy_learner,
                    "examinee": people.examinee,
                }
            if PLAYBOOK_SCENARIOS & set(names):
                playbooks.seed_playbooks()
                playbooks.load_playbook_references()
            if CERTIFICATION_SCENARIOS & set(names):
                data.seed_certifications()
                data.load_certification_references()
            tier_data = None
            if TIER_SCENARIOS & set(names):
                print("Creating the tier volume …", file=sys.stderr, flush=True)
                started = time.perf_counter()
                tier_data = tiers.seed_tiers(scale=args.tier_scale)
                tiers.load_tier_references()
                print(
                    f"… {tier_data.volume.organizations:,} organizations, {tier_data.volume.people:,} people, "
                    f"{tier_data.volume.credentials:,} credentials in {time.perf_counter() - started:.0f} s",
                    file=sys.stderr,
                    flush=True,
                )
                users["tier_manager"] = tier_data.manager
            measurements = []
            for scenario in pages:
                print(
                    f"{scenario.name}: {scenario.path} against {scenario.reference_path} …", file=sys.stderr, flush=True
                )
                client = Client()  # one per scenario, so cookies never leak between personas
                if (user := users[scenario.persona]) is not None:
                    client.force_login(user)
                measurements.append(measure(scenario, client, requests=args.requests, warmup=args.warmup))
            for scenario in calls:
                print(
                    f"{scenario.name}: {scenario.path} against {scenario.reference_path} …", file=sys.stderr, flush=True
                )
                measurements.append(measure_calls(scenario, requests=args.requests, warmup=args.warmup))
            scale_results, tier_results = [], []
            for scenario in scales:
                print(f"{scenario.name}: {scenario.description} …", file=sys.stderr, flush=True)
                if scenario.name == "tiers-full":
                    tier_results.append(tiers.measure_full())
                else:
                    scale_results.append(measure_expiry(credentials=args.credentials))
    except (BenchError, ExpiryBenchError, TierBenchError) as error:
        print(f"bench: {error}", file=sys.stderr)
        return 2
    finally:
        drop_database(original_name)

    results = [report.summarize(measurement) for measurement in measurements]
    if results:
        print(f"\n{args.requests} requests per side, interleaved, after {args.warmup} warm-up; {database}\n")
        report.print_table(results, sys.stdout)
    if scale_results:
        print(f"\nExpiry at scale; {database}\n")
        report.print_expiry(scale_results, sys.stdout)
    if tier_data is not None:
        print(f"\nTiers at --tier-scale {args.tier_scale:g}; {database}\n")
        report.print_tier_volume(tier_data, sys.stdout)
        report.print_tiers(tier_results, sys.stdout)
    if args.show_queries:
        report.print_statements(results, sys.stdout)
    run = {
        "finished_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": database,
        "requests": args.requests,
        "warmup": args.warmup,
        "credentials": args.credentials if scale_results else None,
        "tier_scale": args.tier_scale if tier_data is not None else None,
        "python": platform.python_version(),
        "django": django.get_version(),
        "wagtail": wagtail.__version__,
        "cpus": os.cpu_count(),
    }
    report.write_json(results, args.json, run, expiry=scale_results, tiers=tier_results)
    print(f"\nWrote {args.json}")
    missed = (
        not all(result.met for result in results)
        or any(result.checks for result in scale_results)
        or not all(result.met and not result.checks for result in tier_results)
    )
    return 1 if args.strict and missed else 0


if __name__ == "__main__":
    sys.exit(main())
