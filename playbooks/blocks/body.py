"""The blocks a playbook body is built from."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from wagtail import blocks

from playbooks.blocks.brand import LogoUsageBlock
from playbooks.blocks.campaign import CampaignKitBlock
from playbooks.blocks.media import AssetGalleryBlock, CaseStudyBlock, PresentationTemplateBlock
from playbooks.blocks.messaging import KeyMessageBlock, ObjectionHandlingBlock, TalkingPointsBlock
from playbooks.blocks.related import RelatedCoursesBlock


class PlaybookBodyBlock(blocks.StreamBlock):
    key_message = KeyMessageBlock()
    talking_points = TalkingPointsBlock()
    objection_handling = ObjectionHandlingBlock()
    presentation_template = PresentationTemplateBlock()
    case_study = CaseStudyBlock()
    logo_usage = LogoUsageBlock()
    campaign_kit = CampaignKitBlock()
    asset_gallery = AssetGalleryBlock()
    related_courses = RelatedCoursesBlock()

    class Meta:
        label = _("Playbook body")
