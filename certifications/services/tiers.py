"""Evaluating partner tiers and applying what follows: the thin layer around the pure engine.

`evaluate_tiers` loads the facts with set-based queries (`certifications.tiers.loading`),
runs the engine and the forecast, lets the policy decide promotions, risk and demotions,
and saves standings, tier changes and headcount samples, one transaction per batch of
organizations, writing only the rows that changed.
"""

from __future__ import annotations

import itertools
from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils import timezone

from certifications.models import HeadcountSample, TierChange, TierRuleSet, TierRuleSetVersion, TierStanding
from certifications.tiers import policy
from certifications.tiers.engine import evaluate
from certifications.tiers.forecast import earliest_loss
from certifications.tiers.notifications import notify_tier_changes
from certifications.tiers.rules import Evaluation, OrganizationFacts, RuleSet
from certifications.tiers.schema import parse_rule_set
from certifications.tiers.snapshot import evaluation_to_json
from certifications.tiers.wording import Names, explain_both, load_names
from lms import clock
from lms.partners.models import Organization
from lms.partners.permissions import TIER_ORDER

LADDER = TIER_ORDER  # the platform ladder, lowest first


class NoActiveRules(LookupError):
    """No active rule set has a version valid on the day asked for."""


@dataclass(frozen=True)
class ActiveRules:
    version: TierRuleSetVersion
    rule_set: RuleSet
    policy: policy.Policy


@dataclass(frozen=True)
class Outcome:
    """What one organization's evaluation found and decided."""

    organization: Organization
    evaluation: Evaluation
    forecast_loss_on: date | None
    decision: policy.Decision
    certified_people: int


def today() -> date:
    return timezone.localdate(clock.now())


def active_rules(*, on: date) -> ActiveRules:
    version = (
        TierRuleSetVersion.objects.select_related("rule_set")
        .filter(rule_set__is_active=True, valid_from__lte=on)
        .exclude(valid_until__lte=on)
        .order_by("-valid_from", "-number")
        .first()
    )
    if version is None:
        raise NoActiveRules(on)
    rule_set: TierRuleSet = version.rule_set
    return ActiveRules(
        version=version,
        rule_set=parse_rule_set(version.definition),
        policy=policy.Policy(
            promotion=policy.Promotion(rule_set.promotion),
            grace_days=rule_set.demotion_grace_days,
            cadence=policy.Cadence(rule_set.cadence),
        ),
    )


def standing_of(organization: Organization, stored: TierStanding | None) -> policy.Standing:
    if stored is None:
        return policy.Standing(current=organization.tier)
    return policy.Standing(
        current=organization.tier,
        pending=stored.pending or None,
        rejected=stored.rejected or None,
        at_risk_since=stored.at_risk_since,
        demote_on=stored.demote_on,
        lock_in_until=stored.lock_in_until,
        override=stored.override or None,
        override_until=stored.override_until,
    )


def certified_people(facts: OrganizationFacts) -> int:
    return len({credential.person for credential in facts.credentials})


def judge(
    rules: ActiveRules, organization: Organization, facts: OrganizationFacts, stored: TierStanding | None
) -> Outcome:
    evaluation = evaluate(rules.rule_set, facts)
    standing = standing_of(organization, stored)
    decision = policy.decide(
        ladder=LADDER, policy=rules.policy, standing=standing, eligible=evaluation.eligible, today=facts.as_of
    )
    current = (
        decision.standing.override if decision.standing.override_active(facts.as_of) else decision.standing.current
    )
    # The forecast is for the tier the rules still grant: an organization at risk of losing
    # Platinum and eligible for Gold is told when it would lose Gold.
    held = min(current, evaluation.eligible, key=LADDER.index)
    return Outcome(
        organization=organization,
        evaluation=evaluation,
        forecast_loss_on=earliest_loss(rules.rule_set, facts, held),
        decision=decision,
        certified_people=certified_people(facts),
    )


BATCH_SIZE = 500  # organizations evaluated, saved and committed together


def evaluate_tiers(
    *, organization_ids: Collection[int] | None = None, on: date | None = None, dry_run: bool = False
) -> list[Outcome]:
    """Evaluate the organizations (every one when `organization_ids` is None) and, unless
    `dry_run`, save what changed. Raises NoActiveRules without an applicable rule set.

    Organizations are evaluated in batches of `BATCH_SIZE`, each in a transaction of its
    own, so memory holds one batch's facts and standings at a time, however many
    organizations there are.
    """
    on = on or today()
    rules = active_rules(on=on)
    if organization_ids is None:
        ids = list(Organization.objects.order_by("pk").values_list("pk", flat=True))
    else:
        ids = sorted(set(organization_ids))
    outcomes: list[Outcome] = []
    for batch in itertools.batched(ids, BATCH_SIZE):
        outcomes.extend(_evaluate_batch(rules, list(batch), on=on, dry_run=dry_run))
    return outcomes


