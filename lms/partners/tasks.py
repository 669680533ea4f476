"""Background work for partner organizations: outgoing invitation emails.

The task mints the invitation's token itself and stores only its hash, so the
token exists in the email alone, never in the task queue's arguments.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from lms.partners.models import Invitation
from lms.partners.tokens import hash_token, new_token


@task()
def send_invitation_email(*, invitation_id: int) -> None:
    token = new_token()
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("organization", "invited_by")
            .filter(pk=invitation_id, accepted_at__isnull=True, revoked_at__isnull=True)
            .first()
        )
        if invitation is None:
            return
        invitation.token_hash = hash_token(token)
        invitation.save(update_fields=["token_hash"])
    with translation.override(invitation.language):
        accept_url = settings.BASE_URL + reverse("accounts:accept_invitation", kwargs={"token": token})
        context = {"invitation": invitation, "organization": invitation.organization, "accept_url": accept_url}
        subject = render_to_string("partners/email/invitation_subject.txt", context).strip()
        body = render_to_string("partners/email/invitation_body.txt", context)
        html = render_to_string("partners/email/invitation_body.html", context)
    message = EmailMultiAlternatives(subject=subject, body=body, to=[invitation.email])
    message.attach_alternative(html, "text/html")
    message.send()
