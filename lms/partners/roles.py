"""Staff roles: Django groups with the Wagtail admin permissions each role needs.

Partner roles (partner admin, partner learner) are not groups: they live on the
membership, so they are always scoped to one organization.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from django.utils.translation import gettext_lazy as _


class StaffRole(StrEnum):
    COURSE_AUTHOR = "Course authors"
    MARKETER = "Marketers"
    INTERNAL_EXPERT = "Internal experts"
    TIER_MANAGER = "Tier managers"
    SITE_ADMIN = "Site admins"


STAFF_ROLE_LABELS = {
    StaffRole.COURSE_AUTHOR: _("Course author"),
    StaffRole.MARKETER: _("Marketer"),
    StaffRole.INTERNAL_EXPERT: _("Internal expert"),
    StaffRole.TIER_MANAGER: _("Tier manager"),
    StaffRole.SITE_ADMIN: _("Site admin"),
}


@dataclass(frozen=True)
class RoleGrant:
    """Model permissions ("app_label.codename") and collection permissions for media."""

    permissions: tuple[str, ...] = ()
    collection_permissions: tuple[str, ...] = ()
    root_page_permissions: tuple[str, ...] = ()  # granted on the whole page tree

    @property
    def all_names(self) -> tuple[str, ...]:
        return self.permissions + self.collection_permissions + self.root_page_permissions


ADMIN_ACCESS = "wagtailadmin.access_admin"
MEDIA_EDITING = (
    "wagtailimages.add_image",
    "wagtailimages.change_image",
    "wagtailimages.choose_image",
    "wagtaildocs.add_document",
    "wagtaildocs.change_document",
    "wagtaildocs.choose_document",
)

# Who may see the brand assets of each media collection (playbooks.CollectionAudience).
ASSET_AUDIENCES = (
    "playbooks.add_collectionaudience",
    "playbooks.change_collectionaudience",
    "playbooks.delete_collectionaudience",
    "playbooks.view_collectionaudience",
)

ROLE_GRANTS: dict[StaffRole, RoleGrant] = {
    StaffRole.COURSE_AUTHOR: RoleGrant(permissions=(ADMIN_ACCESS,), collection_permissions=MEDIA_EDITING),
    StaffRole.MARKETER: RoleGrant(permissions=(ADMIN_ACCESS, *ASSET_AUDIENCES), collection_permissions=MEDIA_EDITING),
    StaffRole.INTERNAL_EXPERT: RoleGrant(),
    StaffRole.TIER_MANAGER: RoleGrant(
        permissions=(ADMIN_ACCESS, "partners.view_organization", "partners.view_membership")
    ),
    StaffRole.SITE_ADMIN: RoleGrant(
        permissions=(
            ADMIN_ACCESS,
            "partners.add_organization",
            "partners.change_organization",
            "partners.delete_organization",
            "partners.view_organization",
            "partners.add_membership",
            "partners.change_membership",
            "partners.delete_membership",
            "partners.view_membership",
            "accounts.add_user",
            "accounts.change_user",
            "accounts.view_user",
            "auth.view_group",
            "auth.change_group",
            *ASSET_AUDIENCES,
        ),
        collection_permissions=MEDIA_EDITING,
        root_page_permissions=(
            "wagtailcore.add_page",
            "wagtailcore.change_page",
            "wagtailcore.publish_page",
            "wagtailcore.lock_page",
            "wagtailcore.unlock_page",
        ),
    ),
}


def ensure_staff_roles(**kwargs) -> None:
    """Create or update the staff groups; runs after every migrate (idempotent)."""
    from django.apps import apps
    from django.contrib.auth.management import create_permissions
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import Collection, GroupCollectionPermission, GroupPagePermission, Page

    # post_migrate reaches this app before django.contrib.auth has created the
    # permissions of later apps, so make sure the ones granted here exist.
    granted = {name.split(".")[0] for grant in ROLE_GRANTS.values() for name in grant.all_names}
    for app_config in apps.get_app_configs():
        if app_config.label in granted:
            create_permissions(app_config, verbosity=0)

    root_collection = Collection.get_first_root_node()
    root_page = Page.get_first_root_node()
    for role, grant in ROLE_GRANTS.items():
        group, _created = Group.objects.get_or_create(name=role.value)
        group.permissions.add(*_permissions(Permission, grant.permissions))
        if root_collection is not None:
            for permission in _permissions(Permission, grant.collection_permissions):
                GroupCollectionPermission.objects.get_or_create(
                    group=group, collection=root_collection, permission=permission
                )
        if root_page is not None:
            for permission in _permissions(Permission, grant.root_page_permissions):
                GroupPagePermission.objects.get_or_create(group=group, page=root_page, permission=permission)
    _site_admins_moderate(Group.objects.get(name=StaffRole.SITE_ADMIN.value))


def _site_admins_moderate(site_admins) -> None:
    """Site admins approve pages submitted to Wagtail's default moderation workflow."""
    from wagtail.models import GroupApprovalTask

    for task in GroupApprovalTask.objects.filter(name="Moderators approval"):
        task.groups.add(site_admins)


def _permissions(permission_model, names: tuple[str, ...]) -> list:
    found = []
    for name in names:
        app_label, codename = name.split(".", 1)
        permission = permission_model.objects.filter(content_type__app_label=app_label, codename=codename).first()
        if permission is None:
            raise LookupError(f"Role grant names a permission that does not exist: {name}")
        found.append(permission)
    return found
