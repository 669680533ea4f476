"""Record every organization's message alignment metric for a day (a nightly job)."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from certifications.services.tiers import today
from playbooks.services.coverage_metric import METRIC_CODE, record_acknowledgement_coverage


class Command(BaseCommand):
    help = (
        f"Record the {METRIC_CODE} business metric (percent of required playbooks acknowledged "
        "at their current version) of every partner organization for a day."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("--date", help="The period's end day, YYYY-MM-DD (default: today).")

    def handle(self, *args, **options) -> None:
        try:
            as_of = date.fromisoformat(options["date"]) if options["date"] else today()
        except ValueError as error:
            raise CommandError("--date must be a date such as 2027-03-31.") from error
        written = record_acknowledgement_coverage(as_of=as_of)
        self.stdout.write(f"{METRIC_CODE} {as_of.isoformat()}: {written} values written.")
