"""Events other apps listen to: a person joined or left a partner organization.

They are sent after the change commits, whether it came through a service or
through the Wagtail admin; the tier engine re-evaluates on both.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save
from django.dispatch import Signal, receiver

from lms.partners.models import Membership

# Sent with organization=..., user=...
member_joined = Signal()
member_left = Signal()


@receiver(post_save, sender=Membership, dispatch_uid="partners.membership_saved")
def _membership_saved(sender, instance: Membership, created: bool, **kwargs) -> None:
    if created:
        organization, user = instance.organization, instance.user
        transaction.on_commit(lambda: member_joined.send(Membership, organization=organization, user=user))


@receiver(post_delete, sender=Membership, dispatch_uid="partners.membership_deleted")
def _membership_deleted(sender, instance: Membership, **kwargs) -> None:
    organization, user = instance.organization, instance.user
    transaction.on_commit(lambda: member_left.send(Membership, organization=organization, user=user))
