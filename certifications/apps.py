from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CertificationsConfig(AppConfig):
    name = "certifications"
    verbose_name = _("Certifications")

    def ready(self) -> None:
        from certifications import receivers  # noqa: F401  (listens to the courses app)
        from certifications.roles import grant_certification_permissions

        grant_certification_permissions()
        from certifications import sections
        from lms.portal.sections import LEARN_SECTIONS, TEAM_SECTIONS, Section

        # Before the courses' sections (order 10) on "My learning", after them on the team page.
        LEARN_SECTIONS.append(Section("certifications/sections/learn.html", sections.learn_section, order=5))
        TEAM_SECTIONS.append(Section("certifications/sections/team.html", sections.team_section, order=20))
        from certifications import demo
        from lms.portal.demo import DEMO_EXTENSIONS

        DEMO_EXTENSIONS.append(demo.load_certification_demo)
