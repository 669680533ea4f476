"""`manage.py evaluate_tiers`: evaluate partner tiers now and apply what follows."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError, CommandParser

from certifications.services.tiers import NoActiveRules, Outcome, evaluate_tiers
from certifications.tiers.snapshot import evaluation_to_json
from certifications.tiers.wording import explain_both, load_names
from lms.partners.models import Organization


class Command(BaseCommand):
    help = (
        "Evaluate every partner organization's tier (or one, with --org) under the active tier rules, "
        "then promote, hold for approval, mark at risk or demote as the rule set's policy says. "
        "With --dry-run nothing is saved and nobody is told."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--org", metavar="SLUG", help="Evaluate only this organization.")
        parser.add_argument("--dry-run", action="store_true", help="Save nothing; print what would happen.")
        parser.add_argument(
            "--json", action="store_true", help="Print each organization's evaluation as JSON (one document)."
        )

    def handle(self, *args, org: str | None, dry_run: bool, **options) -> None:
        organization_ids = None
        if org is not None:
            found = Organization.objects.filter(slug=org).values_list("pk", flat=True).first()
            if found is None:
                raise CommandError(f"No partner organization has the slug {org!r}.")
            organization_ids = [found]
        try:
            outcomes = evaluate_tiers(organization_ids=organization_ids, dry_run=dry_run)
        except NoActiveRules:
            raise CommandError(
                "No active tier rule set has a version valid today: import one with `manage.py tier_rules import FILE` "
                "or add one in the admin."
            ) from None
        if options["json"]:
            self.stdout.write(self._as_json(outcomes, dry_run=dry_run))
        else:
            self._as_text(outcomes, dry_run=dry_run)

    def _as_json(self, outcomes: list[Outcome], *, dry_run: bool) -> str:
        names = load_names()
        documents = []
        for outcome in outcomes:
            decided = outcome.decision.standing
            documents.append(
                {
                    "organization": outcome.organization.slug,
                    "current": decided.current,
                    "eligible": outcome.evaluation.eligible,
                    "pending": decided.pending,
                    "at_risk_since": decided.at_risk_since.isoformat() if decided.at_risk_since else None,
                    "demote_on": decided.demote_on.isoformat() if decided.demote_on else None,
                    "override": decided.override,
                    "forecast_loss_on": outcome.forecast_loss_on.isoformat() if outcome.forecast_loss_on else None,
                    "certified_people": outcome.certified_people,
                    "events": [
                        {
                            "kind": str(event.kind),
                            "from": event.from_tier,
                            "to": event.to_tier,
                            "effective_on": event.effective_on.isoformat(),
                        }
                        for event in outcome.decision.events
                    ],
                    "evaluation": evaluation_to_json(outcome.evaluation, gaps=explain_both(outcome.evaluation, names)),
                }
            )
        return json_dumps({"dry_run": dry_run, "organizations": documents})

    def _as_text(self, outcomes: list[Outcome], *, dry_run: bool) -> None:
        events = 0
        for outcome in outcomes:
            decided = outcome.decision.standing
            happened = ", ".join(f"{event.kind} {event.from_tier}→{event.to_tier}" for event in outcome.decision.events)
            events += len(outcome.decision.events)
            if happened or len(outcomes) == 1:
                self.stdout.write(
                    f"{outcome.organization.slug}: {decided.current} (eligible {outcome.evaluation.eligible})"
                    + (f"; {happened}" if happened else "")
                )
        verb = "would be recorded" if dry_run else "recorded"
        self.stdout.write(self.style.SUCCESS(f"Evaluated {len(outcomes)} organizations; {events} tier events {verb}."))


def json_dumps(data: object) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2)
