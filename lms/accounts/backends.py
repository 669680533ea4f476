"""Authentication that ends the sessions of members of suspended partner organizations."""

from __future__ import annotations

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.exceptions import PermissionDenied
from django.dispatch import receiver

from lms.accounts import ratelimit
from lms.accounts.models import User
from lms.querysets import first_unordered


class PartnerAwareBackend(ModelBackend):
    """Loads the person together with their membership in one query.

    A person whose organization was suspended after they signed in is treated as
    signed out. The login form (not this backend) tells them why at sign-in, so the
    message is specific instead of a generic "wrong password".
    """

    def authenticate(self, request, username=None, password=None, **kwargs):
        """Refuse outright while the address or the account is over its failure limit."""
        if request is not None and ratelimit.is_login_limited(request, username or ""):
            raise PermissionDenied  # stops authenticate(); counted as a failure below
        return super().authenticate(request, username=username, password=password, **kwargs)

    def _get_permissions(self, user_obj, obj, from_name):
        """Partner members hold no model permissions, whatever groups they were put in:
        the Wagtail admin and every permission check stay closed to them."""
        if getattr(user_obj, "membership", None) is not None:
            return set()
        return super()._get_permissions(user_obj, obj, from_name)

    def get_user(self, user_id):
        user = first_unordered(User._default_manager.select_related("membership__organization").filter(pk=user_id))
        if user is None or not self.user_can_authenticate(user) or organization_is_suspended(user):
            return None
        return user


def organization_is_suspended(user: User) -> bool:
    membership = getattr(user, "membership", None)
    return membership is not None and membership.organization.is_suspended


@receiver(user_login_failed, dispatch_uid="accounts.count_login_failure")
def _count_login_failure(sender, credentials: dict, request=None, **kwargs) -> None:
    if request is not None:
        ratelimit.record_login_failure(request, credentials.get("username", ""))


@receiver(user_logged_in, dispatch_uid="accounts.forget_login_failures")
def _forget_login_failures(sender, request, user: User, **kwargs) -> None:
    if request is not None:
        ratelimit.clear_account_failures(request, user.email)
