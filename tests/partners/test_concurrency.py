"""Racing acceptances of one invitation produce exactly one account (PostgreSQL)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from lms.accounts.models import User
from lms.partners import services
from lms.partners.models import Invitation, Membership
from lms.partners.tokens import hash_token

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (set DATABASE_URL)"),
]


# Serialized rollback, as in every transactional test here: the flush afterwards must not
# re-run post_migrate, or the next test could not restore the migrated data.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_ten_simultaneous_acceptances_create_one_account_and_one_membership(organization):
    Invitation.objects.create(
        organization=organization,
        email="racer@p.example",
        token_hash=hash_token("race"),
        expires_at="2099-01-01T00:00Z",
    )
    start = threading.Barrier(10)
    outcomes: list[str] = []

    def accept() -> None:
        start.wait()
        try:
            services.accept_invitation(
                token="race", first_name="R", last_name="C", password="a-long-unusual-passphrase-7"
            )
            outcomes.append("created")
        except services.InvitationError as error:
            outcomes.append(error.code)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=accept) for _ in range(10)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(outcomes) == ["accepted"] * 9 + ["created"], outcomes  # losers are told it was used
    assert User.objects.filter(email="racer@p.example").count() == 1
    assert Membership.objects.filter(user__email="racer@p.example").count() == 1
