"""Partner organizations, the people who belong to them, and invitations to join."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models.functions import Coalesce, Lower, NullIf
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel
from wagtail.search import index


class Tier(models.TextChoices):
    """Placeholder tiers until the tier engine defines them as data."""

    REGISTERED = "registered", _("Registered")
    SILVER = "silver", _("Silver")
    GOLD = "gold", _("Gold")
    PLATINUM = "platinum", _("Platinum")


class Organization(index.Indexed, ClusterableModel):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")

    name = models.CharField(_("name (English)"), max_length=200)
    name_fa = models.CharField(_("name (Persian)"), max_length=200, blank=True)
    # The name a Persian reader sees, kept by the database for sorting by it from an index.
    persian_sort_name = models.GeneratedField(
        verbose_name=_("name for sorting in Persian"),
        expression=Coalesce(NullIf("name_fa", models.Value("")), "name"),
        output_field=models.CharField(max_length=200),
        db_persist=True,
    )
    slug = models.SlugField(_("slug"), max_length=80, unique=True, allow_unicode=False)
    country = models.CharField(
        _("country"),
        max_length=2,
        help_text=_("Two-letter ISO 3166 country code, for example IR or DE."),
        validators=[RegexValidator(r"^[A-Z]{2}$", _("Enter a two-letter country code in capitals."))],
    )
    website = models.URLField(_("website"), blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    tier = models.CharField(_("current tier"), max_length=16, choices=Tier.choices, default=Tier.REGISTERED)
    created_at = models.DateTimeField(_("created"), default=timezone.now, editable=False)

    panels = [
        MultiFieldPanel(
            [FieldRowPanel([FieldPanel("name"), FieldPanel("name_fa")]), FieldPanel("slug")],
            heading=_("Identity"),
        ),
        FieldRowPanel([FieldPanel("country"), FieldPanel("website")]),
        FieldRowPanel([FieldPanel("status"), FieldPanel("tier")]),
        InlinePanel("memberships", heading=_("Members"), label=_("Member")),
    ]
    search_fields = [
        index.SearchField("name"),
        index.SearchField("name_fa"),
        index.AutocompleteField("name"),
        index.FilterField("status"),
        index.FilterField("tier"),
    ]

    class Meta:
        ordering = ["name"]
        # Lists sorted by the name the reader sees (the tier dashboard) read a page of
        # rows from these instead of sorting every organization.
        indexes = [
            models.Index(fields=["name", "id"], name="partners_org_name_idx"),
            models.Index(fields=["persian_sort_name", "id"], name="partners_org_name_fa_idx"),
        ]
        verbose_name = _("partner organization")
        verbose_name_plural = _("partner organizations")

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if get_language() == "fa" and self.name_fa:
            return self.name_fa
        return self.name

    @property
    def is_suspended(self) -> bool:
        return self.status == self.Status.SUSPENDED


class Membership(models.Model):
    """A person's place in one partner organization; a person has at most one."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Partner admin")
        LEARNER = "learner", _("Partner learner")

    organization = ParentalKey(
        Organization, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organization")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="membership", verbose_name=_("person")
    )
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.LEARNER)
    joined_at = models.DateTimeField(_("joined"), default=timezone.now)

    panels = [FieldPanel("user"), FieldPanel("role")]

    class Meta:
        ordering = ["organization", "user__email"]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self) -> str:
        return f"{self.user} @ {self.organization}"

    def clean(self) -> None:
        user = self.user if self.user_id else None
        if user is not None and (user.is_superuser or user.is_staff or user.groups.exists()):
            raise ValidationError(
                {"user": _("Vendor staff cannot belong to a partner organization; choose a partner person.")}
            )

    @property
    def is_admin(self) -> bool:
        return self.role == self.Role.ADMIN


class Invitation(models.Model):
    """A single-use, expiring invitation bound to one email address.

    Only a hash of the token is stored; the token itself exists only in the email.
    """

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        EXPIRED = "expired", _("Expired")
        ACCEPTED = "accepted", _("Accepted")
        REVOKED = "revoked", _("Revoked")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("organization")
    )
    email = models.EmailField(_("email"))
    role = models.CharField(_("role"), max_length=16, choices=Membership.Role.choices, default=Membership.Role.LEARNER)
    language = models.CharField(_("email language"), max_length=8, choices=settings.LANGUAGES, default="en")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("invited by"),
    )
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    sent_at = models.DateTimeField(_("last sent"), default=timezone.now)
    send_count = models.PositiveSmallIntegerField(_("times sent"), default=1)
    expires_at = models.DateTimeField(_("expires"))
    accepted_at = models.DateTimeField(_("accepted"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-sent_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        constraints = [
            models.UniqueConstraint(
                "organization",
                Lower("email"),
                condition=models.Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="partners_invitation_one_open_per_email",
            )
        ]

    def __str__(self) -> str:
        return f"{self.email} → {self.organization}"

    @property
    def state(self) -> str:
        if self.revoked_at:
            return self.State.REVOKED
        if self.accepted_at:
            return self.State.ACCEPTED
        if self.expires_at <= timezone.now():
            return self.State.EXPIRED
        return self.State.PENDING

    def get_state_display(self) -> str:
        return str(self.State(self.state).label)

    @property
    def is_open(self) -> bool:
        return self.revoked_at is None and self.accepted_at is None
