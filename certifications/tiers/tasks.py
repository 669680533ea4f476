"""Background work for tiers: re-evaluating organizations after the facts change, and the
emails about tier changes, each in its recipient's language."""

from __future__ import annotations

from collections import defaultdict

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


DIGEST_LINES = 50  # changes listed in one email; the rest are on the dashboard


@task()
def send_tier_change_emails(*, recipients: dict[str, list[int]]) -> int:
    """One email per person: the change itself when there is one, else a digest of the
    changes (a first evaluation can move thousands of organizations at once)."""
    changes = TierChange.objects.filter(pk__in=[int(pk) for pk in recipients]).select_related("organization")
    people = User.objects.in_bulk({user_id for user_ids in recipients.values() for user_id in user_ids})
    told: dict[int, list[TierChange]] = defaultdict(list)
    for change in changes.order_by("organization__name", "pk"):
        for user_id in recipients[str(change.pk)]:
            told[user_id].append(change)
    messages = []
    for user_id, own in told.items():
        user = people.get(user_id)
        if user is None or not user.email:
            continue
        with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
            messages.append(_email(user, own))
    for message in messages:
        message.send()
    return len(messages)


def _email(user: User, changes: list[TierChange]) -> EmailMessage:
    manager = user.has_perm("certifications.view_tierstanding")

    def link(change: TierChange) -> str:
        name = "tiers:organization" if manager else "partners:team"
        return settings.BASE_URL + reverse(name, kwargs={"slug": change.organization.slug})

    if len(changes) == 1:
        (change,) = changes
        context = {"user": user, "sentence": change_sentence(change)(), "change": change, "url": link(change)}
        template = "certifications/email/tier_change"
    else:
        listed = changes[:DIGEST_LINES]
        context = {
            "user": user,
            "count": len(changes),
            "lines": [(change_sentence(change)(), link(change)) for change in listed],
            "more": len(changes) - len(listed),
            "url": settings.BASE_URL + reverse("tiers:dashboard") if manager else "",
        }
        template = "certifications/email/tier_changes_digest"
    subject = render_to_string(f"{template}_subject.txt", context).strip()
    return EmailMessage(subject=subject, body=render_to_string(f"{template}_body.txt", context), to=[user.email])
