"""Competencies: the shared vocabulary of skills.

Courses and question banks are tagged with them, certifications certify them and
tier rules count the people who hold them. They live in the project core so that
every feature app can refer to them without depending on another feature app.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel
from wagtail.search import index

from lms.bilingual import BilingualNameMixin


class Competency(BilingualNameMixin, index.Indexed, models.Model):
    name = models.CharField(_("name (English)"), max_length=120, unique=True)
    name_fa = models.CharField(_("name (Persian)"), max_length=120, blank=True)
    slug = models.SlugField(_("slug"), max_length=80, unique=True)
    description = models.TextField(_("description (English)"), blank=True)
    description_fa = models.TextField(_("description (Persian)"), blank=True)
    icon = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("icon"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("name_fa")]),
        FieldPanel("slug"),
        FieldPanel("description"),
        FieldPanel("description_fa"),
        FieldPanel("icon"),
    ]
    search_fields = [index.SearchField("name"), index.SearchField("name_fa"), index.AutocompleteField("name")]

    class Meta:
        ordering = ["name"]
        verbose_name = _("competency")
        verbose_name_plural = _("competencies")

    def __str__(self) -> str:
        return self.display_name
