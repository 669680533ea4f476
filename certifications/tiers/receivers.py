"""Re-evaluate tiers when their facts change: a credential is issued, renewed, expires, is
revoked, suspended or reinstated, a person joins or leaves an organization, or a metric
value is entered in the admin (CSV imports re-evaluate on their own). The signals arrive
after the change commits; the work goes through the task queue."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from certifications import signals
from certifications.models import MetricValue
from certifications.tiers.tasks import reevaluate_organizations
from lms.partners.models import Membership
from lms.partners.signals import member_joined, member_left


def reevaluate_for_people(user_ids: Iterable[int]) -> None:
    organization_ids = sorted(
        set(Membership.objects.filter(user_id__in=list(user_ids)).values_list("organization_id", flat=True))
    )
    if organization_ids:
        reevaluate_organizations.enqueue(organization_ids=organization_ids)


@receiver(signals.credential_issued, dispatch_uid="tiers.credential_issued")
@receiver(signals.credential_renewed, dispatch_uid="tiers.credential_renewed")
@receiver(signals.credential_revoked, dispatch_uid="tiers.credential_revoked")
@receiver(signals.credential_suspended, dispatch_uid="tiers.credential_suspended")
@receiver(signals.credential_reinstated, dispatch_uid="tiers.credential_reinstated")
def _credential_changed(sender, credential, **kwargs) -> None:
    reevaluate_for_people([credential.user_id])


@receiver(signals.credentials_expired, dispatch_uid="tiers.credentials_expired")
def _credentials_expired(sender, user_ids, **kwargs) -> None:
    reevaluate_for_people(user_ids)


@receiver(member_joined, dispatch_uid="tiers.member_joined")
@receiver(member_left, dispatch_uid="tiers.member_left")
def _membership_changed(sender, organization, **kwargs) -> None:
    reevaluate_organizations.enqueue(organization_ids=[organization.pk])


@receiver(post_save, sender=MetricValue, dispatch_uid="tiers.metric_value_saved")
@receiver(post_delete, sender=MetricValue, dispatch_uid="tiers.metric_value_deleted")
def _metric_value_changed(sender, instance: MetricValue, **kwargs) -> None:
    organization_id = instance.organization_id
    transaction.on_commit(lambda: reevaluate_organizations.enqueue(organization_ids=[organization_id]))
