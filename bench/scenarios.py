"""The registry of benchmark scenarios. Later issues add entries to SCENARIOS.

Three kinds: `Scenario` (a page and its reference, over HTTP through the test client),
`CallScenario` (a Python call and its reference, timed alternately in-process) and
`ScaleScenario` (a one-off job over generated volume, run in child processes).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from django.http import HttpResponse

# Who makes the requests; bench.data creates one person per role.
# (bench.tiers creates the tier manager.)
Persona = Literal["anonymous", "partner_admin", "learner", "busy_learner", "examinee", "tier_manager"]
Side = Literal["page", "reference"]


@dataclass(frozen=True)
class Call:
    """One request, prepared before the timed section starts.

    `body` is a form already URL-encoded, as a browser sends it, so encoding it is
    not timed either. `check` runs once, on the request that is checked before
    timing starts, and returns what is wrong with the response, or None.
    """

    path: str
    method: Literal["GET", "POST"] = "GET"
    body: str = ""
    status: int = 200
    check: Callable[[HttpResponse], str | None] | None = field(default=None, compare=False)


@dataclass(frozen=True)
class Scenario:
    """A page of the app and its reference, requested alternately by the same person.

    The reference renders the same template from in-memory data through the same
    middleware stack, so the ratio between the two is what the page's own data
    access and view code cost on top of the unavoidable work.

    GET scenarios request `path` and `reference_path` as they are. A scenario with
    `prepare` gets each request from it instead, called untimed just before that
    request: a POST that grades a fresh exam attempt needs the attempt started first.
    """

    name: str
    path: str
    reference_path: str
    persona: Persona
    target_ratio: float
    description: str
    target_percentile: Literal[50, 95] = 50
    prepare: Callable[[Side], Call] | None = field(default=None, compare=False)

    def call(self, side: Side) -> Call:
        if self.prepare is not None:
            return self.prepare(side)
        return Call(self.path if side == "page" else self.reference_path)


@dataclass(frozen=True)
class CallPair:
    """The two callables a CallScenario times, and a check of their results (None: fine)."""

    page: Callable[[], object]
    reference: Callable[[], object]
    check: Callable[[object, object], str | None] | None = None


@dataclass(frozen=True)
class CallScenario:
    """A function of the app and its reference, called alternately, like page and reference.

    `prepare` runs once, untimed, after the data exists, and returns the two callables.
    `path` and `reference_path` name them in the results table.
    """

    name: str
    path: str
    reference_path: str
    target_ratio: float
    description: str
    prepare: Callable[[], CallPair] = field(compare=False)
    target_percentile: Literal[50, 95] = 50
    persona: str = "-"


@dataclass(frozen=True)
class ScaleScenario:
    """A job over generated volume, timed once per side in child processes (see bench.expiry)."""

    name: str
    description: str


def _exam_submission(side: Side) -> Call:
    from bench import data  # imports models: only once Django is set up

    return data.exam_submission(side)


SCENARIOS: dict[str, Scenario] = {
    scenario.name: scenario
    for scenario in (
        Scenario(
            name="home",
            path="/",
            reference_path="/__bench__/home/",
            persona="anonymous",
            target_ratio=1.5,
            description="Wagtail HomePage served by Wagtail, signed out",
        ),
        Scenario(
            name="learn",
            path="/learn/",
            reference_path="/__bench__/learn/",
            persona="partner_admin",
            target_ratio=1.5,
            description="My learning dashboard of a partner admin",
        ),
        Scenario(
            name="catalog",
            path="/courses/",
            reference_path="/__bench__/catalog/",
            persona="learner",
            target_ratio=1.5,
            description="First page of the course catalog, 500 courses in the database",
        ),
        Scenario(
            name="course",
            path="/courses/bench-course/",
            reference_path="/__bench__/course/",
            persona="learner",
            target_ratio=1.5,
            description="A course page for a learner enrolled in it, half way through",
        ),
        Scenario(
            name="lesson",
            path="/courses/bench-course/lesson-3/",
            reference_path="/__bench__/lesson/",
            persona="learner",
            target_ratio=1.5,
            description="A lesson with a knowledge check, for a learner enrolled in its course",
        ),
        Scenario(
            name="learn_50",
            path="/learn/",
            reference_path="/__bench__/learn/",
            persona="busy_learner",
            target_ratio=1.5,
            description="My learning of a learner with 50 enrolments, some progress in each",
        ),
        Scenario(
            name="exam_submit",
            path="/courses/bench-exam-course/attempts/<id>/",
            reference_path="/__bench__/exam-submit/",
            persona="examinee",
            target_ratio=4.0,
            target_percentile=95,
            description="POST grading a fresh 50-question exam attempt, against a bare POST doing one INSERT",
            prepare=_exam_submission,
        ),
        Scenario(
            name="verify",
            path="/verify/<code>/",
            reference_path="/__bench__/bare/",
            persona="anonymous",
            target_ratio=3.0,
            description="Public verification page of a valid credential, against a bare view returning the same bytes",
            prepare=lambda side: _verification(side),
        ),
        Scenario(
            name="tiers-dashboard",
            path="/tiers/",
            reference_path="/__bench__/tiers/",
            persona="tier_manager",
            target_ratio=1.5,
            description="The tier managers' dashboard, first page of every organization (10,000 at --tier-scale 1), "
            "standings present",
        ),
        Scenario(
            name="playbook",
            path="/playbooks/bench-playbook/",
            reference_path="/__bench__/playbook/",
            persona="learner",
            target_ratio=1.5,
            description="A playbook of 40 blocks of every kind, against the same template from the page read once",
            prepare=lambda side: _playbook(side),
        ),
        Scenario(
            name="asset_download",
            path="/assets/images/<id>/download/?format=original",
            reference_path="/__bench__/media/<file>",
            persona="learner",
            target_ratio=1.5,
            description="Downloading a 3 MB brand image (access checked, logged, streamed), against the same file "
            "served as a static file",
            prepare=lambda side: _asset_download(side),
        ),
    )
}

PLAYBOOK_SCENARIOS = {"playbook", "asset_download"}


def _verification(side: Side) -> Call:
    from bench import data

    return data.verification(side)


def _playbook(side: Side) -> Call:
    from bench import playbooks

    return playbooks.playbook_call(side)


def _asset_download(side: Side) -> Call:
    from bench import playbooks

    return playbooks.download_call(side)


def _tier_one() -> CallPair:
    from bench import tiers

    return tiers.one_organization_pair()


def _certificate_pdf() -> CallPair:
    from bench import data

    return data.certificate_pair()


CALL_SCENARIOS: dict[str, CallScenario] = {
    scenario.name: scenario
    for scenario in (
        CallScenario(
            name="certificate_pdf",
            path="render_certificate_pdf(credential)",
            reference_path="bench.certificate_reference.draw_certificate(fields)",
            target_ratio=15.0,
            description="The bilingual PDF certificate rendered uncached (xhtml2pdf), against drawing the same "
            "fields directly on a ReportLab canvas with the same Vazirmatn TTF",
            prepare=_certificate_pdf,
        ),
        CallScenario(
            name="tiers-one",
            path="evaluate_tiers(organization_ids=[pk])",
            reference_path="raw aggregate of certified people, one organization",
            target_ratio=3.0,
            description="Re-evaluating one organization of median size (standings present), saving, against "
            "the raw per-organization aggregate restricted to it",
            prepare=lambda: _tier_one(),
        ),
    )
}

SCALE_SCENARIOS: dict[str, ScaleScenario] = {
    "expiry": ScaleScenario(
        name="expiry",
        description="manage.py expire_credentials over --credentials N (default 100,000) against one raw UPDATE",
    ),
    "tiers-full": ScaleScenario(
        name="tiers-full",
        description="evaluate_tiers() over every organization (--tier-scale S × 10,000 organizations, 200,000 "
        "people, 1,000,000 credentials) against one raw GROUP BY aggregate",
    ),
}

TIER_SCENARIOS = {"tiers-full", "tiers-one", "tiers-dashboard"}

ALL_SCENARIOS: list[str] = [*SCENARIOS, *CALL_SCENARIOS, *SCALE_SCENARIOS]
