"""What certifications tell people: in the app always, by email where it matters
(expiry reminders, re-certification, a revoked or suspended credential)."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import npgettext

from lms.i18n import local_digits
from lms.notifications.services import Message, notify


def _learn_url() -> str:
    return reverse("portal:learn")


def notify_issued(*, credential) -> None:
    name = credential.certification
    notify(
        messages=[
            Message(
                user_id=credential.user_id,
                kind="credential_issued",
                text=lambda: _("You earned the credential “%(name)s”.") % {"name": name.display_name},
                url=reverse("certifications:verify", kwargs={"code": credential.code}),
            )
        ]
    )


def notify_status_changed(*, credential) -> None:
    from certifications.tasks import send_credential_emails

    name = credential.certification
    notify(
        messages=[
            Message(
                user_id=credential.user_id,
                kind="credential_status",
                text=lambda: (
                    _("Your credential “%(name)s” is now %(status)s.")
                    % {"name": name.display_name, "status": credential.status_in_sentence}
                ),
                url=_learn_url(),
            )
        ]
    )
    send_credential_emails.enqueue(credential_ids=[credential.pk], kind="status")


def notify_recertification_required(*, credential_ids: list[int], version_id: int) -> None:
    from certifications.models import Credential
    from certifications.tasks import send_credential_emails

    rows = Credential.objects.filter(pk__in=credential_ids).select_related("certification")
    notify(messages=[_recertify_message(credential) for credential in rows])
    send_credential_emails.enqueue(credential_ids=list(credential_ids), kind="recertify")


def _recertify_message(credential) -> Message:
    name = credential.certification
    return Message(
        user_id=credential.user_id,
        kind="recertification_required",
        text=lambda: (
            _("“%(name)s” has new requirements: re-certify before your credential expires.")
            % {"name": name.display_name}
        ),
        url=_learn_url(),
    )


def expiry_reminder_text(*, certification, days: int) -> str:
    """The in-app reminder, in the active language; it asks for a renewal only when the
    certification has a renewal path (a renewal exam or an update course)."""
    values = {"name": certification.display_name, "days": local_digits(days)}
    if certification.renewal_exam_id or certification.renewal_course_id:
        text = npgettext(
            "expiry reminder",
            "Your credential “%(name)s” expires in %(days)s day. Renew it in time.",
            "Your credential “%(name)s” expires in %(days)s days. Renew it in time.",
            days,
        )
    else:
        text = npgettext(
            "expiry reminder",
            "Your credential “%(name)s” expires in %(days)s day. To keep it, earn the certification again before then.",
            "Your credential “%(name)s” expires in %(days)s days. "
            "To keep it, earn the certification again before then.",
            days,
        )
    return text % values


def notify_expiry_reminders(*, reminders: Iterable[tuple[int, int, object, int]]) -> None:
    """reminders: (credential id, user id, certification, days before expiry)."""
    messages = [
        Message(
            user_id=user_id,
            kind="credential_expiring",
            text=lambda certification=certification, days=days: expiry_reminder_text(
                certification=certification, days=days
            ),
            url=_learn_url(),
        )
        for _credential_id, user_id, certification, days in reminders
    ]
    notify(messages=messages)
