"""Marketers author and publish playbooks below every catalog; moderation goes through Wagtail's workflow."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from wagtail.models import GroupPagePermission, Workflow

from lms.partners.roles import StaffRole
from playbooks.roles import CATALOG_PAGE_PERMISSIONS, grant_all_catalogs
from tests.playbooks import builders

pytestmark = pytest.mark.django_db


@pytest.fixture
def marketer(make_staff):
    return make_staff(StaffRole.MARKETER, email="marketer@vendor.example")


def granted(catalog) -> set[str]:
    marketers = Group.objects.get(name=StaffRole.MARKETER.value)
    return set(
        GroupPagePermission.objects.filter(group=marketers, page=catalog).values_list("permission__codename", flat=True)
    )


def test_marketers_hold_the_catalog_permissions_on_the_migrated_catalog_and_on_new_translations():
    assert granted(builders.catalog("en")) == set(CATALOG_PAGE_PERMISSIONS)
    assert granted(builders.catalog("fa")) == set(CATALOG_PAGE_PERMISSIONS)


def test_granting_again_changes_nothing():
    before = GroupPagePermission.objects.count()
    grant_all_catalogs()
    assert GroupPagePermission.objects.count() == before


def test_a_marketer_may_add_edit_and_publish_playbooks_but_not_course_pages(marketer):
    from tests.courses import builders as course_builders

    playbook = builders.playbook(title="Backups")
    assert builders.catalog().permissions_for_user(marketer).can_add_subpage()
    permissions = playbook.permissions_for_user(marketer)
    assert permissions.can_edit() and permissions.can_publish()
    assert not course_builders.catalog().permissions_for_user(marketer).can_add_subpage()


def test_a_marketer_creates_a_playbook_in_the_admin_and_only_vendor_staff_can_own_it(client, marketer, learner):
    catalog = builders.catalog()
    client.force_login(marketer)
    response = client.get(f"/admin/pages/add/playbooks/playbookpage/{catalog.pk}/")
    assert response.status_code == 200
    owners = {str(user) for user in response.context["form"].fields["owner"].queryset}
    assert str(marketer) in owners
    assert str(learner) not in owners
    assert 'name="review_by"' in response.content.decode()


def test_a_submitted_playbook_waits_for_moderation_then_goes_live(marketer, site_admin):
    workflow = Workflow.objects.get(name="Moderators approval")
    playbook = builders.playbook(title="Backups")
    playbook.title = "Backups, revised"
    revision = playbook.save_revision(user=marketer)

    state = workflow.start(playbook, marketer)
    assert state.status == state.STATUS_IN_PROGRESS
    task_state = state.current_task_state
    task = task_state.task.specific
    assert task.user_can_access_editor(playbook, site_admin)
    task.on_action(task_state, site_admin, "approve")

    playbook.refresh_from_db()
    assert playbook.live and playbook.title == "Backups, revised"
    assert playbook.live_revision_id == revision.pk
