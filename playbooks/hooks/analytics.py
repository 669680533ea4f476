"""Wagtail admin hooks for the analytics part of playbooks: the pages and their Reports menu item."""

from __future__ import annotations

from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from playbooks.analytics import can_read_analytics
from playbooks.views import analytics as views


@hooks.register("register_admin_urls")
def register_analytics_urls():
    return [
        path("playbooks/analytics/", views.overview, name="playbooks_analytics"),
        path("playbooks/analytics/export/<slug:report>.csv", views.export, name="playbooks_analytics_export"),
    ]


class AnalyticsMenuItem(MenuItem):
    """Shown to those the views let in; the views check again."""

    def is_shown(self, request) -> bool:
        return can_read_analytics(request.user)


@hooks.register("register_reports_menu_item")
def register_analytics_menu_item():
    return AnalyticsMenuItem(
        _("Playbook analytics"),
        reverse("playbooks_analytics"),
        name="playbook-analytics",
        icon_name="table",
        order=650,
    )
