"""Credentials people hold, what happened to each, and the expiry reminders sent.

A person holds at most one live (active or suspended) credential per certification;
the database enforces it, so concurrent awards cannot create a second one.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

CODE_BYTES = 20  # 160 bits of randomness, 27 URL-safe characters


def new_code() -> str:
    return secrets.token_urlsafe(CODE_BYTES)


def new_salt() -> str:
    return secrets.token_hex(16)


class CredentialQuerySet(models.QuerySet):
    def update(self, **kwargs) -> int:
        """Queryset updates change rows without saving them one by one: the cached
        verification pages (`certifications.verify_cache`) are all invalidated."""
        updated = super().update(**kwargs)
        if updated:
            from certifications import verify_cache

            verify_cache.everything_changed()
        return updated


class Credential(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        SUSPENDED = "suspended", _("Suspended")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")
        SUPERSEDED = "superseded", _("Superseded")

    LIVE = (Status.ACTIVE, Status.SUSPENDED)

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="credentials")
    certification = models.ForeignKey(
        "certifications.Certification", on_delete=models.PROTECT, related_name="credentials"
    )
    version = models.ForeignKey("certifications.CertificationVersion", on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.ACTIVE)
    code = models.CharField(_("verification code"), max_length=43, unique=True, default=new_code, editable=False)
    holder_name = models.CharField(_("holder's name"), max_length=300)
    issued_at = models.DateTimeField(_("issued"))
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    renewed_at = models.DateTimeField(_("last renewed"), null=True, blank=True)
    status_changed_at = models.DateTimeField(_("status changed"))
    status_reason = models.CharField(_("reason"), max_length=500, blank=True)
    superseded_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="supersedes"
    )
    # Evidence: the exam attempt and the course completions that earned it.
    exam_attempt = models.ForeignKey(
        "courses.Attempt", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)
    badge_salt = models.CharField(max_length=32, default=new_salt, editable=False)

    objects = CredentialQuerySet.as_manager()

    class Meta:
        ordering = ["-issued_at", "-pk"]
        verbose_name = _("credential")
        verbose_name_plural = _("credentials")
        permissions = [("revoke_credential", _("Can revoke, suspend and reinstate credentials"))]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "certification"],
                condition=models.Q(status__in=["active", "suspended"]),
                name="one_live_credential",
            ),
            models.CheckConstraint(
                condition=models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=models.F("issued_at")),
                name="credential_expires_after_issue",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "expires_at"], name="credential_expiry_idx"),
            models.Index(fields=["user", "status"], name="credential_person_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.certification} · {self.holder_name}"

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE

    @property
    def status_in_sentence(self) -> str:
        """The status as a word inside a sentence ("… is now revoked"), in the active language."""
        return str(STATUS_IN_SENTENCE.get(self.status, self.get_status_display()))


# Statuses inside sentences have their own phrases: lower-casing a label is English grammar.
STATUS_IN_SENTENCE = {
    Credential.Status.ACTIVE: pgettext_lazy("credential status inside a sentence", "active"),
    Credential.Status.SUSPENDED: pgettext_lazy("credential status inside a sentence", "suspended"),
    Credential.Status.EXPIRED: pgettext_lazy("credential status inside a sentence", "expired"),
    Credential.Status.REVOKED: pgettext_lazy("credential status inside a sentence", "revoked"),
    Credential.Status.SUPERSEDED: pgettext_lazy("credential status inside a sentence", "superseded"),
}


class CredentialEvent(models.Model):
    """The audit trail: every change to a credential, by whom, when and why."""

    class Action(models.TextChoices):
        ISSUED = "issued", pgettext_lazy("credential event", "Issued")
        RENEWED = "renewed", _("Renewed")
        EXPIRED = "expired", _("Expired")
        SUSPENDED = "suspended", _("Suspended")
        REVOKED = "revoked", _("Revoked")
        REINSTATED = "reinstated", _("Reinstated")
        SUPERSEDED = "superseded", _("Superseded")
        RECERTIFICATION_REQUIRED = "recertification_required", _("Re-certification required")

    credential = models.ForeignKey(Credential, on_delete=models.CASCADE, related_name="events")
    action = models.CharField(_("action"), max_length=32, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("Empty for automatic changes."),
    )
    reason = models.CharField(_("reason"), max_length=500, blank=True)
    from_status = models.CharField(_("from"), max_length=16, blank=True)
    to_status = models.CharField(_("to"), max_length=16, blank=True)
    at = models.DateTimeField(_("when"))
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["credential", "at", "pk"]
        verbose_name = _("credential event")
        verbose_name_plural = _("credential events")

    def __str__(self) -> str:
        return f"{self.credential_id} {self.action} {self.at:%Y-%m-%d}"


class ExpiryReminder(models.Model):
    """A reminder sent N days before a credential expires; each is sent once."""

    credential = models.ForeignKey(Credential, on_delete=models.CASCADE, related_name="reminders")
    days_before = models.PositiveSmallIntegerField()
    expires_at = models.DateTimeField()  # the expiry it announced: a renewal resets the reminders
    sent_at = models.DateTimeField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["credential", "days_before", "expires_at"], name="expiry_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.credential_id} −{self.days_before}d"
