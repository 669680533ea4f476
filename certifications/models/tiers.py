"""Tier rule sets and their versions, business metrics, manual gates, each organization's
tier standing, and the audit trail of tier changes.

The rules themselves are JSON in the version's `definition`, in the format of
docs/tier-rules.md; `certifications.tiers.schema` turns them into the engine's data.
"""

from __future__ import annotations

from django.conf import settings
from django.core.files.storage import storages
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from certifications.tiers.policy import Cadence, EventKind, Promotion
from lms.bilingual import BilingualNameMixin
from lms.partners.models import Tier


class TierRuleSet(models.Model):
    """A partner program's tier rules. One rule set is active; its versions say which rules
    apply on which dates."""

    name = models.CharField(_("name"), max_length=120, unique=True)
    is_active = models.BooleanField(_("active"), default=False)
    promotion = models.CharField(
        _("promotion"),
        max_length=16,
        choices=[(Promotion.AUTOMATIC, _("Automatic")), (Promotion.APPROVAL, _("After a tier manager approves"))],
        default=Promotion.AUTOMATIC,
    )
    demotion_grace_days = models.PositiveSmallIntegerField(
        _("grace period before demotion (days)"),
        default=90,
        help_text=_("How long an organization is at risk before it is demoted."),
    )
    cadence = models.CharField(
        _("demotion cadence"),
        max_length=16,
        choices=[
            (Cadence.CONTINUOUS, _("Any day")),
            (Cadence.QUARTERLY, _("At the start of a quarter")),
            (Cadence.YEARLY, _("At the start of a year")),
        ],
        default=Cadence.CONTINUOUS,
    )

    class Meta:
        verbose_name = _("tier rule set")
        verbose_name_plural = _("tier rule sets")
        constraints = [
            models.UniqueConstraint(fields=["is_active"], condition=Q(is_active=True), name="one_active_rule_set")
        ]

    def __str__(self) -> str:
        return self.name


