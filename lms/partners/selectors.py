"""Reads about organizations and people, always scoped to what the reader may see."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, QuerySet
from django.utils import timezone

from lms.accounts.emails import canonical_email
from lms.accounts.models import User
from lms.partners.models import Invitation, Membership, Organization
from lms.partners.roles import StaffRole


@dataclass(frozen=True)
class PersonRoles:
    """Everything the interface needs to know about who someone is."""

    authenticated: bool
    superuser: bool = False
    staff_roles: frozenset[StaffRole] = frozenset()
    membership: Membership | None = None

    @property
    def organization(self) -> Organization | None:
        return self.membership.organization if self.membership else None

    @property
    def is_partner(self) -> bool:
        return self.membership is not None

    @property
    def is_partner_admin(self) -> bool:
        return self.membership is not None and self.membership.is_admin

    def has(self, role: StaffRole) -> bool:
        return self.superuser or role in self.staff_roles

    @property
    def is_site_admin(self) -> bool:
        return self.has(StaffRole.SITE_ADMIN)


ANONYMOUS = PersonRoles(authenticated=False)


def person_roles(user, *, fresh: bool = False) -> PersonRoles:
    """The person's roles, computed once per request object (one query for groups).

    `fresh` re-reads them, after a change to the person's own membership.
    """
    if not getattr(user, "is_authenticated", False):
        return ANONYMOUS
    if fresh:
        user.refresh_from_db()
    cached = None if fresh else getattr(user, "_abrzad_roles", None)
    if cached is not None:
        return cached
    membership = getattr(user, "membership", None)
    # Partner members never hold vendor staff roles (services.assign_staff_role
    # refuses), so their groups are not even looked up.
    names = set() if membership is not None else set(user.groups.values_list("name", flat=True))
    roles = PersonRoles(
        authenticated=True,
        superuser=user.is_superuser and membership is None,
        staff_roles=frozenset(role for role in StaffRole if role.value in names),
        membership=membership,
    )
    user._abrzad_roles = roles
    return roles


def organizations_for_site_admin() -> QuerySet[Organization]:
    return Organization.objects.annotate(member_count=Count("memberships"))


def team_members(*, organization: Organization) -> QuerySet[Membership]:
    return organization.memberships.select_related("user").order_by("-role", "user__first_name", "user__email")


def open_invitations(*, organization: Organization) -> QuerySet[Invitation]:
    return organization.invitations.filter(accepted_at__isnull=True, revoked_at__isnull=True).select_related(
        "invited_by"
    )


def pending_invitations(*, organization: Organization) -> QuerySet[Invitation]:
    """Open invitations that have not expired yet."""
    return open_invitations(organization=organization).filter(expires_at__gt=timezone.now())


def user_by_email(email: str) -> User | None:
    return User.objects.filter(email=canonical_email(email)).select_related("membership").first()
