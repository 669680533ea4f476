"""`manage.py bench_data --credentials N`: synthetic volume for benchmarks, in the
database the settings name (never run it against production).

The generator lives with the benchmarks (`bench.credentials`); `make bench` uses the
same one in its own throw-away database.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lms import clock


class Command(BaseCommand):
    help = (
        "Add synthetic volume for benchmarks to the configured database: --credentials N adds N active "
        "credentials (five certifications, N/5 new people), expiring evenly from a year ago to four years "
        "ahead, with the reminders a run the night before would have sent. Bulk SQL: a million takes "
        "about 15 s on SQLite and 45 s on PostgreSQL here. Never run it against production."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--credentials", type=int, default=0, metavar="N", help="credentials to add")

    def handle(self, *args, credentials: int = 0, **options) -> None:
        if credentials <= 0:
            raise CommandError("Say how much to add, for example --credentials 1000000.")
        try:
            from bench.credentials import generate
        except ImportError as error:
            raise CommandError("The bench package is not installed here (it lives in the repository).") from error
        volume = generate(credentials=credentials, now=clock.now())
        self.stdout.write(
            f"Added {volume.credentials:,} credentials of {volume.people:,} people and stored "
            f"{volume.reminders_stored:,} reminders as already sent. {volume.due:,} live credentials in the "
            "database are now past their expiry: expire_credentials expires them."
        )
