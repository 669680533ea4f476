"""Wagtail admin hooks for the coverage part of playbooks: the "Message alignment" page."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from playbooks.views import coverage_admin


class CoverageMenuItem(MenuItem):
    def is_shown(self, request) -> bool:
        return coverage_admin.can_view_coverage(request.user)


@hooks.register("register_admin_urls")
def register_coverage_urls():
    return [
        path("playbooks/message-alignment/", coverage_admin.coverage_index, name="playbooks_coverage"),
        path("playbooks/message-alignment/export.csv", coverage_admin.coverage_export, name="playbooks_coverage_csv"),
    ]


@hooks.register("register_admin_menu_item")
def register_coverage_menu_item():
    return CoverageMenuItem(_("Message alignment"), reverse("playbooks_coverage"), icon_name="tick-inverse", order=320)
