from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlaybooksConfig(AppConfig):
    name = "playbooks"
    verbose_name = _("Playbooks")

    def ready(self) -> None:
        from wagtail.signals import page_published

        from lms.portal.demo import DEMO_EXTENSIONS
        from lms.portal.navigation import NAV_ITEMS, NavItem
        from lms.portal.sections import TEAM_SECTIONS, Section
        from playbooks import demo, roles, sections, tasks
        from playbooks.models import PlaybookPage

        # After "Courses" (the courses app is installed first).
        NAV_ITEMS.insert(2, NavItem(_("Playbooks"), "wagtail_serve", lambda roles: True, url_args=("playbooks/",)))
        TEAM_SECTIONS.append(Section("playbooks/sections/team.html", sections.team_section, order=30))
        DEMO_EXTENSIONS.append(demo.load_playbook_demo)
        roles.connect_marketer_grants(self)
        page_published.connect(tasks.queue_thumbnails, sender=PlaybookPage, dispatch_uid="playbooks.thumbnails")
