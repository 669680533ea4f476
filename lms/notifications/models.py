"""In-app notifications: what the portal tells a person, beside the email it sends.

Feature apps write them through `lms.notifications.services.notify`; the portal
shows the unread ones on "My learning".
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField(_("kind"), max_length=40)
    # Stored in both languages: the reader may switch language after it was written.
    message = models.CharField(_("message (English)"), max_length=400)
    message_fa = models.CharField(_("message (Persian)"), max_length=400, blank=True)
    url = models.CharField(_("link"), max_length=400, blank=True)
    created_at = models.DateTimeField(_("created"))
    read_at = models.DateTimeField(_("read"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["user", "read_at"], name="notification_unread_idx")]

    def __str__(self) -> str:
        return self.message
