"""Interleaved timing of a page and its reference, with SQL statements counted per request."""

from __future__ import annotations

import difflib
import gc
import re
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.scenarios import Scenario

# Django masks the CSRF token differently in every response; nothing else may differ.
CSRF_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*"')


class BenchError(Exception):
    """A scenario that cannot be measured meaningfully; the message says why."""


class QueryCounter:
    """An execute wrapper that only counts: lighter than CaptureQueriesContext, which keeps every statement."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: dict) -> Any:
        self.count += 1
        return execute(sql, params, many, context)


@dataclass
class Samples:
    milliseconds: list[float] = field(default_factory=list)
    queries: list[int] = field(default_factory=list)
    sql: list[str] = field(default_factory=list)  # the statements of one request, to show what they are

    def percentile(self, percent: int) -> float:
        return statistics.quantiles(self.milliseconds, n=100, method="inclusive")[percent - 1]


@dataclass
class Measurement:
    scenario: Scenario
    page: Samples
    reference: Samples


def measure(scenario: Scenario, client: Client, *, requests: int, warmup: int) -> Measurement:
    counter = QueryCounter()
    page, reference = Samples(), Samples()
    sides = ((scenario.path, page), (scenario.reference_path, reference))
    with connection.execute_wrapper(counter):
        # Warm-up fills template, URL, translation and site caches and sets the cookies
        # (session, CSRF) that every later request carries.
        for _ in range(warmup):
            for path, _samples in sides:
                _get(client, path, counter)
        _check_same_html(client, scenario)
        for path, samples in sides:
            samples.sql = _statements(client, path)
        gc.collect()
        for round_number in range(requests):
            # Page and reference alternate, and which goes first alternates too, so
            # noise from the machine and leftovers of the previous request hit both alike.
            for path, samples in sides if round_number % 2 == 0 else reversed(sides):
                elapsed, queries = _get(client, path, counter)
                samples.milliseconds.append(elapsed)
                samples.queries.append(queries)
    return Measurement(scenario=scenario, page=page, reference=reference)


def _get(client: Client, path: str, counter: QueryCounter) -> tuple[float, int]:
    before = counter.count
    start = time.perf_counter()
    response = client.get(path)
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != 200:
        raise BenchError(f"GET {path} answered {response.status_code}, not 200.")
    return elapsed, counter.count - before


def _statements(client: Client, path: str) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        client.get(path)
    return [query["sql"] for query in captured.captured_queries]


def _check_same_html(client: Client, scenario: Scenario) -> None:
    """A reference that renders something else than its page would make the ratio meaningless."""
    page, reference = (
        CSRF_TOKEN.sub(rb'\1masked"', client.get(path).content).decode().splitlines()
        for path in (scenario.path, scenario.reference_path)
    )
    if page != reference:
        diff = "\n".join(
            list(difflib.unified_diff(page, reference, scenario.path, scenario.reference_path, lineterm=""))[:40]
        )
        raise BenchError(f"{scenario.name}: the reference does not render the same HTML as the page.\n{diff}")
