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
        from playbooks import asset_audience, demo, receivers, roles, sections, tasks
        from playbooks.models import PlaybookPage

        # After "Courses" (the courses app is installed first).
        NAV_ITEMS.insert(2, NavItem(_("Playbooks"), "wagtail_serve", lambda roles: True, url_args=("playbooks/",)))
        # Right after "Playbooks", for signed-in people (the library asks them to sign in).
        NAV_ITEMS.insert(3, NavItem(_("Brand assets"), "assets:index", lambda roles: roles.authenticated))
        TEAM_SECTIONS.append(Section("playbooks/sections/team.html", sections.team_section, order=30))
        DEMO_EXTENSIONS.append(demo.load_playbook_demo)
        roles.connect_marketer_grants(self)
        asset_audience.connect_rule_invalidation()
        page_published.connect(tasks.queue_thumbnails, sender=PlaybookPage, dispatch_uid="playbooks.thumbnails")
        page_published.connect(
            receivers.notify_new_version, sender=PlaybookPage, dispatch_uid="playbooks.notify_new_version"
        )
