from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationsConfig(AppConfig):
    name = "certifications"
    verbose_name = _("Certifications")

    def ready(self) -> None:
        # receivers listen to the courses app; verify_cache invalidates cached verification pages
        from certifications import demo, receivers, sections, verify_cache  # noqa: F401
        from certifications.permissions import can_view_tiers_roles
        from certifications.roles import grant_certification_permissions
        from certifications.tiers import demo as tier_demo
        from certifications.tiers import receivers as tier_receivers  # noqa: F401  (re-evaluates tiers)
        from certifications.tiers import sections as tier_sections
        from lms.portal.demo import DEMO_EXTENSIONS
        from lms.portal.navigation import NAV_ITEMS, NavItem
        from lms.portal.sections import LEARN_SECTIONS, TEAM_SECTIONS, Section

        grant_certification_permissions()
        # Before the courses' sections (order 10) on "My learning", after them on the team page.
        LEARN_SECTIONS.append(Section("certifications/sections/learn.html", sections.learn_section, order=5))
        TEAM_SECTIONS.append(Section("certifications/sections/team.html", sections.team_section, order=20))
        # The tier first: it is what the partner admin's work adds up to.
        TEAM_SECTIONS.append(Section("certifications/sections/tier.html", tier_sections.tier_section, order=1))
        NAV_ITEMS.append(NavItem(_("Partner tiers"), "tiers:dashboard", can_view_tiers_roles))
        DEMO_EXTENSIONS.append(demo.load_certification_demo)
        DEMO_EXTENSIONS.append(tier_demo.load_tier_demo)
