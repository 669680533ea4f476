from __future__ import annotations

from django.http import HttpRequest

from lms.partners.selectors import person_roles
from lms.portal.navigation import has_admin_access, navigation_for


def portal(request: HttpRequest) -> dict:
    roles = person_roles(getattr(request, "user", None))
    return {
        "roles": roles,
        "nav_items": navigation_for(roles, request.path),
        "show_admin_link": has_admin_access(roles),
    }
