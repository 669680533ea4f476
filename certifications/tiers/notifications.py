"""What partner admins and tier managers are told about tier changes: in the app and by
email, each in the reader's language. Partner admins hear of their own organization's
promotions, demotions and risk; tier managers of every change, and of promotions waiting
for their approval."""

from __future__ import annotations

from collections.abc import Callable

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from certifications.models import TierChange
from lms.accounts.models import User
from lms.calendars import format_date
from lms.notifications.services import Message, notify
from lms.partners.models import Membership, Tier
from lms.partners.roles import StaffRole

PARTNER_KINDS = (TierChange.Kind.PROMOTED, TierChange.Kind.DEMOTED, TierChange.Kind.AT_RISK)
MANAGER_KINDS = (*PARTNER_KINDS, TierChange.Kind.PROMOTION_PENDING)  # every kind anyone is told of


def tier_name(code: str) -> str:
    return str(Tier(code).label)


def change_sentence(change: TierChange) -> Callable[[], str]:
    """The sentence for a change, rendered later in each reader's language."""
    organization = change.organization

    def render() -> str:
        values = {
            "organization": organization.display_name,
            "from": tier_name(change.from_tier),
            "to": tier_name(change.to_tier),
        }
        if change.kind == TierChange.Kind.PROMOTED:
            return _("%(organization)s moved up from %(from)s to %(to)s.") % values
        if change.kind == TierChange.Kind.DEMOTED:
            return _("%(organization)s moved down from %(from)s to %(to)s.") % values
        if change.kind == TierChange.Kind.AT_RISK:
            values["date"] = format_date(change.effective_on, get_language())
            return _("%(organization)s is at risk of moving down to %(to)s on %(date)s.") % values
        return _("%(organization)s qualifies for %(to)s; the promotion waits for a tier manager's approval.") % values

    return render


def recipients(changes: list[TierChange]) -> dict[int, list[tuple[int, str]]]:
    """Change id → (user id, link) for each person to tell: tier managers get the tier
    dashboard's page of the organization, partner admins their team page."""
    organization_ids = {change.organization_id for change in changes}
    admins: dict[int, list[int]] = {}
    for organization_id, user_id in Membership.objects.filter(
        organization_id__in=organization_ids, role=Membership.Role.ADMIN, user__is_active=True
    ).values_list("organization_id", "user_id"):
        admins.setdefault(organization_id, []).append(user_id)
    managers = set(
        User.objects.filter(groups__name=StaffRole.TIER_MANAGER, is_active=True).values_list("pk", flat=True)
    )
    told: dict[int, list[tuple[int, str]]] = {}
    for change in changes:
        slug = change.organization.slug
        people = [(user_id, reverse("tiers:organization", kwargs={"slug": slug})) for user_id in sorted(managers)]
        if change.kind in PARTNER_KINDS:
            team = reverse("partners:team", kwargs={"slug": slug})
            people += [(user_id, team) for user_id in admins.get(change.organization_id, []) if user_id not in managers]
        told[change.pk] = people
    return told


def notify_tier_changes(*, change_ids: list[int]) -> None:
    from certifications.tiers.tasks import send_tier_change_emails

    changes = list(TierChange.objects.filter(pk__in=change_ids, kind__in=MANAGER_KINDS).select_related("organization"))
    if not changes:
        return
    told = recipients(changes)
    notify(
        messages=[
            Message(user_id=user_id, kind=f"tier_{change.kind}", text=change_sentence(change), url=url)
            for change in changes
            for user_id, url in told[change.pk]
        ]
    )
    send_tier_change_emails.enqueue(
        recipients={str(pk): [user for user, _url in people] for pk, people in told.items()}
    )