def _evaluate_batch(rules: ActiveRules, ids: list[int], *, on: date, dry_run: bool) -> list[Outcome]:
    from certifications.tiers.loading import load_facts

    with transaction.atomic():
        organizations = Organization.objects.only("pk", "slug", "name", "name_fa", "tier").filter(pk__in=ids)
        if not dry_run:
            # Concurrent evaluations (and tier managers' actions) of an organization take
            # turns: each reads the tier and creates the standing the one before left.
            organizations = organizations.select_for_update(of=("self",))
        organizations = list(organizations.order_by("pk"))
        ids = [organization.pk for organization in organizations]
        stored = _locked_standings(ids, dry_run=dry_run)
        facts = load_facts(organization_ids=ids, as_of=on)
        outcomes = [
            judge(rules, organization, facts[organization.pk], stored.get(organization.pk))
            for organization in organizations
        ]
        if not dry_run:
            changes = _save(rules, outcomes, stored, on)
            change_ids = [change.pk for change in changes]
            if change_ids:
                transaction.on_commit(lambda: notify_tier_changes(change_ids=change_ids))
    return outcomes


def _locked_standings(ids: list[int], *, dry_run: bool) -> dict[int, TierStanding]:
    standings = TierStanding.objects.filter(pk__in=ids)
    if not dry_run:
        standings = standings.select_for_update()
    return {standing.pk: standing for standing in standings}


STANDING_FIELDS = (
    "eligible",
    "pending",
    "rejected",
    "at_risk_since",
    "demote_on",
    "override",
    "override_until",
    "forecast_loss_on",
    "certified_people",
    "version",
    "evaluation",
    "updated_at",
)


def _save(rules: ActiveRules, outcomes: list[Outcome], stored: dict[int, TierStanding], on: date) -> list[TierChange]:
    now = clock.now()
    new: list[TierStanding] = []
    changed: list[TierStanding] = []
    organizations_changed: list[Organization] = []
    changes: list[TierChange] = []
    samples: list[HeadcountSample] = []
    names: Names | None = None
    for outcome in outcomes:
        organization = outcome.organization
        standing = stored.get(organization.pk)
        is_new = standing is None
        if standing is None:
            standing = TierStanding(organization=organization)
        decided = outcome.decision.standing
        snapshot = evaluation_to_json(outcome.evaluation)
        values = {
            "eligible": outcome.evaluation.eligible,
            "pending": decided.pending or "",
            "rejected": decided.rejected or "",
            "at_risk_since": decided.at_risk_since,
            "demote_on": decided.demote_on,
            "override": decided.override or "",
            "override_until": decided.override_until,
            "forecast_loss_on": outcome.forecast_loss_on,
            "certified_people": outcome.certified_people,
            "version_id": rules.version.pk,
        }
        if is_new or standing.certified_people != outcome.certified_people:
            samples.append(
                HeadcountSample(organization=organization, day=on, certified_people=outcome.certified_people)
            )
        differs = is_new or any(getattr(standing, name) != value for name, value in values.items())
        differs = differs or _comparable(standing.evaluation) != _comparable(snapshot)
        if differs:
            for name, value in values.items():
                setattr(standing, name, value)
            standing.evaluation = snapshot
            standing.updated_at = now
            (new if is_new else changed).append(standing)
        if decided.current != organization.tier:
            organization.tier = decided.current
            organizations_changed.append(organization)
        if outcome.decision.events:
            # The audit trail keeps what stood between the organization and the next tier, in words.
            names = names or load_names()
            explained = evaluation_to_json(outcome.evaluation, gaps=explain_both(outcome.evaluation, names))
        for event in outcome.decision.events:
            changes.append(
                TierChange(
                    organization=organization,
                    kind=event.kind,
                    from_tier=event.from_tier,
                    to_tier=event.to_tier,
                    effective_on=event.effective_on,
                    version=rules.version,
                    snapshot=explained,
                    created_at=now,
                )
            )
    TierStanding.objects.bulk_create(new, batch_size=1000)
    TierStanding.objects.bulk_update(changed, STANDING_FIELDS, batch_size=1000)
    Organization.objects.bulk_update(organizations_changed, ["tier"], batch_size=1000)
    TierChange.objects.bulk_create(changes, batch_size=1000)
    HeadcountSample.objects.bulk_create(
        samples,
        batch_size=1000,
        update_conflicts=True,
        unique_fields=["organization", "day"],
        update_fields=["certified_people"],
    )
    return changes


def _comparable(snapshot: dict) -> dict:
    """A snapshot without its date, so an unchanged evaluation on a later day is not a change."""
    return {key: value for key, value in (snapshot or {}).items() if key != "as_of"}
