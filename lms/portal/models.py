"""Editorial pages of the portal shell."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField
from wagtail.models import Page
from wagtail.search import index

from lms.pages import CachedLocaleTranslation, DirectChildRoute, UnrestrictedPagesShortcut


class HomePage(CachedLocaleTranslation, DirectChildRoute, UnrestrictedPagesShortcut, Page):
    hero_title = models.CharField(_("hero title"), max_length=200, blank=True)
    hero_text = models.TextField(_("hero text"), blank=True)
    body = RichTextField(_("body"), blank=True, features=["h2", "h3", "bold", "italic", "link", "ol", "ul"])

    content_panels = [*Page.content_panels, FieldPanel("hero_title"), FieldPanel("hero_text"), FieldPanel("body")]
    search_fields = [*Page.search_fields, index.SearchField("hero_text"), index.SearchField("body")]

    parent_page_types = ["wagtailcore.Page"]
    # The catalogs most requests route through; other children route as Wagtail does.
    route_child_models = ("courses.CourseIndexPage", "playbooks.PlaybookIndexPage")
    cache_children = True
    max_count_per_parent = 1
    template = "portal/home_page.html"

    class Meta:
        verbose_name = _("home page")
