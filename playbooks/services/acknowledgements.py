"""A partner person acknowledges the current version of a playbook.

Only partner people (with a membership) who may read the playbook acknowledge it, and only
its live `message_version`. When the playbook has check questions, every one must be
answered and all answers right; a wrong answer records nothing and says which questions
to look at again. Acknowledging twice, or at the same moment from two tabs, is not an
error: the unique constraint keeps one row and the second submit hears "already".
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from lms import clock
from lms.partners.selectors import person_roles
from playbooks.models import Acknowledgement, PlaybookPage
from playbooks.permissions import access_playbook


class AcknowledgementError(Exception):
    """A request that cannot be acknowledged as sent; `status` is the HTTP answer."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


@dataclass(frozen=True)
class CheckQuestion:
    """A check question as the reader sees it: no right answer in it."""

    number: int
    question: str
    choices: tuple[tuple[int, str], ...]  # (1-based number, text)


def check_questions(playbook: PlaybookPage) -> list[CheckQuestion]:
    return [
        CheckQuestion(
            number=number,
            question=block.value["question"],
            choices=tuple(enumerate(block.value["choices"], start=1)),
        )
        for number, block in enumerate(playbook.acknowledgement_check, start=1)
    ]


def _right_answers(playbook: PlaybookPage) -> dict[int, int]:
    return {number: int(block.value["correct"]) for number, block in enumerate(playbook.acknowledgement_check, start=1)}


def grade(questions: list[CheckQuestion], right: Mapping[int, int], answers: Mapping[int, int]) -> list[int]:
    """The numbers of the questions answered wrongly. Raises AcknowledgementError for an
    answer to a question that does not exist, a choice that does not exist, or a question
    left unanswered."""
    numbers = {question.number: question for question in questions}
    unknown = sorted(set(answers) - set(numbers))
    if unknown:
        raise AcknowledgementError(_("This playbook has no question %(number)s.") % {"number": unknown[0]})
    for number, choice in answers.items():
        if choice not in dict(numbers[number].choices):
            raise AcknowledgementError(
                _("Question %(number)s has no choice %(choice)s.") % {"number": number, "choice": choice}
            )
    unanswered = sorted(set(numbers) - set(answers))
    if unanswered:
        raise AcknowledgementError(_("Please answer every question before you acknowledge."))
    return sorted(number for number in numbers if answers[number] != right[number])


class Outcome(StrEnum):
    RECORDED = "recorded"
    ALREADY = "already"
    WRONG = "wrong"
    OUTDATED = "outdated"  # the reader saw another version than the live one


@dataclass(frozen=True)
class AcknowledgementResult:
    outcome: Outcome
    version: int
    wrong: list[int] = field(default_factory=list)
    acknowledgement: Acknowledgement | None = None


def may_acknowledge(user, playbook: PlaybookPage) -> bool:
    """Partner people asked to acknowledge this playbook (reading access checked elsewhere)."""
    return playbook.requires_acknowledgement and person_roles(user).is_partner


def acknowledge_playbook(
    *, user, playbook: PlaybookPage, answers: Mapping[int, int], version: int | None = None
) -> AcknowledgementResult:
    """Record that `user` read the live version of `playbook` (or say they already did).

    `answers` maps question numbers to choice numbers (both from 1). `version`, when
    given, is the version the reader was shown: a playbook republished meanwhile is not
    acknowledged on their behalf.
    """
    roles = person_roles(user)
    if not roles.authenticated:
        raise PermissionDenied(_("Sign in to acknowledge a playbook."))
    live = PlaybookPage.objects.live().filter(pk=playbook.pk).first()
    if live is None:
        raise Http404(_("No such playbook."))
    access_playbook(user, live)
    if not roles.is_partner:
        raise PermissionDenied(_("Only partner people acknowledge playbooks."))
    if not live.requires_acknowledgement:
        raise AcknowledgementError(_("This playbook does not ask for an acknowledgement."), status=404)
    current = live.message_version
    if version is not None and version != current:
        return AcknowledgementResult(Outcome.OUTDATED, current)

    with transaction.atomic():
        existing = Acknowledgement.objects.filter(
            user=user, translation_key=live.translation_key, version=current
        ).first()
        if existing is not None:
            return AcknowledgementResult(Outcome.ALREADY, current, acknowledgement=existing)
        questions = check_questions(live)
        score = None
        if questions:
            wrong = grade(questions, _right_answers(live), answers)
            if wrong:
                return AcknowledgementResult(Outcome.WRONG, current, wrong=wrong)
            score = len(questions)
        elif answers:
            raise AcknowledgementError(_("This playbook has no check questions."))
        acknowledgement, created = Acknowledgement.objects.get_or_create(
            user=user,
            translation_key=live.translation_key,
            version=current,
            defaults={
                "playbook": live,
                "organization": roles.organization,
                "check_score": score,
                "acknowledged_at": clock.now(),
            },
        )
        if not created:  # a concurrent submit won the race
            return AcknowledgementResult(Outcome.ALREADY, current, acknowledgement=acknowledgement)
        organization_id = roles.organization.pk
        transaction.on_commit(lambda: _queue_coverage(organization_id))
    return AcknowledgementResult(Outcome.RECORDED, current, acknowledgement=acknowledgement)


def _queue_coverage(organization_id: int) -> None:
    from certifications.services.tiers import today
    from playbooks.tasks import record_coverage

    record_coverage.enqueue(organization_ids=[organization_id], as_of=today().isoformat())
