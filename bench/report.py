"""The results table and its JSON twin."""

from __future__ import annotations

import json
import statistics
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TextIO

from bench.expiry import ExpiryResult
from bench.measure import Measurement
from bench.tiers import TierData, TierFullResult


@dataclass(frozen=True)
class Result:
    scenario: str
    path: str
    reference_path: str
    persona: str
    description: str
    requests: int
    p50_ms: float
    p95_ms: float
    reference_p50_ms: float
    reference_p95_ms: float
    p50_ratio: float
    p95_ratio: float
    queries_per_request: float
    reference_queries_per_request: float
    target_percentile: int  # the percentile whose ratio is judged: 50, or 95 for exam_submit
    target_ratio: float
    met: bool
    sql: list[str]
    reference_sql: list[str]


def summarize(measurement: Measurement) -> Result:
    scenario, page, reference = measurement.scenario, measurement.page, measurement.reference
    p50, p95 = page.percentile(50), page.percentile(95)
    reference_p50, reference_p95 = reference.percentile(50), reference.percentile(95)
    judged = p50 / reference_p50 if scenario.target_percentile == 50 else p95 / reference_p95
    return Result(
        scenario=scenario.name,
        path=scenario.path,
        reference_path=scenario.reference_path,
        persona=scenario.persona,
        description=scenario.description,
        requests=len(page.milliseconds),
        p50_ms=round(p50, 3),
        p95_ms=round(p95, 3),
        reference_p50_ms=round(reference_p50, 3),
        reference_p95_ms=round(reference_p95, 3),
        p50_ratio=round(p50 / reference_p50, 3),
        p95_ratio=round(p95 / reference_p95, 3),
        queries_per_request=statistics.fmean(page.queries),
        reference_queries_per_request=statistics.fmean(reference.queries),
        target_percentile=scenario.target_percentile,
        target_ratio=scenario.target_ratio,
        met=judged <= scenario.target_ratio,
        sql=page.sql,
        reference_sql=reference.sql,
    )


COLUMNS = (
    "scenario",
    "p50 ms",
    "p95 ms",
    "ref p50 ms",
    "ref p95 ms",
    "p50 ratio",
    "p95 ratio",
    "queries",
    "ref queries",
    "target",
)


def print_table(results: list[Result], out: TextIO) -> None:
    rows = [
        (
            result.scenario,
            f"{result.p50_ms:.2f}",
            f"{result.p95_ms:.2f}",
            f"{result.reference_p50_ms:.2f}",
            f"{result.reference_p95_ms:.2f}",
            f"{result.p50_ratio:.2f}",
            f"{result.p95_ratio:.2f}",
            f"{result.queries_per_request:.3g}",
            f"{result.reference_queries_per_request:.3g}",
            f"p{result.target_percentile} ≤ {result.target_ratio:g}x {'met' if result.met else 'MISSED'}",
        )
        for result in results
    ]
    widths = [max(len(row[index]) for row in [COLUMNS, *rows]) for index in range(len(COLUMNS))]
    for row in [COLUMNS, tuple("-" * width for width in widths), *rows]:
        # Names left-aligned, figures right-aligned so their decimals line up.
        cells = [
            row[0].ljust(widths[0]),
            *(cell.rjust(width) for cell, width in zip(row[1:-1], widths[1:-1], strict=True)),
        ]
        print("  ".join([*cells, row[-1]]), file=out)


def print_statements(results: list[Result], out: TextIO) -> None:
    for result in results:
        for label, statements in ((result.path, result.sql), (result.reference_path, result.reference_sql)):
            print(f"\n{result.scenario}: {label} ({len(statements)} statements)", file=out)
            for number, sql in enumerate(statements, start=1):
                print(f"  {number:>2}. {sql}", file=out)


def print_expiry(results: list[ExpiryResult], out: TextIO) -> None:
    for result in results:
        phases = ", ".join(f"{name} {seconds:.2f} s" for name, seconds in result.command_phases.items())
        lines = [
            f"{result.scenario}: {result.credentials:,} credentials of {result.people:,} people, "
            f"{result.due:,} due, {result.reminders_stored:,} reminders stored from the night before "
            f"(generated in {result.generate_seconds:.1f} s)",
            f"  expire_credentials  {result.command_seconds:8.2f} s  ({phases}); "
            f"peak RSS {result.command_peak_mib:.0f} MiB, {result.command_baseline_mib:.0f} MiB before the command",
            f"  raw UPDATE          {result.raw_seconds:8.2f} s  ({result.due:,} rows); "
            f"peak RSS {result.raw_peak_mib:.0f} MiB, {result.raw_baseline_mib:.0f} MiB before it",
            f"  ratio               {result.ratio:8.2f}x   events written {result.events_written:,}, "
            f"reminders sent {result.reminders_sent:,}",
            *(f"  CHECK FAILED: {problem}" for problem in result.checks),
        ]
        print("\n".join(lines), file=out)


def print_tier_volume(data: TierData, out: TextIO) -> None:
    volume = data.volume
    print(
        f"volume: {volume.organizations:,} organizations, {volume.people:,} people ({volume.members:,} members), "
        f"{volume.credentials:,} credentials ({volume.active_credentials:,} active), {volume.metric_values:,} "
        f"revenue figures, {volume.gates:,} gates; generated in {data.generate_seconds:.1f} s. tiers-one "
        f"re-evaluates organization {data.organization_pk} ({data.organization_people} people).",
        file=out,
    )


def print_tiers(results: list[TierFullResult], out: TextIO) -> None:
    for result in results:

        def phases(values: dict[str, float]) -> str:
            return ", ".join(f"{name} {seconds:.2f} s" for name, seconds in values.items())

        def written(values: dict[str, int]) -> str:
            return ", ".join(f"{count:,} {name}" for name, count in values.items())

        verdict = "met" if result.met else "MISSED"
        lines = [
            f"{result.scenario}: {result.organizations:,} organizations",
            f"  evaluate_tiers, first  {result.first_seconds:8.2f} s  ({phases(result.first_phases)}); "
            f"wrote {written(result.first_written)}; peak RSS {result.first_peak_mib:.0f} MiB, "
            f"{result.first_baseline_mib:.0f} MiB before",
            f"  evaluate_tiers, again  {result.rerun_seconds:8.2f} s  ({phases(result.rerun_phases)}); "
            f"wrote {written(result.rerun_written)}; peak RSS {result.rerun_peak_mib:.0f} MiB",
            f"  raw aggregate          {result.raw_seconds:8.2f} s  ({result.raw_rows:,} rows); "
            f"peak RSS {result.raw_peak_mib:.0f} MiB, {result.raw_baseline_mib:.0f} MiB before",
            f"  ratio                  {result.ratio:8.2f}x first, {result.rerun_ratio:.2f}x again; target "
            f"≤ {result.target_ratio:g}x and ≤ {result.memory_limit_mib:g} MiB: {verdict}",
            *(f"  CHECK FAILED: {problem}" for problem in result.checks),
        ]
        print("\n".join(lines), file=out)


def write_json(
    results: list[Result],
    path: Path,
    run: dict[str, object],
    *,
    expiry: list[ExpiryResult] = (),
    tiers: list[TierFullResult] = (),
) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "run": run,
        "results": [asdict(result) for result in results],
        "expiry": [asdict(r) for r in expiry],
        "tiers": [asdict(r) for r in tiers],
    }
    path.write_text(json.dumps(document, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
