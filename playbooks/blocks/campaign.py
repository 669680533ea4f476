"""The campaign kit: ready-made email and social copy, with a copy button on each."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from playbooks.blocks.base import PREVIEW_TEMPLATE

NETWORKS = [
    ("linkedin", "LinkedIn"),
    ("x", "X"),
    ("instagram", "Instagram"),
    ("telegram", "Telegram"),
    ("other", _("Other")),
]


class CampaignEmailBlock(blocks.StructBlock):
    subject = blocks.CharBlock(label=_("subject"), max_length=200)
    body = blocks.TextBlock(
        label=_("email text"), help_text=_("Plain text, so it pastes cleanly into any mail program.")
    )

    class Meta:
        icon = "mail"
        label = _("Email")


class SocialPostBlock(blocks.StructBlock):
    network = blocks.ChoiceBlock(label=_("network"), choices=NETWORKS, default="linkedin")
    text = blocks.TextBlock(label=_("post text"), max_length=3000)

    class Meta:
        icon = "comment"
        label = _("Social post")


class CampaignKitBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("title"), required=False, max_length=200)
    emails = blocks.ListBlock(CampaignEmailBlock(), label=_("emails"), default=[])
    social_posts = blocks.ListBlock(SocialPostBlock(), label=_("social posts"), default=[])

    class Meta:
        icon = "mail"
        label = _("Campaign kit")
        template = "playbooks/blocks/campaign_kit.html"
        preview_template = PREVIEW_TEMPLATE
        description = _("Email and social copy partners can copy with one click.")

    def get_preview_value(self):
        return self.normalize(
            {
                "title": "",
                "emails": [{"subject": gettext("Are your backups tested?"), "body": gettext("Hello,\n\nLet us talk.")}],
                "social_posts": [{"network": "linkedin", "text": gettext("Tested backups, every night.")}],
            }
        )

    def get_context(self, value, parent_context=None):
        context = super().get_context(value, parent_context=parent_context)
        networks = dict(NETWORKS)
        context["posts"] = [
            {"network": networks.get(post["network"], networks["other"]), "text": post["text"]}
            for post in value["social_posts"]
        ]
        context["kit_id"] = f"kit-{context.get('block_id') or 'preview'}"
        return context
