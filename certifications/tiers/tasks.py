"""Background work for tiers: re-evaluating organizations after the facts change, and the
emails about tier changes, each in its recipient's language."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from certifications.models import TierChange
from certifications.tiers.notifications import change_sentence
from lms.accounts.models import User


@task()
def reevaluate_organizations(*, organization_ids: list[int]) -> int:
    """Re-evaluate the organizations whose facts changed; nothing to do without rules."""
    from certifications.services.tiers import NoActiveRules, evaluate_tiers  # the service enqueues this module's emails

    try:
        return len(evaluate_tiers(organization_ids=organization_ids))
    except NoActiveRules:
        return 0


@task()
def send_tier_change_emails(*, recipients: dict[str, list[int]]) -> int:
    changes = TierChange.objects.filter(pk__in=[int(pk) for pk in recipients]).select_related("organization")
    people = User.objects.in_bulk({user_id for user_ids in recipients.values() for user_id in user_ids})
    messages = []
    for change in changes:
        for user_id in recipients[str(change.pk)]:
            user = people.get(user_id)
            if user is None or not user.email:
                continue
            with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
                context = {
                    "user": user,
                    "sentence": change_sentence(change)(),
                    "change": change,
                    "url": settings.BASE_URL
                    + (
                        reverse("tiers:organization", kwargs={"slug": change.organization.slug})
                        if user.has_perm("certifications.view_tierstanding")
                        else reverse("partners:team", kwargs={"slug": change.organization.slug})
                    ),
                }
                subject = render_to_string("certifications/email/tier_change_subject.txt", context).strip()
                body = render_to_string("certifications/email/tier_change_body.txt", context)
            messages.append(EmailMessage(subject=subject, body=body, to=[user.email]))
    for message in messages:
        message.send()
    return len(messages)
