"""`manage.py bench_data --credentials N` and `manage.py bench_data --orgs N --people N
--credentials N`: synthetic volume for benchmarks, in the database the settings name (never
run it against production).

The generators live with the benchmarks (`bench.credentials`, `bench.tier_volume`);
`make bench` uses the same ones in its own throw-away database.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError, CommandParser

from lms import clock


class Command(BaseCommand):
    help = (
        "Add synthetic volume for benchmarks to the configured database. --credentials N alone adds N active "
        "credentials (five certifications, N/5 new people), expiring evenly from a year ago to four years "
        "ahead, with the reminders a run the night before would have sent (the expiry volume). With --orgs N "
        "and --people N it adds the partner-tier volume instead: N organizations, N people spread over them "
        "as members, --credentials N credentials over eight certifications in three competencies and four "
        "levels (at most one per person and certification), revenue figures and audit gates, and the demo's "
        "four-tier rules as the active rule set if none is active. Bulk SQL: 10,000 organizations, 200,000 "
        "people and a million credentials take well under a minute. Never run it against production."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--credentials", type=int, default=0, metavar="N", help="credentials to add")
        parser.add_argument("--orgs", type=int, default=0, metavar="N", help="partner organizations to add (tiers)")
        parser.add_argument("--people", type=int, default=0, metavar="N", help="members to add over them (tiers)")

    def handle(self, *args, credentials: int = 0, orgs: int = 0, people: int = 0, **options) -> None:
        if orgs or people:
            self._tiers(orgs=orgs, people=people, credentials=credentials)
            return
        if credentials <= 0:
            raise CommandError(
                "Say how much to add, for example --credentials 1000000, or "
                "--orgs 10000 --people 200000 --credentials 1000000 for the tier volume."
            )
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

    def _tiers(self, *, orgs: int, people: int, credentials: int) -> None:
        if orgs <= 0 or people <= 0:
            raise CommandError("The tier volume needs both --orgs N and --people N (and usually --credentials N).")
        try:
            from bench.tier_volume import generate
        except ImportError as error:
            raise CommandError("The bench package is not installed here (it lives in the repository).") from error
        try:
            volume = generate(organizations=orgs, people=people, credentials=credentials, now=clock.now())
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            f"Added {volume.organizations:,} organizations, {volume.people:,} people ({volume.members:,} of them "
            f"members), {volume.credentials:,} credentials ({volume.active_credentials:,} active), "
            f"{volume.metric_values:,} revenue figures and {volume.gates:,} approved audit gates. "
            "evaluate_tiers evaluates them."
        )
