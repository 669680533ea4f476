"""Blocks built on the media library: presentation templates, case studies and asset galleries."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.images.blocks import ImageChooserBlock

from playbooks.blocks.base import PREVIEW_TEMPLATE, TEXT_FEATURES


class PresentationTemplateBlock(blocks.StructBlock):
    document = DocumentChooserBlock(label=_("presentation file"))
    title = blocks.CharBlock(
        label=_("title"), required=False, max_length=200, help_text=_("Leave empty to use the document title.")
    )
    description = blocks.TextBlock(label=_("description"), required=False, max_length=600)
    thumbnail = ImageChooserBlock(
        label=_("thumbnail"),
        required=False,
        help_text=_("An image of the first slide. Without one, a PDF shows its first page, other files their type."),
    )

    class Meta:
        icon = "doc-full-inverse"
        label = _("Presentation template")
        template = "playbooks/blocks/presentation_template.html"
        description = _("A slide deck partners download and adapt.")

    def get_context(self, value, parent_context=None):
        from playbooks.thumbnails import thumbnail_url

        context = super().get_context(value, parent_context=parent_context)
        context["pdf_thumbnail_url"] = "" if value["thumbnail"] else thumbnail_url(value["document"])
        return context


class ResultBlock(blocks.StructBlock):
    figure = blocks.CharBlock(label=_("figure"), max_length=40, help_text=_("For example: 40%, 3×, 2 weeks."))
    label = blocks.CharBlock(label=_("what it measures"), max_length=200)

    class Meta:
        icon = "order"
        label = _("Result")


class CaseStudyBlock(blocks.StructBlock):
    customer = blocks.CharBlock(label=_("customer"), max_length=200)
    industry = blocks.CharBlock(label=_("industry"), required=False, max_length=120)
    logo = ImageChooserBlock(label=_("customer logo"), required=False)
    challenge = blocks.RichTextBlock(label=_("challenge"), features=TEXT_FEATURES)
    solution = blocks.RichTextBlock(label=_("solution"), features=TEXT_FEATURES)
    results = blocks.ListBlock(ResultBlock(), label=_("results"), default=[])
    quote = blocks.TextBlock(label=_("quote"), required=False, max_length=800)
    quote_author = blocks.CharBlock(
        label=_("quoted person"), required=False, max_length=200, help_text=_("Name and role.")
    )

    class Meta:
        icon = "openquote"
        label = _("Case study")
        template = "playbooks/blocks/case_study.html"
        preview_template = PREVIEW_TEMPLATE
        description = _("A customer story: the challenge, the solution and the results in figures.")

    def get_preview_value(self):
        return self.normalize(
            {
                "customer": gettext("Example Bank"),
                "industry": gettext("Finance"),
                "logo": None,
                "challenge": format_html("<p>{}</p>", gettext("Restores took days.")),
                "solution": format_html("<p>{}</p>", gettext("Tested nightly backups.")),
                "results": [{"figure": "80%", "label": gettext("faster recovery")}],
                "quote": gettext("We sleep better."),
                "quote_author": gettext("Head of IT"),
            }
        )


class GalleryItemsBlock(blocks.StreamBlock):
    image = ImageChooserBlock(label=_("image"))
    document = DocumentChooserBlock(label=_("document"))

    class Meta:
        label = _("assets")


class AssetGalleryBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), required=False, max_length=200)
    items = GalleryItemsBlock(label=_("assets"), min_num=1)

    class Meta:
        icon = "image"
        label = _("Asset gallery")
        template = "playbooks/blocks/asset_gallery.html"
        description = _("Images and documents to download.")
