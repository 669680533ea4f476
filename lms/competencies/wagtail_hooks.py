"""Site admins and course authors define competencies in the Wagtail admin."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from lms.competencies.models import Competency


class CompetencyViewSet(SnippetViewSet):
    model = Competency
    icon = "tag"
    menu_label = _("Competencies")
    menu_order = 210
    add_to_admin_menu = True
    list_display = ["name", "name_fa", "slug"]
    search_fields = ["name", "name_fa", "slug"]


register_snippet(CompetencyViewSet)
