"""Staff roles are groups holding exactly the permissions their grant lists."""

import pytest
from django.contrib.auth.models import Group
from wagtail.models import GroupApprovalTask, GroupCollectionPermission, GroupPagePermission

from lms.partners.roles import ROLE_GRANTS, StaffRole, ensure_staff_roles

pytestmark = pytest.mark.django_db


def names(permissions) -> set[str]:
    return {f"{p.content_type.app_label}.{p.codename}" for p in permissions}


@pytest.mark.parametrize("role", list(StaffRole))
def test_each_staff_role_holds_exactly_its_grant(role):
    group = Group.objects.get(name=role.value)
    grant = ROLE_GRANTS[role]
    assert names(group.permissions.all()) == set(grant.permissions)
    collection = GroupCollectionPermission.objects.filter(group=group).select_related("permission__content_type")
    assert names(item.permission for item in collection) == set(grant.collection_permissions)
    # On the root of the page tree; catalogs grant their own pages (courses/roles.py, playbooks/roles.py).
    pages = GroupPagePermission.objects.filter(group=group, page__depth=1).select_related("permission__content_type")
    assert names(item.permission for item in pages) == set(grant.root_page_permissions)


def test_setting_up_the_roles_again_changes_nothing():
    before = (Group.objects.count(), GroupCollectionPermission.objects.count(), GroupPagePermission.objects.count())
    ensure_staff_roles()
    after = (Group.objects.count(), GroupCollectionPermission.objects.count(), GroupPagePermission.objects.count())
    assert after == before


def test_partner_members_cannot_be_given_staff_roles(learner):
    from lms.partners.services import assign_staff_role

    with pytest.raises(ValueError, match="cannot hold vendor staff roles"):
        assign_staff_role(user=learner, role=StaffRole.SITE_ADMIN)
    assert not learner.groups.exists()


def test_a_member_put_in_a_staff_group_by_hand_still_gets_no_admin_access(client, learner):
    learner.groups.add(Group.objects.get(name=StaffRole.SITE_ADMIN.value))
    client.force_login(learner)
    assert client.get("/admin/").status_code == 302
    assert not learner.has_perm("wagtailadmin.access_admin")


def test_vendor_staff_cannot_be_added_to_a_partner_organization(organization, site_admin):
    from django.core.exceptions import ValidationError

    from lms.partners.services import add_member

    with pytest.raises(ValidationError, match="Vendor staff cannot belong"):
        add_member(organization=organization, user=site_admin)
    assert not organization.memberships.exists()


def test_a_member_cannot_be_made_superuser(learner):
    from django.core.exceptions import ValidationError

    learner.is_superuser = True
    with pytest.raises(ValidationError, match="cannot be superusers"):
        learner.full_clean()


@pytest.mark.django_db
def test_site_admins_approve_pages_in_the_default_moderation_workflow():
    task = GroupApprovalTask.objects.get(name="Moderators approval")
    assert task.groups.filter(name=StaffRole.SITE_ADMIN.value).exists()