class TierRuleSetVersion(models.Model):
    """The rules valid from `valid_from` until `valid_until` (exclusive; open-ended when empty).
    Every evaluation records the version it used."""

    rule_set = models.ForeignKey(TierRuleSet, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveSmallIntegerField(_("version"))
    valid_from = models.DateField(_("valid from"))
    valid_until = models.DateField(_("valid until"), null=True, blank=True)
    definition = models.JSONField(
        _("rules"), help_text=_("The tiers and scores, as described in the tier-rule schema.")
    )
    note = models.CharField(_("note"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["rule_set", "-valid_from", "-number"]
        verbose_name = _("tier rule set version")
        verbose_name_plural = _("tier rule set versions")
        constraints = [
            models.UniqueConstraint(fields=["rule_set", "number"], name="unique_rule_set_version_number"),
            models.CheckConstraint(
                condition=Q(valid_until__isnull=True) | Q(valid_until__gt=models.F("valid_from")),
                name="rule_set_version_valid_dates",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rule_set} v{self.number}"


class BusinessMetric(BilingualNameMixin, models.Model):
    """A business figure partners are measured on, for example revenue or PSAT."""

    code = models.SlugField(_("code"), max_length=60, unique=True, help_text=_("Used in tier rules and CSV imports."))
    name = models.CharField(_("name (English)"), max_length=120)
    name_fa = models.CharField(_("name (Persian)"), max_length=120, blank=True)
    description = models.TextField(_("description (English)"), blank=True)
    description_fa = models.TextField(_("description (Persian)"), blank=True)
    unit = models.CharField(_("unit"), max_length=20, blank=True, help_text=_("For example USD, %, projects."))

    class Meta:
        ordering = ["code"]
        verbose_name = _("business metric")
        verbose_name_plural = _("business metrics")

    def __str__(self) -> str:
        return self.display_name


class MetricValue(models.Model):
    """One organization's value of a metric for the period ending on `period_end`."""

    class Source(models.TextChoices):
        ADMIN = "admin", _("Entered in the admin")
        IMPORT = "import", _("Imported from CSV")
        COMPUTED = "computed", _("Computed by the platform")

    organization = models.ForeignKey("partners.Organization", on_delete=models.CASCADE, related_name="metric_values")
    metric = models.ForeignKey(BusinessMetric, on_delete=models.PROTECT, related_name="values")
    period_end = models.DateField(_("period end"))
    value = models.DecimalField(_("value"), max_digits=18, decimal_places=4)
    source = models.CharField(_("source"), max_length=8, choices=Source.choices, default=Source.ADMIN)
    recorded_at = models.DateTimeField(_("recorded"), auto_now=True)

    class Meta:
        ordering = ["organization", "metric", "-period_end"]
        verbose_name = _("metric value")
        verbose_name_plural = _("metric values")
        constraints = [
            models.UniqueConstraint(fields=["organization", "metric", "period_end"], name="one_metric_value_per_period")
        ]

    def __str__(self) -> str:
        return f"{self.organization} {self.metric.code} {self.period_end}: {self.value}"


def private_storage():
    """The storage no URL serves; the evidence view checks access and streams the file."""
    return storages["private"]


def evidence_path(instance: GateApproval, filename: str) -> str:
    return f"tier-evidence/{instance.organization_id}/{filename}"


class GateApproval(models.Model):
    """Evidence for a manual gate (an audit report, references) and a tier manager's decision."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for review")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    organization = models.ForeignKey("partners.Organization", on_delete=models.CASCADE, related_name="gate_approvals")
    gate = models.SlugField(_("gate"), max_length=60)
    evidence = models.FileField(_("evidence"), upload_to=evidence_path, storage=private_storage)
    note = models.CharField(_("note"), max_length=500, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided"), null=True, blank=True)
    decision_note = models.CharField(_("reason"), max_length=500, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True)

    class Meta:
        ordering = ["-submitted_at"]
        verbose_name = _("gate approval")
        verbose_name_plural = _("gate approvals")
        indexes = [models.Index(fields=["organization", "gate", "status"], name="gate_approval_lookup_idx")]

    def __str__(self) -> str:
        return f"{self.organization} {self.gate} ({self.get_status_display()})"


class TierStanding(models.Model):
    """Where one organization stands: the current tier lives on the organization, the rest
    here (eligibility, pending promotion, risk, override, forecast, latest evaluation)."""

    organization = models.OneToOneField(
        "partners.Organization", on_delete=models.CASCADE, related_name="tier_standing", primary_key=True
    )
    eligible = models.CharField(_("eligible tier"), max_length=16, choices=Tier.choices, default=Tier.REGISTERED)
    pending = models.CharField(_("pending promotion to"), max_length=16, choices=Tier.choices, blank=True)
    rejected = models.CharField(_("promotion rejected to"), max_length=16, choices=Tier.choices, blank=True)
    at_risk_since = models.DateField(_("at risk since"), null=True, blank=True)
    demote_on = models.DateField(_("demotion due"), null=True, blank=True)
    lock_in_until = models.DateField(
        _("no demotion before"), null=True, blank=True, help_text=_("The organization keeps its tier until this date.")
    )
    override = models.CharField(_("override tier"), max_length=16, choices=Tier.choices, blank=True)
    override_until = models.DateField(_("override expires"), null=True, blank=True)
    override_reason = models.CharField(_("override reason"), max_length=500, blank=True)
    forecast_loss_on = models.DateField(_("would lose its tier on"), null=True, blank=True)
    certified_people = models.PositiveIntegerField(_("certified people"), default=0)
    version = models.ForeignKey(TierRuleSetVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    evaluation = models.JSONField(_("latest evaluation"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("last changed"), null=True, blank=True)

    class Meta:
        verbose_name = _("tier standing")
        verbose_name_plural = _("tier standings")
        permissions = [("manage_tiers", _("Can approve, reject and override partner tiers"))]
        indexes = [models.Index(fields=["forecast_loss_on"], name="tier_standing_forecast_idx")]

    def __str__(self) -> str:
        return str(self.organization)


class TierChange(models.Model):
    """The audit trail: every tier decision, by the engine or by a person."""

    class Kind(models.TextChoices):
        PROMOTED = EventKind.PROMOTED, _("Promoted")
        PROMOTION_PENDING = EventKind.PROMOTION_PENDING, _("Promotion waiting for approval")
        PROMOTION_REJECTED = "promotion_rejected", _("Promotion rejected")
        DEMOTED = EventKind.DEMOTED, _("Demoted")
        AT_RISK = EventKind.AT_RISK, _("At risk")
        RECOVERED = EventKind.RECOVERED, _("No longer at risk")
        OVERRIDE_SET = "override_set", _("Tier overridden")
        OVERRIDE_ENDED = EventKind.OVERRIDE_ENDED, _("Override ended")
        LOCK_IN_SET = "lock_in_set", _("Lock-in set")
        GATE_APPROVED = "gate_approved", _("Gate approved")
        GATE_REJECTED = "gate_rejected", _("Gate rejected")

    organization = models.ForeignKey("partners.Organization", on_delete=models.CASCADE, related_name="tier_changes")
    kind = models.CharField(_("what happened"), max_length=24, choices=Kind.choices)
    from_tier = models.CharField(_("from"), max_length=16, choices=Tier.choices)
    to_tier = models.CharField(_("to"), max_length=16, choices=Tier.choices)
    effective_on = models.DateField(_("effective"))
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the tier engine decided."),
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    version = models.ForeignKey(TierRuleSetVersion, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    snapshot = models.JSONField(_("evaluation"), default=dict, blank=True)
    created_at = models.DateTimeField(_("recorded"))

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("tier change")
        verbose_name_plural = _("tier changes")
        indexes = [models.Index(fields=["organization", "-created_at"], name="tier_change_history_idx")]

    def __str__(self) -> str:
        return f"{self.organization}: {self.get_kind_display()}"


class HeadcountSample(models.Model):
    """Certified people per organization per day, for the headcount chart."""

    organization = models.ForeignKey("partners.Organization", on_delete=models.CASCADE, related_name="+")
    day = models.DateField(_("day"))
    certified_people = models.PositiveIntegerField(_("certified people"))

    class Meta:
        ordering = ["organization", "day"]
        constraints = [models.UniqueConstraint(fields=["organization", "day"], name="one_headcount_sample_per_day")]

    def __str__(self) -> str:
        return f"{self.organization_id} {self.day}: {self.certified_people}"
