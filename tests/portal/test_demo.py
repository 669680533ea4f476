"""load_demo: idempotent demo data with people in every role."""

from __future__ import annotations

from io import StringIO

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command

from lms.accounts.models import User
from lms.partners.models import Invitation, Membership, Organization
from lms.partners.roles import StaffRole
from lms.portal.demo import DEMO_PASSWORD
from lms.portal.models import HomePage

pytestmark = pytest.mark.django_db


def load() -> str:
    out = StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


def test_demo_data_covers_every_role_and_prints_the_logins():
    output = load()
    assert Organization.objects.count() >= 4
    assert Organization.objects.exclude(name_fa="").count() == Organization.objects.count()
    assert Membership.objects.filter(role=Membership.Role.ADMIN).exists()
    assert Membership.objects.filter(role=Membership.Role.LEARNER).exists()
    for role in StaffRole:
        members = Group.objects.get(name=role.value).user_set.all()
        assert members.exists(), role
        assert members[0].email in output
    assert DEMO_PASSWORD in output
    assert all(user.check_password(DEMO_PASSWORD) for user in User.objects.all())


def demo_counts() -> tuple[int, ...]:
    return tuple(model.objects.count() for model in (User, Membership, Invitation, HomePage))


def test_loading_the_demo_twice_changes_nothing():
    load()
    counts = demo_counts()
    load()
    assert demo_counts() == counts


def test_the_demo_home_page_exists_in_persian(client):
    load()
    response = client.get("/fa/")
    assert "توانمندسازی شرکا" in response.text


def test_demo_partner_admin_can_sign_in_and_see_the_team(client):
    load()
    response = client.post(
        "/accounts/login/", {"username": "partner-admin@demo.abrzad.example", "password": DEMO_PASSWORD}
    )
    assert response.status_code == 302
    assert "learner@demo.abrzad.example" in client.get("/partner/").text
