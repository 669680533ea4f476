"""Two submits of the same acknowledgement at once keep one row (PostgreSQL)."""

from __future__ import annotations

import pytest
from django.db import connection

from playbooks.models import Acknowledgement
from playbooks.services.acknowledgements import Outcome, acknowledge_playbook
from tests.concurrency import run_together
from tests.playbooks import coverage_builders as cb

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs PostgreSQL (set DATABASE_URL)"),
]

transactional = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@transactional
@pytest.mark.parametrize("threads", [2, 6])
def test_simultaneous_acknowledgements_write_one_row(learner, threads):
    page = cb.required(version=3, questions=cb.QUESTIONS)
    answers = {number: correct for number, (_q, _c, correct) in enumerate(cb.QUESTIONS, start=1)}

    def submit():
        from lms.accounts.models import User

        return acknowledge_playbook(user=User.objects.get(pk=learner.pk), playbook=page, answers=answers).outcome

    outcomes = run_together(threads, submit)

    assert sorted(result for kind, result in outcomes if kind == "ok") == sorted(
        [Outcome.RECORDED] + [Outcome.ALREADY] * (threads - 1)
    ), outcomes
    assert Acknowledgement.objects.filter(user=learner, version=3).count() == 1
