"""Logo usage guidelines: logo variants, clear space, minimum size, colours and examples."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock

from playbooks import colours
from playbooks.blocks.base import PREVIEW_TEMPLATE

BACKGROUNDS = [("light", _("On light backgrounds")), ("dark", _("On dark backgrounds"))]


class LogoVariantBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("name"), max_length=120, help_text=_("For example: full colour, mono."))
    image = ImageChooserBlock(label=_("logo"))
    background = blocks.ChoiceBlock(label=_("background"), choices=BACKGROUNDS, default="light")

    class Meta:
        icon = "image"
        label = _("Logo variant")


class ColourSwatchBlock(blocks.StructBlock):
    name = blocks.CharBlock(label=_("name"), max_length=80)
    hex = blocks.CharBlock(label=_("HEX"), max_length=7, help_text=_("For example: #0B5F73."))
    rgb = blocks.CharBlock(
        label=_("RGB"),
        required=False,
        max_length=20,
        help_text=_("For example: 11, 95, 115. Leave empty to work it out."),
    )
    cmyk = blocks.CharBlock(label=_("CMYK"), required=False, max_length=24, help_text=_("For example: 90, 18, 0, 55."))

    class Meta:
        icon = "pick"
        label = _("Colour")

    def clean(self, value):
        value = super().clean(value)
        errors = {}
        try:
            value["hex"] = colours.parse_hex(value["hex"])
        except ValueError:
            errors["hex"] = ValidationError(_("Enter six hexadecimal digits, such as #0B5F73."), code="hex")
        if value["rgb"]:
            try:
                rgb = colours.parse_rgb(value["rgb"])
            except ValueError:
                errors["rgb"] = ValidationError(
                    _("Enter three numbers from 0 to 255, such as 11, 95, 115."), code="rgb"
                )
            else:
                if "hex" not in errors and rgb != colours.hex_to_rgb(value["hex"]):
                    errors["rgb"] = ValidationError(_("These RGB values are not the HEX colour."), code="rgb_mismatch")
                value["rgb"] = colours.format_rgb(rgb)
        if value["cmyk"]:
            try:
                value["cmyk"] = colours.format_cmyk(colours.parse_cmyk(value["cmyk"]))
            except ValueError:
                errors["cmyk"] = ValidationError(
                    _("Enter four percentages from 0 to 100, such as 90, 18, 0, 55."), code="cmyk"
                )
        if errors:
            raise blocks.StructBlockValidationError(block_errors=errors)
        return value


EXAMPLE_KINDS = [("do", _("Do")), ("dont", _("Don’t"))]


class UsageExampleBlock(blocks.StructBlock):
    kind = blocks.ChoiceBlock(label=_("kind"), choices=EXAMPLE_KINDS, default="do")
    image = ImageChooserBlock(label=_("image"), required=False)
    caption = blocks.CharBlock(label=_("caption"), max_length=300)

    class Meta:
        icon = "tick-inverse"
        label = _("Example")


class LogoUsageBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), required=False, max_length=200)
    variants = blocks.ListBlock(LogoVariantBlock(), label=_("logo variants"), default=[])
    clear_space = blocks.CharBlock(
        label=_("clear space"),
        required=False,
        max_length=300,
        help_text=_("For example: the height of the A on every side."),
    )
    minimum_size = blocks.CharBlock(
        label=_("minimum size"),
        required=False,
        max_length=120,
        help_text=_("For example: 24 px on screen, 10 mm in print."),
    )
    swatches = blocks.ListBlock(ColourSwatchBlock(), label=_("colours"), default=[])
    examples = blocks.ListBlock(UsageExampleBlock(), label=_("do and don’t examples"), default=[])

    class Meta:
        icon = "image"
        label = _("Logo usage guidelines")
        template = "playbooks/blocks/logo_usage.html"
        preview_template = PREVIEW_TEMPLATE
        description = _("How to use the logo: variants, clear space, minimum size, colours, do and don’t.")

    def get_preview_value(self):
        return self.normalize(
            {
                "title": "",
                "variants": [],
                "clear_space": gettext("The height of the letter A on every side."),
                "minimum_size": gettext("24 px on screen, 10 mm in print."),
                "swatches": [
                    {"name": gettext("Teal"), "hex": "#0B5F73", "rgb": "11, 95, 115", "cmyk": "90%, 18%, 0%, 55%"}
                ],
                "examples": [{"kind": "dont", "image": None, "caption": gettext("Do not stretch the logo.")}],
            }
        )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        context["swatches"] = [swatch_view(swatch) for swatch in value["swatches"]]
        return context


def swatch_view(swatch) -> dict:
    """A swatch as the template shows it; RGB worked out from HEX when the author left it out."""
    try:
        hex_value = colours.parse_hex(swatch["hex"])
    except ValueError:  # stored before validation existed: show the name only
        return {"name": swatch["name"], "hex": "", "rgb": "", "cmyk": swatch["cmyk"], "ink": ""}
    return {
        "name": swatch["name"],
        "hex": hex_value,
        "rgb": swatch["rgb"] or colours.format_rgb(colours.hex_to_rgb(hex_value)),
        "cmyk": swatch["cmyk"],
        "ink": colours.readable_ink(hex_value),
    }
