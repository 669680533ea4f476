"""Wagtail hooks for the brand asset library.

- Wagtail's own document URLs (`/documents/<id>/<file>`) apply the same collection
  audience as the library: anonymous readers are sent to sign in unless the document's
  collection has no audience at all (then it is public, as Wagtail serves it), partners
  outside a collection's audience get a 404, and everyone else gets the file through the same
  tracked download as the library's (so those downloads are recorded too).
- Marketers and site admins set each collection's audience in the admin menu
  "Asset audiences" (`CollectionAudienceViewSet`).
"""

from __future__ import annotations

from django import forms
from django.contrib.auth.views import redirect_to_login
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.viewsets.model import ModelViewSet

from playbooks.asset_audience import access_asset, open_to_everyone
from playbooks.models import CollectionAudience


@hooks.register("before_serve_document", order=100)  # after Wagtail's own privacy check
def serve_document_to_its_audience(document, request):
    if not request.user.is_authenticated:
        if not open_to_everyone(document.collection_id):
            return redirect_to_login(request.get_full_path())
    else:
        access_asset(request.user, document)  # 404 for those outside the audience
    from playbooks.views.downloads import document_response

    return document_response(request, document, channel_from_link=False)


class CollectionAudienceForm(forms.ModelForm):
    class Meta:
        model = CollectionAudience
        fields = ["collection", "minimum_tier", "organizations", "language"]
        widgets = {"organizations": forms.CheckboxSelectMultiple}


class CollectionAudienceViewSet(ModelViewSet):
    model = CollectionAudience
    form_fields = ["collection", "minimum_tier", "organizations", "language"]
    icon = "folder-open-inverse"
    menu_label = _("Asset audiences")
    menu_order = 310  # after Images (300) and Documents (400 is Snippets' neighbour)
    add_to_admin_menu = True
    name = "asset_audiences"
    list_display = ["collection", "minimum_tier", "language"]
    list_filter = ["minimum_tier", "language"]
    search_fields = None

    def get_form_class(self, for_update: bool = False):
        return CollectionAudienceForm

    def get_queryset(self, request):
        return CollectionAudience.objects.select_related("collection")


@hooks.register("register_admin_viewset")
def register_collection_audiences():
    return CollectionAudienceViewSet()
