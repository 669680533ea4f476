"""The staff permissions the courses app needs, added to the project's staff roles.

Course authors build question banks, quizzes and exams, define competencies, and
edit, publish and schedule pages under every course catalog.
"""

from __future__ import annotations

from dataclasses import replace

from django.db.models.signals import post_save

from lms.partners.roles import ROLE_GRANTS, StaffRole

COURSE_MODELS = ("questionbank", "question", "assessment")
AUTHORING = tuple(
    f"courses.{action}_{model}" for model in COURSE_MODELS for action in ("add", "change", "delete", "view")
)
COMPETENCIES = ("competencies.add_competency", "competencies.change_competency", "competencies.view_competency")
CATALOG_PAGE_PERMISSIONS = (
    "add_page",
    "change_page",
    "publish_page",
    "lock_page",
    "unlock_page",
)


def grant_course_author_permissions() -> None:
    for role, extra in (
        (StaffRole.COURSE_AUTHOR, AUTHORING + COMPETENCIES),
        (StaffRole.SITE_ADMIN, AUTHORING + COMPETENCIES + ("competencies.delete_competency",)),
    ):
        grant = ROLE_GRANTS[role]
        missing = tuple(name for name in extra if name not in grant.permissions)
        ROLE_GRANTS[role] = replace(grant, permissions=grant.permissions + missing)
    from courses.models import CourseIndexPage

    post_save.connect(grant_catalog_pages, sender=CourseIndexPage, dispatch_uid="courses.grant_catalog_pages")


def grant_catalog_pages(sender, instance, created: bool, **kwargs) -> None:
    """Course authors may edit and publish everything below each course catalog."""
    if not created:
        return
    from django.contrib.auth.models import Group, Permission
    from wagtail.models import GroupPagePermission

    group = Group.objects.filter(name=StaffRole.COURSE_AUTHOR.value).first()
    if group is None:
        return
    for permission in Permission.objects.filter(
        content_type__app_label="wagtailcore", codename__in=CATALOG_PAGE_PERMISSIONS
    ):
        GroupPagePermission.objects.get_or_create(group=group, page=instance, permission=permission)
