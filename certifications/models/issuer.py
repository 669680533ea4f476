"""Who issues the credentials: the name, logo and signature printed on certificates
and published in the Open Badges issuer profile."""

from __future__ import annotations

from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseGenericSetting, register_setting


@register_setting(icon="doc-full")
class IssuerSettings(BaseGenericSetting):
    name = models.CharField(_("issuer name (English)"), max_length=200, default="Abrzad Partner Program")
    name_fa = models.CharField(_("issuer name (Persian)"), max_length=200, default="برنامه شرکای ابرزاد")
    url = models.URLField(_("issuer website"), blank=True, help_text=_("Defaults to the portal's address."))
    email = models.EmailField(_("issuer contact email"), blank=True)
    logo = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("logo"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    signature = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("signature image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    signatory_name = models.CharField(_("signatory's name"), max_length=200, blank=True)
    signatory_title = models.CharField(_("signatory's title (English)"), max_length=200, blank=True)
    signatory_title_fa = models.CharField(_("signatory's title (Persian)"), max_length=200, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("name_fa")]),
        FieldRowPanel([FieldPanel("url"), FieldPanel("email")]),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("logo"), FieldPanel("signature")]),
                FieldPanel("signatory_name"),
                FieldRowPanel([FieldPanel("signatory_title"), FieldPanel("signatory_title_fa")]),
            ],
            _("Certificates"),
        ),
    ]

    class Meta:
        verbose_name = _("credential issuer")

    @property
    def display_name(self) -> str:
        return self.name_fa if get_language() == "fa" and self.name_fa else self.name
