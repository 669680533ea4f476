"""The main navigation: each role sees only what it can use."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from lms.partners.roles import ADMIN_ACCESS, ROLE_GRANTS
from lms.partners.selectors import PersonRoles


@dataclass(frozen=True)
class NavItem:
    label: str | Promise
    url_name: str
    visible: Callable[[PersonRoles], bool]
    url_args: tuple[str, ...] = ()
    exact: bool = False  # current only on this very URL, not below it

    def url(self) -> str:
        return reverse(self.url_name, args=self.url_args)


def has_admin_access(roles: PersonRoles) -> bool:
    return roles.superuser or any(ADMIN_ACCESS in ROLE_GRANTS[role].permissions for role in roles.staff_roles)


NAV_ITEMS: list[NavItem] = [
    NavItem(_("Home"), "wagtail_serve", lambda roles: True, url_args=("",), exact=True),
    NavItem(_("My learning"), "portal:learn", lambda roles: roles.authenticated),
    NavItem(
        _("My organization"),
        "partners:home",
        lambda roles: roles.is_partner_admin or roles.is_site_admin,
    ),
]


@dataclass(frozen=True)
class NavLink:
    label: str | Promise
    url: str
    current: bool


def navigation_for(roles: PersonRoles, path: str) -> list[NavLink]:
    links = []
    for item in NAV_ITEMS:
        if not item.visible(roles):
            continue
        url = item.url()
        current = path == url if item.exact else path.startswith(url)
        links.append(NavLink(label=item.label, url=url, current=current))
    return links
