"""What-if: an organization's tier with some people taken out and some credentials added.

Nothing is saved: the organization's facts are loaded as for a real evaluation, changed
in memory and judged by the same engine and forecast. People added without a member are
hypothetical newcomers, one per addition, with ids below zero so they never collide with
real people.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from certifications.models import Certification
from certifications.services.tiers import active_rules, today
from certifications.tiers.engine import evaluate, with_credentials, without_person
from certifications.tiers.forecast import earliest_loss
from certifications.tiers.loading import load_facts
from certifications.tiers.rules import CredentialFact, Evaluation
from certifications.validity import expiry_for
from lms.partners.models import Organization

MAX_CHANGES = 20


@dataclass(frozen=True)
class Addition:
    """A credential in `certification` for `person`, or for a newcomer when None."""

    certification: str
    person: int | None = None


@dataclass(frozen=True)
class Scenario:
    removed: frozenset[int] = frozenset()
    added: tuple[Addition, ...] = ()

    @property
    def is_empty(self) -> bool:
        return not self.removed and not self.added


@dataclass(frozen=True)
class Comparison:
    before: Evaluation
    after: Evaluation
    loss_before: date | None
    loss_after: date | None


def compare(organization: Organization, scenario: Scenario, *, on: date | None = None) -> Comparison:
    """Today's evaluation and the scenario's. Raises NoActiveRules without rules; the
    scenario's people and certifications must already be checked (see the form)."""
    on = on or today()
    rules = active_rules(on=on)
    facts = load_facts(organization_ids=[organization.pk], as_of=on)[organization.pk]
    changed = facts
    for person in scenario.removed:
        changed = without_person(changed, person)
    changed = with_credentials(changed, _credentials(scenario.added, on))
    before, after = evaluate(rules.rule_set, facts), evaluate(rules.rule_set, changed)
    return Comparison(
        before=before,
        after=after,
        loss_before=earliest_loss(rules.rule_set, facts, before.eligible),
        loss_after=earliest_loss(rules.rule_set, changed, after.eligible),
    )


def _credentials(additions: tuple[Addition, ...], on: date) -> list[CredentialFact]:
    """Credentials issued today, expiring as their certification's validity says."""
    if not additions:
        return []
    certifications = {
        certification.slug: certification
        for certification in Certification.objects.filter(
            slug__in={addition.certification for addition in additions}
        ).select_related("competency")
    }
    issued_at = datetime.combine(on, time(12))
    credentials = []
    for newcomer, addition in enumerate(additions, start=1):
        certification = certifications[addition.certification]
        expires_at = expiry_for(issued_at, certification.validity_months)
        credentials.append(
            CredentialFact(
                person=addition.person if addition.person is not None else -newcomer,
                certification=certification.slug,
                competency=certification.competency.slug,
                level=certification.level,
                expires_on=expires_at.date() if expires_at else None,
            )
        )
    return credentials
