"""Who may see the brand assets in a Wagtail collection, and the record of every download.

Assets are Wagtail images and documents. Their audience is set per collection: a
collection's own restriction adds to those of the collections above it.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lms.partners.models import Tier


class AssetKind(models.TextChoices):
    IMAGE = "image", _("Image")
    DOCUMENT = "document", _("Document")


class CollectionAudience(models.Model):
    """The partners who may see and download the assets in one collection and those below it."""

    collection = models.OneToOneField(
        "wagtailcore.Collection", verbose_name=_("collection"), on_delete=models.CASCADE, related_name="audience"
    )
    minimum_tier = models.CharField(
        _("minimum partner tier"),
        max_length=16,
        choices=Tier.choices,
        blank=True,
        help_text=_("Leave empty to open the assets to every partner. Collections below this one inherit it."),
    )
    organizations = models.ManyToManyField(
        "partners.Organization",
        verbose_name=_("only these organizations"),
        blank=True,
        related_name="+",
        help_text=_("Leave empty for every organization. Other organizations do not see these assets at all."),
    )
    language = models.CharField(
        _("language of the assets"),
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text=_("Leave empty for assets without words, or in several languages."),
    )

    class Meta:
        verbose_name = _("asset audience")
        verbose_name_plural = _("asset audiences")

    def __str__(self) -> str:
        return str(self.collection)


class ReaderColumns(models.Model):
    """Who did something, for which organization, at the tier it had then (written by
    `playbooks.services.tracking.reader_context`)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    organization = models.ForeignKey(
        "partners.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    tier = models.CharField(_("tier then"), max_length=16, choices=Tier.choices, blank=True)

    class Meta:
        abstract = True


class AssetDownload(ReaderColumns):
    """One download of one asset: who, for which organization at which tier, and when."""

    class Channel(models.TextChoices):
        LIBRARY = "library", _("Asset library")
        PLAYBOOK = "playbook", _("Playbook")
        ZIP = "zip", _("Download all (zip)")

    kind = models.CharField(_("kind"), max_length=8, choices=AssetKind.choices)
    image = models.ForeignKey("wagtailimages.Image", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    document = models.ForeignKey(
        "wagtaildocs.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    title = models.CharField(_("asset"), max_length=255, help_text=_("The asset's title when it was downloaded."))
    rendition = models.CharField(_("format"), max_length=40, blank=True)
    channel = models.CharField(
        pgettext_lazy("where a download started", "from"),
        max_length=8,
        choices=Channel.choices,
        default=Channel.LIBRARY,
    )
    playbook = models.ForeignKey(
        "playbooks.PlaybookPage", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    downloaded_at = models.DateTimeField(_("downloaded"), db_index=True)

    class Meta:
        ordering = ["-downloaded_at"]
        verbose_name = _("asset download")
        verbose_name_plural = _("asset downloads")
        indexes = [
            models.Index(fields=["kind", "image"], name="download_by_image"),
            models.Index(fields=["kind", "document"], name="download_by_document"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="image") & models.Q(document__isnull=True))
                | (models.Q(kind="document") & models.Q(image__isnull=True)),
                name="download_names_one_kind_of_asset",
            )
        ]

    def __str__(self) -> str:
        return f"{self.title} {self.downloaded_at:%Y-%m-%d %H:%M}"


class PlaybookView(ReaderColumns):
    """One reading of a playbook page."""

    playbook = models.ForeignKey("playbooks.PlaybookPage", on_delete=models.CASCADE, related_name="+")
    viewed_at = models.DateTimeField(_("viewed"), db_index=True)

    class Meta:
        ordering = ["-viewed_at"]
        verbose_name = _("playbook view")
        verbose_name_plural = _("playbook views")

    def __str__(self) -> str:
        return f"{self.playbook_id} {self.viewed_at:%Y-%m-%d %H:%M}"
