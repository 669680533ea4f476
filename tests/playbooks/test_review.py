"""Playbooks past their review date are listed to their owner on the Wagtail dashboard."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from lms.partners.roles import StaffRole
from playbooks.selectors import overdue_playbooks
from tests.playbooks import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def marketer(make_staff):
    return make_staff(StaffRole.MARKETER, email="marketer@vendor.example")


def test_overdue_playbooks_are_the_owners_past_their_review_date(marketer, make_staff):
    other = make_staff(StaffRole.MARKETER, email="other@vendor.example")
    today = date(2026, 12, 1)
    builders.playbook(title="Old", owner=marketer, review_by=date(2026, 10, 1))
    builders.playbook(title="Older", owner=marketer, review_by=date(2026, 9, 1))
    builders.playbook(title="Due today", owner=marketer, review_by=today)
    builders.playbook(title="Not mine", owner=other, review_by=date(2026, 9, 1))
    builders.playbook(title="No date", owner=marketer)

    assert [page.title for page in overdue_playbooks(owner=marketer, today=today)] == ["Older", "Old"]


def test_the_dashboard_lists_the_owners_overdue_playbooks(client, marketer, make_staff):
    yesterday = timezone.localdate() - timedelta(days=1)
    page = builders.playbook(title="Stale Backups Playbook", owner=marketer, review_by=yesterday)
    client.force_login(marketer)

    response = client.get("/admin/")

    assert response.status_code == 200
    body = response.content.decode()
    assert "Your playbooks overdue for review" in body
    assert f"/admin/pages/{page.pk}/edit/" in body

    client.force_login(make_staff(StaffRole.MARKETER, email="someone-else@vendor.example"))
    assert "Your playbooks overdue for review" not in client.get("/admin/").content.decode()
