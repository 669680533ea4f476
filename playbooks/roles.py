"""The staff permissions the playbooks app needs, added to the project's staff roles.

Marketers edit, publish and schedule pages under every playbook catalog. The catalogs are
created by a data migration, before the staff groups exist, so the grant also runs after
every `migrate`; it is safe to run again.

(Marketers and site admins manage who may see each media collection's brand assets,
`CollectionAudience`, through the project's staff role grants, `lms.partners.roles`.)
"""

from __future__ import annotations

from django.db.models.signals import post_migrate, post_save

from lms.partners.roles import StaffRole

CATALOG_PAGE_PERMISSIONS = ("add_page", "change_page", "publish_page", "lock_page", "unlock_page")


def connect_marketer_grants(app_config) -> None:
    from playbooks.models import PlaybookIndexPage

    post_save.connect(grant_catalog_page, sender=PlaybookIndexPage, dispatch_uid="playbooks.grant_catalog_page")
    post_migrate.connect(grant_all_catalogs, sender=app_config, dispatch_uid="playbooks.grant_all_catalogs")


def grant_catalog_page(sender, instance, created: bool, **kwargs) -> None:
    if created:
        grant_marketer_permissions(instance)


def grant_all_catalogs(**kwargs) -> None:
    from playbooks.models import PlaybookIndexPage

    for catalog in PlaybookIndexPage.objects.all():
        grant_marketer_permissions(catalog)


def grant_marketer_permissions(catalog) -> None:
    """Marketers may add, edit, publish, lock and unlock everything below `catalog`."""
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission

    group = Group.objects.filter(name=StaffRole.MARKETER.value).first()
    if group is None:
        return
    for permission in Permission.objects.filter(
        content_type__app_label="wagtailcore", codename__in=CATALOG_PAGE_PERMISSIONS
    ):
        GroupPagePermission.objects.get_or_create(group=group, page=catalog, permission=permission)
