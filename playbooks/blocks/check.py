"""The optional three-question check a reader answers when acknowledging a playbook."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.blocks.struct_block import StructBlockValidationError


class CheckQuestionBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("question"), max_length=300)
    choices = blocks.ListBlock(
        blocks.CharBlock(label=_("choice"), max_length=200), label=_("choices"), min_num=2, max_num=6
    )
    correct = blocks.IntegerBlock(
        label=_("number of the right choice"), min_value=1, max_value=6, help_text=_("1 is the first choice.")
    )

    class Meta:
        icon = "help"
        label = _("Question")

    def clean(self, value):
        value = super().clean(value)
        if value["correct"] > len(value["choices"]):
            raise StructBlockValidationError(
                block_errors={"correct": ValidationError(_("There is no choice with this number."))}
            )
        return value


class AcknowledgementCheckBlock(blocks.StreamBlock):
    question = CheckQuestionBlock()

    class Meta:
        label = _("Check questions")
        max_num = 3
