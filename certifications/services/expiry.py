"""Expiry and reminders at scale, in set-based statements.

`expire_due_credentials` moves live credentials past their expiry to expired in
batches of primary-key ranges: one SELECT of the batch's ids (for the signal), one
INSERT … SELECT of the audit events and one UPDATE per batch, so a million credentials
never pass through Python objects. `send_due_reminders` stores each reminder once
(a unique constraint) and only then tells people.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Exists, OuterRef

from certifications import signals, verify_cache
from certifications.models import Certification, Credential, CredentialEvent, ExpiryReminder
from certifications.notifications import notify_expiry_reminders
from certifications.validity import REMINDER_DAYS

BATCH = 5_000
EMAIL_BATCH = 500


@dataclass(frozen=True)
class ExpiryRun:
    expired: int
    reminders: dict[int, int]  # days before expiry -> reminders sent


def expire_due_credentials(*, now: datetime, batch_size: int = BATCH, dry_run: bool = False) -> int:
    due = Credential.objects.filter(status__in=Credential.LIVE, expires_at__lte=now)
    if dry_run:
        return due.count()
    credentials = connection.ops.quote_name(Credential._meta.db_table)
    events = connection.ops.quote_name(CredentialEvent._meta.db_table)
    total, after = 0, 0
    while True:
        batch = list(due.filter(pk__gt=after).order_by("pk").values_list("pk", "user_id")[:batch_size])
        if not batch:
            return total
        low, high = batch[0][0], batch[-1][0]
        with transaction.atomic(), connection.cursor() as cursor:
            if connection.features.has_select_for_update:
                # A concurrent run may be expiring the same rows. Locking them first makes
                # this run wait for it, and skip the rows it expired: without the lock both
                # runs' INSERT … SELECT would read them as live and write two events each.
                # (SQLite serializes writers, and each statement reads what committed before it.)
                batch = list(
                    due.filter(pk__range=(low, high)).select_for_update().order_by("pk").values_list("pk", "user_id")
                )
            where = "id BETWEEN %s AND %s AND status IN (%s, %s) AND expires_at <= %s"
            params = [low, high, *Credential.LIVE, now]
            cursor.execute(
                f"INSERT INTO {events} (credential_id, action, reason, from_status, to_status, at, details, actor_id) "  # noqa: S608
                f"SELECT id, %s, '', status, %s, %s, %s, NULL FROM {credentials} WHERE {where}",
                [CredentialEvent.Action.EXPIRED, Credential.Status.EXPIRED, now, "{}", *params],
            )
            cursor.execute(
                f"UPDATE {credentials} SET status = %s, status_changed_at = %s WHERE {where}",  # noqa: S608
                [Credential.Status.EXPIRED, now, *params],
            )
            expired = cursor.rowcount
            if expired:
                verify_cache.everything_changed()  # a raw UPDATE: no save to hear of it
            ids, users = [pk for pk, _user in batch], sorted({user for _pk, user in batch})
            if expired:
                transaction.on_commit(
                    lambda ids=ids, users=users: signals.credentials_expired.send(
                        sender=Credential, credential_ids=ids, user_ids=users
                    )
                )
        total += expired
        after = high


def send_due_reminders(*, now: datetime, dry_run: bool = False) -> dict[int, int]:
    """Send the reminders now due: for each credential, the tightest threshold reached
    (90, 30 or 7 days), unless that one or a tighter one was already sent for the same
    expiry date. A credential renewed gets a new expiry, and so new reminders."""
    from certifications.tasks import send_credential_emails

    sent: dict[int, int] = {}
    thresholds = sorted(REMINDER_DAYS)
    certifications: dict[int, Certification] = {}
    for index, days in enumerate(thresholds):
        due = Credential.objects.filter(
            status=Credential.Status.ACTIVE, expires_at__gt=now, expires_at__lte=now + timedelta(days=days)
        )
        if index:
            due = due.filter(expires_at__gt=now + timedelta(days=thresholds[index - 1]))
        due = due.exclude(
            Exists(
                ExpiryReminder.objects.filter(
                    credential=OuterRef("pk"), expires_at=OuterRef("expires_at"), days_before__lte=days
                )
            )
        )
        if dry_run:
            sent[days] = due.count()
            continue
        rows = list(due.order_by("pk").values_list("pk", "user_id", "certification_id", "expires_at"))
        sent[days] = 0
        for start in range(0, len(rows), EMAIL_BATCH):
            chunk = rows[start : start + EMAIL_BATCH]
            with transaction.atomic():
                ExpiryReminder.objects.bulk_create(
                    [
                        ExpiryReminder(credential_id=pk, days_before=days, expires_at=at, sent_at=now)
                        for pk, _user, _cert, at in chunk
                    ],
                    ignore_conflicts=True,
                )
                # Only the rows this run stored: a concurrent run's reminders are its own to send.
                ours = set(
                    ExpiryReminder.objects.filter(
                        credential_id__in=[pk for pk, *_rest in chunk], days_before=days, sent_at=now
                    ).values_list("credential_id", flat=True)
                )
                chunk = [row for row in chunk if row[0] in ours]
                missing = {c for _pk, _user, c, _at in chunk} - certifications.keys()
                certifications.update(Certification.objects.in_bulk(missing))
                notify_expiry_reminders(
                    reminders=[(pk, user, certifications[cert], days) for pk, user, cert, _at in chunk]
                )
                ids = [pk for pk, _user, _cert, _at in chunk]
                transaction.on_commit(
                    lambda ids=ids, days=days: send_credential_emails.enqueue(
                        credential_ids=ids, kind="reminder", days=days
                    )
                )
            sent[days] += len(ids)
    return sent


def run_expiry(*, now: datetime, dry_run: bool = False) -> ExpiryRun:
    expired = expire_due_credentials(now=now, dry_run=dry_run)
    return ExpiryRun(expired=expired, reminders=send_due_reminders(now=now, dry_run=dry_run))
