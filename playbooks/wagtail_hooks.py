"""The Wagtail admin dashboard shows each person the playbooks they own that are overdue for review."""

from __future__ import annotations

from django.utils import timezone
from wagtail import hooks
from wagtail.admin.ui.components import Component

from lms import clock
from playbooks.selectors import overdue_playbooks


class OverduePlaybooksPanel(Component):
    name = "overdue_playbooks"
    template_name = "playbooks/admin/overdue_panel.html"
    order = 90  # above Wagtail's own panels, which start at 100

    def __init__(self, user) -> None:
        self.user = user

    def get_context_data(self, parent_context=None):
        context = super().get_context_data(parent_context)
        context["playbooks"] = overdue_playbooks(owner=self.user, today=timezone.localdate(clock.now()))
        return context

    def render_html(self, parent_context=None) -> str:
        context = self.get_context_data(parent_context)
        if not context["playbooks"]:
            return ""
        from django.template.loader import render_to_string

        return render_to_string(self.template_name, context)


@hooks.register("construct_homepage_panels")
def add_overdue_playbooks_panel(request, panels) -> None:
    panels.append(OverduePlaybooksPanel(request.user))


# The other admin hooks, one module per part of the app.
from playbooks.hooks import analytics, assets, coverage  # noqa: E402, F401
