"""The nightly expiry: live credentials past their date expire once, in batches, and
reminders go out 90, 30 and 7 days before, each once per expiry date."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.core import mail
from django.template.loader import render_to_string

from certifications import signals
from certifications.models import Certification, Credential, CredentialEvent, ExpiryReminder
from certifications.notifications import expiry_reminder_text
from certifications.services.awarding import renew_credential
from certifications.services.expiry import expire_due_credentials, run_expiry, send_due_reminders
from certifications.validity import add_months
from lms import clock
from lms.notifications.models import Notification
from tests.certifications import builders
from tests.courses import builders as course_builders
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

NOW = datetime(2027, 3, 15, 2, 0, tzinfo=UTC)
VALIDITY = 12


@pytest.fixture
def travel(monkeypatch):
    """Move `lms.clock.now` to the given moment; starts at NOW."""

    def to(moment: datetime) -> datetime:
        monkeypatch.setattr(clock, "now", lambda: moment)
        return moment

    to(NOW)
    return to


@pytest.fixture
def certification():
    return builders.certification(validity_months=VALIDITY)


def expiring(user, certification, expires_at: datetime) -> Credential:
    """A credential issued exactly one validity period before `expires_at`."""
    credential = builders.issue(user, certification, issued_at=add_months(expires_at, -VALIDITY))
    assert credential.expires_at == expires_at
    return credential


@pytest.fixture
def expired_signals():
    sent: list[dict] = []

    def receiver(sender, **kwargs):
        sent.append(kwargs)

    signals.credentials_expired.connect(receiver, weak=False)
    yield sent
    signals.credentials_expired.disconnect(receiver)


def status(credential: Credential) -> str:
    credential.refresh_from_db()
    return credential.status


# Expiry ------------------------------------------------------------------------------------


def test_only_live_credentials_past_their_date_expire(travel, certification):
    past, at_now, future = NOW - timedelta(days=1), NOW, NOW + timedelta(days=1)
    active_past = expiring(UserFactory(), certification, past)
    active_now = expiring(UserFactory(), certification, at_now)
    suspended_past = expiring(UserFactory(), certification, past)
    Credential.objects.filter(pk=suspended_past.pk).update(status=Credential.Status.SUSPENDED)
    revoked_past = expiring(UserFactory(), certification, past)
    Credential.objects.filter(pk=revoked_past.pk).update(status=Credential.Status.REVOKED)
    active_future = expiring(UserFactory(), certification, future)
    forever = builders.issue(UserFactory(), builders.certification(slug="forever", name="Forever"))
    assert forever.expires_at is None

    assert expire_due_credentials(now=NOW) == 3

    assert status(active_past) == status(active_now) == status(suspended_past) == Credential.Status.EXPIRED
    assert status(revoked_past) == Credential.Status.REVOKED
    assert status(active_future) == status(forever) == Credential.Status.ACTIVE
    active_past.refresh_from_db()
    assert active_past.status_changed_at == NOW


def test_each_expired_credential_gets_one_event_with_its_previous_status(travel, certification):
    active = expiring(UserFactory(), certification, NOW - timedelta(hours=1))
    suspended = expiring(UserFactory(), certification, NOW - timedelta(hours=2))
    Credential.objects.filter(pk=suspended.pk).update(status=Credential.Status.SUSPENDED)

    expire_due_credentials(now=NOW)

    events = CredentialEvent.objects.filter(action=CredentialEvent.Action.EXPIRED)
    assert sorted(events.values_list("credential_id", "from_status", "to_status", "actor_id", "at")) == sorted(
        [
            (active.pk, "active", "expired", None, NOW),
            (suspended.pk, "suspended", "expired", None, NOW),
        ]
    )


def test_the_expired_signal_is_sent_once_per_batch_after_commit(
    travel, certification, expired_signals, django_capture_on_commit_callbacks
):
    people = [UserFactory() for _ in range(5)]
    credentials = [expiring(person, certification, NOW - timedelta(days=1)) for person in people]

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert expire_due_credentials(now=NOW, batch_size=2) == 5
    assert expired_signals == []  # nothing before the transaction commits
    for callback in callbacks:
        callback()

    assert [len(sent["credential_ids"]) for sent in expired_signals] == [2, 2, 1]
    assert sorted(pk for sent in expired_signals for pk in sent["credential_ids"]) == sorted(
        credential.pk for credential in credentials
    )
    assert sorted(pk for sent in expired_signals for pk in sent["user_ids"]) == sorted(person.pk for person in people)


def test_running_expiry_again_changes_nothing_and_signals_nothing(
    travel, certification, expired_signals, django_capture_on_commit_callbacks
):
    credential = expiring(UserFactory(), certification, NOW - timedelta(days=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert expire_due_credentials(now=NOW) == 1
    with django_capture_on_commit_callbacks(execute=True):
        assert expire_due_credentials(now=NOW + timedelta(days=1)) == 0

    assert credential.events.filter(action=CredentialEvent.Action.EXPIRED).count() == 1
    assert len(expired_signals) == 1
    credential.refresh_from_db()
    assert credential.status_changed_at == NOW


def test_a_dry_run_counts_what_would_expire_and_writes_nothing(travel, certification):
    credential = expiring(UserFactory(), certification, NOW - timedelta(days=1))
    expiring(UserFactory(), certification, NOW + timedelta(days=5))

    result = run_expiry(now=NOW, dry_run=True)

    assert (result.expired, result.reminders) == (1, {7: 1, 30: 0, 90: 0})
    assert status(credential) == Credential.Status.ACTIVE
    assert not CredentialEvent.objects.filter(action=CredentialEvent.Action.EXPIRED).exists()
    assert not ExpiryReminder.objects.exists()
    assert not Notification.objects.filter(kind="credential_expiring").exists()


# Reminders ---------------------------------------------------------------------------------


def remind(travel, moment: datetime, callbacks) -> dict[int, int]:
    travel(moment)
    with callbacks(execute=True):
        return send_due_reminders(now=moment)


def test_reminders_go_out_at_90_30_and_7_days_each_once(travel, certification, django_capture_on_commit_callbacks):
    holder = UserFactory(email="holder@example.com")
    expires = NOW + timedelta(days=120)
    credential = expiring(holder, certification, expires)
    run = lambda moment: remind(travel, moment, django_capture_on_commit_callbacks)  # noqa: E731

    assert run(expires - timedelta(days=91)) == {7: 0, 30: 0, 90: 0}
    assert run(expires - timedelta(days=89)) == {7: 0, 30: 0, 90: 1}
    assert run(expires - timedelta(days=88)) == {7: 0, 30: 0, 90: 0}  # not twice
    assert run(expires - timedelta(days=29)) == {7: 0, 30: 1, 90: 0}
    assert run(expires - timedelta(days=29)) == {7: 0, 30: 0, 90: 0}
    assert run(expires - timedelta(days=6)) == {7: 1, 30: 0, 90: 0}
    assert run(expires - timedelta(days=1)) == {7: 0, 30: 0, 90: 0}

    assert sorted(credential.reminders.values_list("days_before", flat=True)) == [7, 30, 90]
    assert [message.to for message in mail.outbox] == [["holder@example.com"]] * 3
    assert Notification.objects.filter(user=holder, kind="credential_expiring").count() == 3


def test_a_credential_first_seen_at_five_days_gets_only_the_seven_day_reminder(
    travel, certification, django_capture_on_commit_callbacks
):
    credential = expiring(UserFactory(), certification, NOW + timedelta(days=5))

    assert remind(travel, NOW, django_capture_on_commit_callbacks) == {7: 1, 30: 0, 90: 0}
    assert remind(travel, NOW + timedelta(days=1), django_capture_on_commit_callbacks) == {7: 0, 30: 0, 90: 0}
    assert list(credential.reminders.values_list("days_before", flat=True)) == [7]
    assert len(mail.outbox) == 1


def test_a_renewed_credential_gets_reminders_for_its_new_expiry(
    travel, certification, django_capture_on_commit_callbacks
):
    credential = expiring(UserFactory(), certification, NOW + timedelta(days=20))
    assert remind(travel, NOW, django_capture_on_commit_callbacks) == {7: 0, 30: 1, 90: 0}

    renewed = renew_credential(credential=credential, evidence={"by": "test"})
    assert renewed is not None and renewed.expires_at == add_months(NOW + timedelta(days=20), VALIDITY)
    assert remind(travel, NOW + timedelta(days=1), django_capture_on_commit_callbacks) == {7: 0, 30: 0, 90: 0}

    new_expiry = renewed.expires_at
    assert remind(travel, new_expiry - timedelta(days=80), django_capture_on_commit_callbacks) == {7: 0, 30: 0, 90: 1}
    assert remind(travel, new_expiry - timedelta(days=3), django_capture_on_commit_callbacks) == {7: 1, 30: 0, 90: 0}
    assert sorted(credential.reminders.values_list("days_before", "expires_at")) == sorted(
        [(30, NOW + timedelta(days=20)), (90, new_expiry), (7, new_expiry)]
    )


def test_expired_suspended_and_revoked_credentials_get_no_reminder(
    travel, certification, django_capture_on_commit_callbacks
):
    for wanted in (Credential.Status.SUSPENDED, Credential.Status.REVOKED, Credential.Status.EXPIRED):
        credential = expiring(UserFactory(), certification, NOW + timedelta(days=5))
        Credential.objects.filter(pk=credential.pk).update(status=wanted)

    assert remind(travel, NOW, django_capture_on_commit_callbacks) == {7: 0, 30: 0, 90: 0}
    assert mail.outbox == []


def test_reminder_emails_are_written_in_the_holders_language(travel, django_capture_on_commit_callbacks):
    certification = builders.certification(
        name="Certified Cloud Security Associate", name_fa="کارشناس امنیت ابری", validity_months=VALIDITY
    )
    persian = UserFactory(email="persian@example.com", preferred_language="fa")
    english = UserFactory(email="english@example.com", preferred_language="en")
    expiring(persian, certification, NOW + timedelta(days=85))
    expiring(english, certification, NOW + timedelta(days=85))

    assert remind(travel, NOW, django_capture_on_commit_callbacks) == {7: 0, 30: 0, 90: 2}

    by_recipient = {message.to[0]: message for message in mail.outbox}
    assert set(by_recipient) == {"persian@example.com", "english@example.com"}
    persian_mail, english_mail = by_recipient["persian@example.com"], by_recipient["english@example.com"]
    assert "کارشناس امنیت ابری" in persian_mail.subject and "۹۰" in persian_mail.subject
    assert "کارشناس امنیت ابری" in persian_mail.body
    assert "Certified Cloud Security Associate" in english_mail.subject and "90" in english_mail.subject
    assert "Certified Cloud Security Associate" in english_mail.body
    assert "http://testserver/learn/" in english_mail.body


def test_reminders_are_also_in_app_notifications_in_both_languages(
    travel, certification, django_capture_on_commit_callbacks
):
    holder = UserFactory()
    expiring(holder, certification, NOW + timedelta(days=25))

    remind(travel, NOW, django_capture_on_commit_callbacks)

    notification = Notification.objects.get(user=holder, kind="credential_expiring")
    assert notification.message == (
        f"Your credential “{certification.name}” expires in 30 days. "
        "To keep it, earn the certification again before then."
    )
    assert certification.name_fa in notification.message_fa and "۳۰" in notification.message_fa
    assert notification.created_at == NOW
    assert notification.url == "/learn/"


def test_the_reminder_asks_for_a_renewal_only_when_there_is_a_renewal_path(travel, django_capture_on_commit_callbacks):
    update = course_builders.course(title="Cloud Security Update", lessons=1, exam=False)
    renewable = builders.certification(
        slug="renewable", name="Renewable", validity_months=VALIDITY, renewal_course=update
    )
    holder = UserFactory()
    expiring(holder, renewable, NOW + timedelta(days=25))

    remind(travel, NOW, django_capture_on_commit_callbacks)

    notification = Notification.objects.get(user=holder, kind="credential_expiring")
    assert notification.message == "Your credential “Renewable” expires in 30 days. Renew it in time."


@pytest.mark.parametrize(
    ("days", "renewal", "expected"),
    [
        (1, True, "Your credential “Renewable” expires in 1 day. Renew it in time."),
        (7, True, "Your credential “Renewable” expires in 7 days. Renew it in time."),
        (
            1,
            False,
            "Your credential “Renewable” expires in 1 day. To keep it, earn the certification again before then.",
        ),
    ],
)
def test_the_in_app_reminder_counts_days_in_the_singular_and_plural(days, renewal, expected):
    certification = Certification(name="Renewable", renewal_course_id=1 if renewal else None)
    assert expiry_reminder_text(certification=certification, days=days) == expected


@pytest.mark.parametrize(
    ("days", "expected"), [(1, "“Renewable” expires in 1 day"), (7, "“Renewable” expires in 7 days")]
)
def test_the_reminder_subject_counts_days_in_the_singular_and_plural(days, expected):
    context = {"certification": Certification(name="Renewable"), "days": days}
    assert render_to_string("certifications/email/reminder_subject.txt", context).strip() == expected
