"""Site admins manage organizations and their members in the Wagtail admin.

Invitations are sent from the portal's team page (/partner/<slug>/), which site
admins reach for every organization, so that every invitation goes through the
same service and email.
"""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from lms.partners.models import Organization


class OrganizationViewSet(SnippetViewSet):
    model = Organization
    icon = "group"
    menu_label = _("Partner organizations")
    menu_order = 200
    add_to_admin_menu = True
    list_display = ["name", "name_fa", "country", "tier", "status", "created_at"]
    list_filter = ["status", "tier"]
    search_fields = ["name", "name_fa", "slug"]
    ordering = ["name"]


register_snippet(OrganizationViewSet)
