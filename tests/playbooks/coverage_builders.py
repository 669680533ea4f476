"""Builders for the message alignment tests: playbooks that ask for an acknowledgement."""

from __future__ import annotations

from playbooks.models import PlaybookPage
from tests.playbooks import builders

QUESTIONS = (
    ("What do we lead with?", ["Price", "Tested restores", "Logos"], 2),
    ("Who cares most about restores?", ["The CIO", "Nobody"], 1),
    ("How often are backups tested?", ["Yearly", "Monthly", "Nightly"], 3),
)


def check(*questions: tuple[str, list[str], int]) -> list[dict]:
    """Raw StreamField data for the acknowledgement check."""
    return [
        {"type": "question", "value": {"question": question, "choices": choices, "correct": correct}}
        for question, choices, correct in questions
    ]


def required(title: str = "Selling backups", *, version: int = 1, questions=(), **fields) -> PlaybookPage:
    return builders.playbook(
        title=title,
        requires_acknowledgement=True,
        message_version=version,
        acknowledgement_check=check(*questions),
        **fields,
    )


def republish(page: PlaybookPage, **fields) -> PlaybookPage:
    """Publish a new revision of `page` with `fields` changed; the fresh live page."""
    page = PlaybookPage.objects.get(pk=page.pk)
    for name, value in fields.items():
        setattr(page, name, value)
    page.save_revision().publish()
    return PlaybookPage.objects.get(pk=page.pk)


def right_answers(questions) -> dict[str, str]:
    return {f"q{number}": str(correct) for number, (_q, _c, correct) in enumerate(questions, start=1)}
