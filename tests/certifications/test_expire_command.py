"""`manage.py expire_credentials [--dry-run] [--now ISO-DATETIME]`."""

from __future__ import annotations

import subprocess
import sys
from datetime import UTC, datetime, timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import CommandError, call_command

from certifications.models import Credential, CredentialEvent, ExpiryReminder
from certifications.validity import add_months
from lms import clock
from tests.certifications import builders
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 3, 15, 2, 0, tzinfo=UTC)


@pytest.fixture
def credentials(monkeypatch):
    """At NOW: one credential a day past its expiry, and one each 80, 20 and 5 days before."""
    monkeypatch.setattr(clock, "now", lambda: NOW)
    certification = builders.certification(validity_months=12)
    made = {}
    for name, days in (("lapsed", -1), ("ninety", 80), ("thirty", 20), ("seven", 5)):
        expires = NOW + timedelta(days=days)
        made[name] = builders.issue(UserFactory(), certification, issued_at=add_months(expires, -12))
    return made


def run(*args: str) -> str:
    out = StringIO()
    call_command("expire_credentials", *args, stdout=out)
    return out.getvalue()


def test_it_expires_and_reminds_and_says_how_many(credentials, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        output = run()

    assert "Expired: 1 credential(s)." in output
    assert "Reminders sent: 90 days: 1, 30 days: 1, 7 days: 1." in output
    credentials["lapsed"].refresh_from_db()
    assert credentials["lapsed"].status == Credential.Status.EXPIRED
    assert ExpiryReminder.objects.count() == 3
    assert len(mail.outbox) == 3


def test_running_it_again_does_nothing_more(credentials, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        run()
    with django_capture_on_commit_callbacks(execute=True):
        output = run()

    assert "Expired: 0 credential(s)." in output
    assert "Reminders sent: 90 days: 0, 30 days: 0, 7 days: 0." in output
    assert CredentialEvent.objects.filter(action=CredentialEvent.Action.EXPIRED).count() == 1
    assert len(mail.outbox) == 3


def test_a_dry_run_prints_what_would_happen_and_writes_nothing(credentials, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        output = run("--dry-run")

    assert "nothing was changed or sent" in output
    assert "Would expire: 1 credential(s)." in output
    assert "Would send reminders: 90 days: 1, 30 days: 1, 7 days: 1." in output
    assert set(Credential.objects.values_list("status", flat=True)) == {Credential.Status.ACTIVE}
    assert not ExpiryReminder.objects.exists()
    assert not CredentialEvent.objects.filter(action=CredentialEvent.Action.EXPIRED).exists()
    assert mail.outbox == []


def test_now_moves_the_run_to_another_moment(credentials, django_capture_on_commit_callbacks):
    later = (NOW + timedelta(days=6)).isoformat()
    with django_capture_on_commit_callbacks(execute=True):
        output = run("--now", later)

    # Six days on, the 5-day credential has lapsed too; the others are each a bucket closer.
    assert f"Expiry run at {later}." in output
    assert "Expired: 2 credential(s)." in output
    assert "Reminders sent: 90 days: 1, 30 days: 1, 7 days: 0." in output
    assert set(CredentialEvent.objects.filter(action=CredentialEvent.Action.EXPIRED).values_list("at", flat=True)) == {
        NOW + timedelta(days=6)
    }


def test_a_date_without_an_offset_is_read_in_the_sites_time_zone(credentials):
    output = run("--dry-run", "--now", "2027-03-21")
    assert "Dry run at 2027-03-21T00:00:00+00:00" in output
    assert "Would expire: 2 credential(s)." in output


@pytest.mark.parametrize("bad", ["tomorrow", "2027-13-01", "15/03/2027", ""])
def test_a_bad_now_is_a_command_error_with_a_clear_message(credentials, bad):
    with pytest.raises(CommandError, match=r"--now must be an ISO 8601 date and time"):
        run("--now", bad)
    assert set(Credential.objects.values_list("status", flat=True)) == {Credential.Status.ACTIVE}


def test_a_bad_now_exits_with_a_non_zero_status():
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run(
        [sys.executable, "manage.py", "expire_credentials", "--now", "not-a-date"],
        cwd=root,
        env={"DJANGO_SETTINGS_MODULE": "tests.settings", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1
    assert "--now must be an ISO 8601 date and time" in result.stderr
    assert "'not-a-date'" in result.stderr


def test_the_help_text_explains_the_job():
    from certifications.management.commands.expire_credentials import Command

    parser = Command().create_parser("manage.py", "expire_credentials")
    text = parser.format_help()
    assert "--dry-run" in text and "--now ISO-DATETIME" in text
    assert "90, 30 and 7 days" in text
    assert "cron" in text
