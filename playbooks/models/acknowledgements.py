"""Message alignment: a partner person confirms they have read a version of a playbook."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Acknowledgement(models.Model):
    """`user` has read version `version` of the playbook (in any of its languages).

    Playbooks in several languages share a `translation_key`: reading either counts.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="acknowledgements")
    organization = models.ForeignKey(
        "partners.Organization", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    playbook = models.ForeignKey("playbooks.PlaybookPage", on_delete=models.CASCADE, related_name="acknowledgements")
    translation_key = models.UUIDField(_("playbook translation key"), db_index=True)
    version = models.PositiveIntegerField(_("version"))
    check_score = models.PositiveSmallIntegerField(
        _("check answers right"), null=True, blank=True, help_text=_("Empty when the playbook has no check.")
    )
    acknowledged_at = models.DateTimeField(_("acknowledged"))

    class Meta:
        ordering = ["-acknowledged_at"]
        verbose_name = _("acknowledgement")
        verbose_name_plural = _("acknowledgements")
        constraints = [
            models.UniqueConstraint(
                fields=["user", "translation_key", "version"], name="one_acknowledgement_per_person_and_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.translation_key} v{self.version}"
