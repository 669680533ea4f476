"""The acknowledgement panel at the end of a playbook page.

{% load acknowledgements %}{% acknowledgement_panel page request.user request.GET.wrong as panel %}

`wrong` is what the acknowledge view puts in the address after wrong answers ("1,3"): the
panel names those questions next to the form, where the redirect lands (#acknowledgement),
rather than only in the messages at the top of the page.

The page template gets no acknowledgement data from the page model, so the tag works it
out: one query for a partner person (their acknowledgements of this playbook, in either
language), one for vendor staff (how many acknowledged the current version), none for a
playbook that asks for no acknowledgement or a reader who is neither.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django import template
from django.utils.translation import gettext as _

from courses.audience import Access
from lms.i18n import local_digits, local_list
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
    wrong: tuple[int, ...] = ()

    @property
    def wrong_message(self) -> str:
        if not self.wrong:
            return ""
        return _("Not quite: please look again at question %(numbers)s, then try again.") % {
            "numbers": local_list(local_digits(number) for number in self.wrong)
        }

    @property
    def asks(self) -> bool:
        return self.mode in {"form", "again"}


def parse_wrong(value: str | None, numbers: set[int]) -> tuple[int, ...]:
    """The question numbers named in the address, keeping only this playbook's questions."""
    if not value:
        return ()
    named = {int(part) for part in value[:20].split(",") if part.isascii() and part.isdigit() and len(part) < 3}
    return tuple(sorted(named & numbers))


@register.simple_tag
def acknowledgement_panel(page, user, wrong: str | None = None) -> AcknowledgementPanel | None:
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
    questions = check_questions(page)
    return AcknowledgementPanel(
        "again" if latest is not None else "form",
        page,
        version,
        questions=questions,
        wrong=parse_wrong(wrong, {question.number for question in questions}),
        previous_version=latest[0] if latest else None,
        acknowledged_at=latest[1] if latest else None,
    )
