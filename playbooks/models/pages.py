"""Editorial playbook content: the catalog at /playbooks/ and the playbooks below it.

Pages hold content only. Who may read a playbook is decided by `playbooks.permissions`;
listing and filtering is in `playbooks.selectors`.
"""

from __future__ import annotations

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from taggit.models import TaggedItemBase
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.fields import StreamField
from wagtail.models import Page
from wagtail.search import index

from lms.pages import DirectChildRoute, UnrestrictedPagesShortcut
from lms.partners.models import Tier
from playbooks.blocks import PlaybookBodyBlock
from playbooks.blocks.check import AcknowledgementCheckBlock
from playbooks.forms import PlaybookPageForm


class PlaybookIndexPage(DirectChildRoute, UnrestrictedPagesShortcut, Page):
    """The catalog at /playbooks/: every playbook the reader may see, with filters."""

    intro = models.TextField(_("introduction"), blank=True)
    playbooks_per_page = models.PositiveSmallIntegerField(
        _("playbooks per page"), default=12, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    settings_panels = [*Page.settings_panels, FieldPanel("playbooks_per_page")]
    parent_page_types = ["portal.HomePage"]
    subpage_types = ["playbooks.PlaybookPage"]
    template = "playbooks/playbook_index_page.html"
    cache_children = True

    class Meta:
        verbose_name = _("playbook catalog")

    def get_context(self, request, *args, **kwargs):
        from playbooks.selectors import playbook_catalog_for

        context = super().get_context(request, *args, **kwargs)
        context["catalog"] = playbook_catalog_for(request.user, index=self, params=request.GET)
        return context


class PlaybookPageTag(TaggedItemBase):
    content_object = ParentalKey("playbooks.PlaybookPage", on_delete=models.CASCADE, related_name="tagged_items")

    class Meta:
        verbose_name = _("playbook tag")


class PlaybookPage(UnrestrictedPagesShortcut, Page):
    summary = models.TextField(_("summary"), max_length=600)
    cover_image = models.ForeignKey(
        "wagtailimages.Image",
        verbose_name=_("cover image"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    competencies = ParentalManyToManyField(
        "competencies.Competency", verbose_name=_("competencies"), blank=True, related_name="playbooks"
    )
    tags = ClusterTaggableManager(through=PlaybookPageTag, verbose_name=_("tags"), blank=True)
    minimum_tier = models.CharField(
        _("minimum partner tier"),
        max_length=16,
        choices=Tier.choices,
        blank=True,
        help_text=_(
            "Leave empty to open the playbook to everyone, signed in or not. "
            "Any tier, even the lowest, limits it to partners at that tier or above."
        ),
    )
    audience_organizations = ParentalManyToManyField(
        "partners.Organization",
        verbose_name=_("only these organizations"),
        blank=True,
        related_name="+",
        help_text=_("Leave empty for every organization. Other organizations do not see the playbook at all."),
    )
    review_by = models.DateField(
        _("review by"),
        null=True,
        blank=True,
        help_text=_(
            "When the owner should next check this playbook. "
            "Overdue playbooks are listed on their owner's dashboard in the admin."
        ),
    )
    body = StreamField(PlaybookBodyBlock(), verbose_name=_("body"), blank=True)
    requires_acknowledgement = models.BooleanField(
        _("partners must acknowledge it"),
        default=False,
        help_text=_("Partner people confirm they have read this version, and partner admins see who has."),
    )
    message_version = models.PositiveIntegerField(
        _("message version"),
        default=1,
        validators=[MinValueValidator(1)],
        help_text=_("Raise it when you publish a change every partner must read again: everyone is asked again."),
    )
    acknowledgement_check = StreamField(
        AcknowledgementCheckBlock(),
        verbose_name=_("check questions"),
        blank=True,
        help_text=_("Up to three questions on the key messages, answered before acknowledging."),
    )

    content_panels = [
        *Page.content_panels,
        FieldPanel("summary"),
        FieldPanel("cover_image"),
        FieldPanel("body"),
    ]
    promote_panels = [
        *Page.promote_panels,
        MultiFieldPanel(
            [FieldPanel("competencies", widget=forms.CheckboxSelectMultiple), FieldPanel("tags")],
            heading=_("Competencies and tags"),
        ),
    ]
    settings_panels = [
        *Page.settings_panels,
        MultiFieldPanel(
            [FieldPanel("minimum_tier"), FieldPanel("audience_organizations")],
            heading=_("Audience"),
        ),
        MultiFieldPanel([FieldPanel("owner"), FieldPanel("review_by")], heading=_("Review")),
        MultiFieldPanel(
            [
                FieldPanel("requires_acknowledgement"),
                FieldPanel("message_version"),
                FieldPanel("acknowledgement_check"),
            ],
            heading=_("Acknowledgement"),
        ),
    ]
    search_fields = [
        *Page.search_fields,
        index.SearchField("summary"),
        index.SearchField("body"),
        index.FilterField("locale_id"),
        index.FilterField("minimum_tier"),
    ]
    base_form_class = PlaybookPageForm
    parent_page_types = ["playbooks.PlaybookIndexPage"]
    subpage_types: list[str] = []
    template = "playbooks/playbook_page.html"

    class Meta:
        verbose_name = _("playbook")

    def serve(self, request, *args, **kwargs):
        from django.contrib.auth.views import redirect_to_login

        from courses.audience import Access
        from playbooks.permissions import access_playbook, playbook_access
        from playbooks.services.tracking import record_playbook_view

        if not request.user.is_authenticated and playbook_access(request.user, self) == Access.TIER_LOCKED:
            return redirect_to_login(request.get_full_path())  # they may be a partner at that tier
        access_playbook(request.user, self)
        response = super().serve(request, *args, **kwargs)
        if not getattr(request, "is_preview", False):
            record_playbook_view(user=request.user, playbook=self)
        return response
