"""Messaging blocks: the key message, talking points per persona and objection handling."""

from __future__ import annotations

from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from playbooks.blocks.base import PREVIEW_TEMPLATE, TEXT_FEATURES


class ProofPointBlock(blocks.StructBlock):
    statement = blocks.CharBlock(label=_("statement"), max_length=300)
    source = blocks.CharBlock(
        label=_("source"), required=False, max_length=200, help_text=_("Where the figure comes from.")
    )

    class Meta:
        icon = "tick"
        label = _("Proof point")


class KeyMessageBlock(blocks.StructBlock):
    headline = blocks.CharBlock(label=_("headline"), max_length=200)
    supporting_points = blocks.ListBlock(
        blocks.CharBlock(label=_("point"), max_length=300), label=_("supporting points"), min_num=1
    )
    proof_points = blocks.ListBlock(ProofPointBlock(), label=_("proof points"), default=[])

    class Meta:
        icon = "pick"
        label = _("Key message")
        template = "playbooks/blocks/key_message.html"
        preview_template = PREVIEW_TEMPLATE
        description = _("The one message partners should lead with, why it holds, and the evidence.")

    def get_preview_value(self):
        return self.normalize(
            {
                "headline": gettext("Backups you can prove, not just promise"),
                "supporting_points": [
                    gettext("Every restore is tested nightly."),
                    gettext("One console for all sites."),
                ],
                "proof_points": [
                    {
                        # xgettext:no-python-format
                        "statement": gettext("99.9% of restores succeed on the first try."),
                        "source": "",
                    }
                ],
            }
        )


class PersonaPointsBlock(blocks.StructBlock):
    persona = blocks.CharBlock(label=_("persona"), max_length=120, help_text=_("For example: CIO, IT manager."))
    concern = blocks.CharBlock(label=_("what they care about"), required=False, max_length=300)
    points = blocks.ListBlock(blocks.CharBlock(label=_("talking point"), max_length=400), label=_("talking points"))

    class Meta:
        icon = "user"
        label = _("Persona")


class TalkingPointsBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), required=False, max_length=200)
    personas = blocks.ListBlock(PersonaPointsBlock(), label=_("personas"), min_num=1)

    class Meta:
        icon = "group"
        label = _("Talking points by persona")
        template = "playbooks/blocks/talking_points.html"
        preview_template = PREVIEW_TEMPLATE
        description = _("What to say to each kind of buyer.")

    def get_preview_value(self):
        return self.normalize(
            {
                "title": "",
                "personas": [
                    {
                        "persona": gettext("CIO"),
                        "concern": gettext("Risk and cost"),
                        "points": [gettext("Cut recovery time from days to hours.")],
                    }
                ],
            }
        )


class ObjectionBlock(blocks.StructBlock):
    objection = blocks.TextBlock(label=_("objection"), max_length=500)
    answer = blocks.RichTextBlock(label=_("answer"), features=TEXT_FEATURES)

    class Meta:
        icon = "help"
        label = _("Objection")


class ObjectionHandlingBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), required=False, max_length=200)
    objections = blocks.ListBlock(ObjectionBlock(), label=_("objections"), min_num=1)

    class Meta:
        icon = "comment"
        label = _("Objection handling")
        template = "playbooks/blocks/objection_handling.html"
        preview_template = PREVIEW_TEMPLATE
        description = _("Objections partners hear, each with an answer.")

    def get_preview_value(self):
        return self.normalize(
            {
                "title": "",
                "objections": [
                    {
                        "objection": gettext("We already have backups."),
                        "answer": format_html("<p>{}</p>", gettext("When did you last test a restore?")),
                    }
                ],
            }
        )
