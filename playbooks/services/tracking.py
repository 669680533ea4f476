"""Records of who read and downloaded what, with the organization and its tier at the time."""

from __future__ import annotations

from lms import clock
from lms.partners.selectors import person_roles
from playbooks.models import PlaybookView


def reader_context(user) -> dict:
    """The user, organization and tier columns of a tracking row for `user`."""
    roles = person_roles(user)
    organization = roles.organization
    return {
        "user": user if roles.authenticated else None,
        "organization": organization,
        "tier": organization.tier if organization is not None else "",
    }


def record_playbook_view(*, user, playbook) -> PlaybookView:
    return PlaybookView.objects.create(playbook=playbook, viewed_at=clock.now(), **reader_context(user))
