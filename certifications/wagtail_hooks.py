"""Certifications in the Wagtail admin: course authors and site admins define
certifications; staff look up credentials, and site admins revoke, suspend and reinstate them.

Credentials are earned, never typed in: their admin is read-only, and status changes
go through `certifications.admin_views.change_status` (a reason is always recorded).
"""

from __future__ import annotations

from django.contrib import messages
from django.db.models import Max
from django.shortcuts import redirect
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy
from wagtail import hooks
from wagtail.admin.panels import ObjectList
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views import generic
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.permission_policies import ModelPermissionPolicy
from wagtail.permissions import register_permission_policy
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import IndexView, SnippetViewSet, SnippetViewSetGroup

from certifications import admin_views
from certifications.admin_forms import CertificationAdminForm
from certifications.models import Certification, Credential
from certifications.services.versions import VersionError, record_version
from certifications.tiers import admin_import
from certifications.tiers.admin import TierGroup
from lms.portal.templatetags.calendars import local_date


class ViewOnlyPolicy(ModelPermissionPolicy):
    """Whoever holds the view permission may look; nobody adds, edits or deletes here."""

    def user_has_permission(self, user, action):
        return action == "view" and super().user_has_permission(user, action)

    def users_with_any_permission(self, actions):
        return super().users_with_any_permission([action for action in actions if action == "view"])


# Registered before the viewset below asks for a policy (Wagtail refuses a late one).
register_permission_policy(Credential, ViewOnlyPolicy(Credential), exact_class=True)


class CertificationIndexView(IndexView):
    def get_base_queryset(self):
        # The current version number in the same query as the list.
        queryset = super().get_base_queryset().select_related("competency")
        return queryset.annotate(current_version=Max("versions__number"))


class CredentialIndexView(generic.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().select_related("certification", "user")


class CertificationViewSet(SnippetViewSet):
    model = Certification
    icon = "success"
    menu_label = _("Certifications")
    index_view_class = CertificationIndexView
    inspect_view_enabled = True
    inspect_view_class = admin_views.CertificationInspectView
    inspect_view_fields = [
        "name",
        "name_fa",
        "slug",
        "competency",
        "level",
        "is_active",
        "validity_months",
        "renewal_window_days",
        "renewal_exam",
        "renewal_course",
        "certificate_template",
    ]
    list_display = [
        "name",
        "competency",
        "level",
        BooleanColumn("is_active", label=_("Awarding"), sort_key="is_active"),
        Column("current_version", label=_("Version"), sort_key="current_version"),
    ]
    list_filter = ["competency", "level", "is_active"]
    # A plain database search: part of a word matches, in either language (few rows).
    search_fields = ["name", "name_fa", "slug"]
    search_backend_name = None
    edit_handler = ObjectList(
        [*Certification.panels, admin_views.VersionsPanel(heading=_("Versions"))],
        base_form_class=CertificationAdminForm,
    )


def _date_column(name: str, label) -> Column:
    return Column(name, label=label, accessor=lambda credential: local_date(getattr(credential, name)), sort_key=name)


class CredentialViewSet(ModelViewSet):
    model = Credential
    icon = "tick-inverse"
    index_view_class = CredentialIndexView
    menu_label = _("Credentials")
    url_prefix = "certifications/credentials"
    url_namespace = "certifications_credentials"
    add_to_reference_index = False
    copy_view_enabled = False
    inspect_view_enabled = True
    inspect_view_class = admin_views.CredentialInspectView
    list_display = [
        "holder_name",
        "certification",
        "status",
        _date_column("issued_at", pgettext_lazy("credential date", "Issued")),
        _date_column("expires_at", _("Expires")),
    ]
    list_filter = ["status", "certification"]
    search_fields = ["holder_name", "code", "user__email"]
    # The form is never shown (the policy refuses add and change), but a viewset needs one.
    form_fields = ["status_reason"]


class CertificationGroup(SnippetViewSetGroup):
    items = (CertificationViewSet, CredentialViewSet)
    menu_icon = "success"
    menu_label = _("Certifications")
    menu_order = 160


register_snippet(CertificationGroup)


# Partner tiers: rule sets, metrics and the tier history (certifications.tiers.admin).
@hooks.register("register_admin_viewset")
def register_tier_viewsets():
    return TierGroup()


@hooks.register("register_admin_urls")
def register_credential_status_urls():
    return [
        path("tiers/metric-values/import/", admin_import.import_metrics, name="tier_metrics_import"),
        path(
            "certifications/credentials/<int:pk>/status/<str:action>/",
            admin_views.change_status,
            name="certifications_admin_change_status",
        ),
    ]


def _record_version(request, instance):
    """Freeze the requirements after the form saved them (many-to-many included): a
    change creates a new version; other edits keep the current one."""
    if not isinstance(instance, Certification):
        return None
    try:
        record_version(certification=instance, actor=request.user)
    except VersionError as error:
        # The form checks the same rules; this is a change that raced it.
        messages.error(request, str(error))
        return redirect("wagtailsnippets_certifications_certification:edit", instance.pk)
    return None


hooks.register("after_create_snippet", _record_version)
hooks.register("after_edit_snippet", _record_version)
