"""Background work for certifications: the emails about credentials.

Each email is written in its recipient's preferred language.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from certifications.models import Credential

KINDS = ("reminder", "recertify", "status")


@task()
def send_credential_emails(*, credential_ids: list[int], kind: str, days: int | None = None) -> int:
    if kind not in KINDS:
        raise ValueError(f"unknown credential email kind {kind!r}")
    credentials = Credential.objects.filter(pk__in=credential_ids).select_related("user", "certification")
    messages = []
    for credential in credentials:
        with translation.override(credential.user.preferred_language or settings.LANGUAGE_CODE):
            context = {
                "credential": credential,
                "certification": credential.certification,
                "days": days,
                "learn_url": settings.BASE_URL + reverse("portal:learn"),
                "verify_url": settings.BASE_URL + reverse("certifications:verify", kwargs={"code": credential.code}),
            }
            subject = render_to_string(f"certifications/email/{kind}_subject.txt", context).strip()
            body = render_to_string(f"certifications/email/{kind}_body.txt", context)
        messages.append(EmailMessage(subject=subject, body=body, to=[credential.user.email]))
    for message in messages:
        message.send()
    return len(messages)
