"""Background work for partner organizations: outgoing invitation emails."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from lms.partners.models import Invitation


@task()
def send_invitation_email(*, invitation_id: int, token: str) -> None:
    invitation = Invitation.objects.select_related("organization", "invited_by").filter(pk=invitation_id).first()
    if invitation is None or not invitation.is_open:
        return
    with translation.override(invitation.language):
        accept_url = settings.BASE_URL + reverse("accounts:accept_invitation", kwargs={"token": token})
        context = {"invitation": invitation, "organization": invitation.organization, "accept_url": accept_url}
        subject = render_to_string("partners/email/invitation_subject.txt", context).strip()
        body = render_to_string("partners/email/invitation_body.txt", context)
        html = render_to_string("partners/email/invitation_body.html", context)
    message = EmailMultiAlternatives(subject=subject, body=body, to=[invitation.email])
    message.attach_alternative(html, "text/html")
    message.send()
