from django.conf import settings
from django.core.management.base import BaseCommand

from lms.portal.demo import load_demo


class Command(BaseCommand):
    help = "Load demo organizations and people (idempotent) and print the demo logins."

    def handle(self, *args, **options) -> None:
        summary = load_demo()
        self.stdout.write(self.style.SUCCESS("Demo data is ready."))
        self.stdout.write(f"Sign in at {settings.BASE_URL}/accounts/login/ with password: {summary.password}")
        width = max(len(login.role) for login in summary.logins)
        for login in summary.logins:
            where = f"  ({login.organization})" if login.organization else ""
            self.stdout.write(f"  {login.role.ljust(width)}  {login.email}{where}")
        for note in summary.notes:
            self.stdout.write(note)
