"""The registry of benchmark scenarios. Later issues add entries to SCENARIOS."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# Who makes the requests; bench.data creates one person per role.
Persona = Literal["anonymous", "partner_admin", "learner"]


@dataclass(frozen=True)
class Scenario:
    """A page of the app and its reference, requested alternately by the same person.

    The reference renders the same template from in-memory data through the same
    middleware stack, so the ratio between the two is what the page's own data
    access and view code cost on top of the unavoidable work.
    """

    name: str
    path: str
    reference_path: str
    persona: Persona
    target_p50_ratio: float
    description: str


SCENARIOS: dict[str, Scenario] = {
    scenario.name: scenario
    for scenario in (
        Scenario(
            name="home",
            path="/",
            reference_path="/__bench__/home/",
            persona="anonymous",
            target_p50_ratio=1.5,
            description="Wagtail HomePage served by Wagtail, signed out",
        ),
        Scenario(
            name="learn",
            path="/learn/",
            reference_path="/__bench__/learn/",
            persona="partner_admin",
            target_p50_ratio=1.5,
            description="My learning dashboard of a partner admin",
        ),
    )
}
