"""The acknowledgement panel at the end of a playbook page.

{% load acknowledgements %}{% acknowledgement_panel page request.user as panel %}

The page template gets no acknowledgement data from the page model, so the tag works it
out: one query for a partner person (their acknowledgements of this playbook, in either
language), one for vendor staff (how many acknowledged the current version), none for a
playbook that asks for no acknowledgement or a reader who is neither.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django import template

from courses.audience import Access
from lms.partners.selectors import person_roles
from playbooks.models import Acknowledgement, PlaybookPage
from playbooks.permissions import playbook_access
from playbooks.services.acknowledgements import CheckQuestion, check_questions

register = template.Library()


@dataclass(frozen=True)
class AcknowledgementPanel:
    """`mode`: "form" (asked for the first time), "again" (acknowledged an older version),
    "done" (acknowledged this version) or "staff" (a count instead of the form)."""

    mode: str
    page: PlaybookPage
    version: int
    questions: list[CheckQuestion] = field(default_factory=list)
    acknowledged_at: datetime | None = None
    previous_version: int | None = None
    count: int = 0

    @property
    def asks(self) -> bool:
        return self.mode in {"form", "again"}


@register.simple_tag
def acknowledgement_panel(page, user) -> AcknowledgementPanel | None:
    if not isinstance(page, PlaybookPage) or not page.requires_acknowledgement:
        return None
    roles = person_roles(user)
    version = page.message_version
    if roles.superuser or roles.staff_roles:
        count = (
            Acknowledgement.objects.filter(translation_key=page.translation_key, version__gte=version)
            .values("user_id")
            .distinct()
            .count()
        )
        return AcknowledgementPanel("staff", page, version, count=count)
    if not roles.is_partner or playbook_access(user, page) != Access.OPEN:
        return None
    latest = (
        Acknowledgement.objects.filter(user=user, translation_key=page.translation_key)
        .order_by("-version", "-acknowledged_at")
        .values_list("version", "acknowledged_at")
        .first()
    )
    if latest is not None and latest[0] >= version:
        return AcknowledgementPanel("done", page, version, acknowledged_at=latest[1], previous_version=latest[0])
    return AcknowledgementPanel(
        "again" if latest is not None else "form",
        page,
        version,
        questions=check_questions(page),
        previous_version=latest[0] if latest else None,
        acknowledged_at=latest[1] if latest else None,
    )
