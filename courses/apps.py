from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoursesConfig(AppConfig):
    name = "courses"
    verbose_name = _("Courses")

    def ready(self) -> None:
        # routing_cache, structure: their receivers empty the cached course pages and structures
        from courses import demo, roles, routing_cache, sections, structure  # noqa: F401
        from lms.portal.demo import DEMO_EXTENSIONS
        from lms.portal.navigation import NAV_ITEMS, NavItem
        from lms.portal.sections import LEARN_SECTIONS, TEAM_SECTIONS, Section

        NAV_ITEMS.insert(1, NavItem(_("Courses"), "wagtail_serve", lambda roles: True, url_args=("courses/",)))
        LEARN_SECTIONS.append(Section("courses/sections/learn.html", sections.learn_section, order=10))
        TEAM_SECTIONS.append(Section("courses/sections/team.html", sections.team_section, order=10))
        DEMO_EXTENSIONS.append(demo.load_course_demo)
        roles.grant_course_author_permissions()
