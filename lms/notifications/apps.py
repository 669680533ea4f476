from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "lms.notifications"
    label = "notifications"
    verbose_name = _("Notifications")

    def ready(self) -> None:
        from lms.notifications import sections
        from lms.portal.sections import LEARN_SECTIONS, Section

        # First on "My learning": what is new comes before everything else.
        LEARN_SECTIONS.append(Section("notifications/sections/learn.html", sections.learn_section, order=0))
