"""`manage.py expire_credentials`: the nightly job that expires credentials and sends
the expiry reminders that are due. See `certifications.services.expiry`."""

from __future__ import annotations

from argparse import RawDescriptionHelpFormatter
from datetime import datetime

from django.core.management.base import BaseCommand, CommandError, CommandParser, DjangoHelpFormatter
from django.utils import timezone

from certifications.services.expiry import ExpiryRun, run_expiry
from certifications.validity import REMINDER_DAYS
from lms import clock

HELP = """\
Expire every active or suspended credential whose expiry date has passed, then send
the expiry reminders now due (90, 30 and 7 days before expiry, each once per expiry
date, by email in the holder's language and in the app). Safe to run again: what is
done is not done twice. Run it daily, for example from cron:

    15 2 * * *  cd /srv/abrzad && .venv/bin/python manage.py expire_credentials

Prints how many credentials expired and how many reminders were sent per threshold.
"""


class HelpFormatter(DjangoHelpFormatter, RawDescriptionHelpFormatter):
    """Django's (the command's own options first) keeping the description's line breaks."""


def parse_moment(text: str) -> datetime:
    """An ISO 8601 date or date and time; without an offset it is read in TIME_ZONE."""
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise CommandError(
            f"--now must be an ISO 8601 date and time, for example 2027-01-31T02:00:00+00:00; got {text!r}."
        ) from None
    if timezone.is_naive(moment):
        moment = timezone.make_aware(moment)
    return moment


class Command(BaseCommand):
    help = HELP

    def create_parser(self, prog_name: str, subcommand: str, **kwargs) -> CommandParser:
        return super().create_parser(prog_name, subcommand, formatter_class=HelpFormatter, **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Change nothing and send nothing; print what a real run would do.",
        )
        parser.add_argument(
            "--now",
            metavar="ISO-DATETIME",
            help=(
                "Act as if it were this moment (ISO 8601, e.g. 2027-01-31T02:00:00+00:00; "
                "without an offset, TIME_ZONE). Default: the current time."
            ),
        )

    def handle(self, *args, dry_run: bool = False, now: str | None = None, **options) -> None:
        moment = parse_moment(now) if now is not None else clock.now()
        result = run_expiry(now=moment, dry_run=dry_run)
        self.stdout.write(self.summary(result, moment=moment, dry_run=dry_run))

    @staticmethod
    def summary(result: ExpiryRun, *, moment: datetime, dry_run: bool) -> str:
        reminders = ", ".join(f"{days} days: {result.reminders.get(days, 0)}" for days in REMINDER_DAYS)
        if dry_run:
            return "\n".join(
                [
                    f"Dry run at {moment.isoformat()}: nothing was changed or sent.",
                    f"Would expire: {result.expired} credential(s).",
                    f"Would send reminders: {reminders}.",
                ]
            )
        return "\n".join(
            [
                f"Expiry run at {moment.isoformat()}.",
                f"Expired: {result.expired} credential(s).",
                f"Reminders sent: {reminders}.",
            ]
        )
