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
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext

from bench.scenarios import Call, CallPair, CallScenario, Scenario, Side

# Django masks the CSRF token differently in every response; nothing else may differ.
CSRF_TOKEN = re.compile(rb'(name="csrfmiddlewaretoken" value=")[^"]*"')
FORM = "application/x-www-form-urlencoded"


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
    scenario: Scenario | CallScenario
    page: Samples
    reference: Samples


def measure(scenario: Scenario, client: Client, *, requests: int, warmup: int) -> Measurement:
    counter = QueryCounter()
    page, reference = Samples(), Samples()
    sides: tuple[tuple[Side, Samples], ...] = (("page", page), ("reference", reference))
    with connection.execute_wrapper(counter):
        # Warm-up fills template, URL, translation and site caches and sets the cookies
        # (session, CSRF) that every later request carries.
        for _ in range(warmup):
            for side, _samples in sides:
                _send(client, scenario.call(side), counter)
        _check(client, scenario)
        for side, samples in sides:
            samples.sql = _statements(client, scenario.call(side))
        gc.collect()
        for round_number in range(requests):
            # Page and reference alternate, and which goes first alternates too, so
            # noise from the machine and leftovers of the previous request hit both alike.
            for side, samples in sides if round_number % 2 == 0 else reversed(sides):
                elapsed, queries = _send(client, scenario.call(side), counter)
                samples.milliseconds.append(elapsed)
                samples.queries.append(queries)
    return Measurement(scenario=scenario, page=page, reference=reference)


def _request(client: Client, call: Call) -> HttpResponse:
    """The response, with a streamed body read to its end (a download is only done then).

    The test client closes a streamed response once its content is exhausted, with
    `close_old_connections` held back. Closing it again here would fire `request_finished`
    with it connected, closing the database connection after every download, a cost the
    other pages (kept on one connection) do not pay."""
    response = client.post(call.path, call.body, content_type=FORM) if call.method == "POST" else client.get(call.path)
    if response.streaming:
        response.body = b"".join(response.streaming_content)
    return response


def _body(response: HttpResponse) -> bytes:
    return response.body if response.streaming else response.content


def _send(client: Client, call: Call, counter: QueryCounter) -> tuple[float, int]:
    """Only the request itself is timed: `call` was prepared before."""
    before = counter.count
    start = time.perf_counter()
    response = _request(client, call)
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != call.status:
        raise BenchError(f"{call.method} {call.path} answered {response.status_code}, not {call.status}.")
    return elapsed, counter.count - before


def _statements(client: Client, call: Call) -> list[str]:
    with CaptureQueriesContext(connection) as captured:
        _request(client, call)
    return [query["sql"] for query in captured.captured_queries]


def _check(client: Client, scenario: Scenario) -> None:
    """A reference that renders something else than its page would make the ratio meaningless."""
    calls = {side: scenario.call(side) for side in ("page", "reference")}
    responses = {side: _request(client, call) for side, call in calls.items()}
    for side, call in calls.items():
        response = responses[side]
        if response.status_code != call.status:
            raise BenchError(f"{scenario.name}: {call.method} {call.path} answered {response.status_code}.")
        if call.check is not None and (problem := call.check(response)):
            raise BenchError(f"{scenario.name}: {call.method} {call.path}: {problem}")
    if responses["page"].streaming:  # a file: the very same bytes
        if _body(responses["page"]) != _body(responses["reference"]):
            raise BenchError(f"{scenario.name}: the reference does not answer the same bytes as the page.")
        return
    page, reference = (
        CSRF_TOKEN.sub(rb'\1masked"', _body(responses[side])).decode().splitlines() for side in ("page", "reference")
    )
    if page != reference:
        diff = "\n".join(
            list(difflib.unified_diff(page, reference, scenario.path, scenario.reference_path, lineterm=""))[:40]
        )
        raise BenchError(f"{scenario.name}: the reference does not render the same HTML as the page.\n{diff}")


def measure_calls(scenario: CallScenario, *, requests: int, warmup: int) -> Measurement:
    """As `measure`, for two Python callables instead of two requests: warm-up, one
    checked call of each, then alternating timed calls, SQL statements counted."""
    pair: CallPair = scenario.prepare()
    counter = QueryCounter()
    page, reference = Samples(), Samples()
    sides = ((pair.page, page), (pair.reference, reference))
    with connection.execute_wrapper(counter):
        for _ in range(warmup):
            for function, _samples in sides:
                function()
        if pair.check is not None and (problem := pair.check(pair.page(), pair.reference())):
            raise BenchError(f"{scenario.name}: {problem}")
        for function, samples in sides:
            with CaptureQueriesContext(connection) as captured:
                function()
            samples.sql = [query["sql"] for query in captured.captured_queries]
        gc.collect()
        for round_number in range(requests):
            for function, samples in sides if round_number % 2 == 0 else reversed(sides):
                before = counter.count
                start = time.perf_counter()
                function()
                samples.milliseconds.append((time.perf_counter() - start) * 1000)
                samples.queries.append(counter.count - before)
    return Measurement(scenario=scenario, page=page, reference=reference)
