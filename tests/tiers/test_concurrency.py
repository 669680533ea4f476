"""Racing tier evaluations and a tier manager's action on one organization (PostgreSQL)."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection

from certifications.models import TierChange, TierStanding
from certifications.services.tier_actions import set_lock_in
from certifications.services.tiers import evaluate_tiers
from lms.partners.roles import StaffRole
from tests.certifications import builders
from tests.concurrency import run_together
from tests.factories import OrganizationFactory
from tests.tiers.test_evaluation_service import NOW, member, now, rules  # noqa: F401  (now: the clock fixture)

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL (set DATABASE_URL)"),
]

transactional = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@transactional
def test_simultaneous_evaluations_promote_once_and_create_one_standing():
    rules()
    organization = OrganizationFactory(tier="registered")
    builders.issue(member(organization), builders.certification(validity_months=24), issued_at=NOW - timedelta(days=5))

    outcomes = run_together(8, lambda: evaluate_tiers(organization_ids=[organization.pk]))

    assert [kind for kind, _ in outcomes] == ["ok"] * 8
    organization.refresh_from_db()
    assert organization.tier == "silver"
    assert TierStanding.objects.filter(pk=organization.pk).count() == 1
    assert TierChange.objects.filter(organization=organization, kind=TierChange.Kind.PROMOTED).count() == 1


@transactional
def test_an_evaluation_and_a_lock_in_at_the_same_time_both_land(make_staff):
    rules()
    manager = make_staff(StaffRole.TIER_MANAGER)
    organization = OrganizationFactory(tier="registered")
    builders.issue(member(organization), builders.certification(validity_months=24), issued_at=NOW - timedelta(days=5))
    until = NOW.date() + timedelta(days=90)
    actions = iter(
        [
            lambda: evaluate_tiers(organization_ids=[organization.pk]),
            lambda: set_lock_in(organization=organization, until=until, reason="Contract", actor=manager),
        ]
    )
    lock = threading.Lock()

    def next_action():
        with lock:
            action = next(actions)
        return action()

    outcomes = run_together(2, next_action)

    assert [kind for kind, _ in outcomes] == ["ok", "ok"], outcomes
    standing = TierStanding.objects.get(pk=organization.pk)
    assert standing.lock_in_until == until
    assert standing.eligible == "silver"
