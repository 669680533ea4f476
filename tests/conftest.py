"""Shared fixtures: people in every role across two partner organizations."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.contrib.auth.models import Group
from django.core.cache import cache
from django.core.files.storage import storages
from django.utils import translation
from hypothesis import HealthCheck, settings

from lms.partners.models import Membership
from lms.partners.roles import StaffRole
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory

BROWSER_TESTS = Path(__file__).resolve().parent / "browser"

# Property tests check what holds, never how fast: a loaded test machine must not fail
# them on Hypothesis's timing checks.
settings.register_profile("abrzad", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("abrzad")


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the browser tests last. Playwright keeps an event loop in the main thread for
    the rest of the session, which Django's async-safety check would see in every later
    test that touches the database."""
    items.sort(key=lambda item: item.path.is_relative_to(BROWSER_TESTS))


@pytest.fixture(autouse=True)
def _clear_cache():
    """Rate-limit counters live in the cache; every test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _default_language():
    """Every test starts in the default language: a request to a /fa/ page leaves Persian
    active in the thread, as Django's locale middleware does between requests."""
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture
def organization(db):
    return OrganizationFactory(name="Parsian Cloud", name_fa="ابر پارسیان", slug="parsian")


@pytest.fixture
def other_organization(db):
    return OrganizationFactory(name="Northwind", name_fa="نورث‌ویند", slug="northwind")


@pytest.fixture
def make_member(db):
    def make(organization, role: str = Membership.Role.LEARNER, **user_fields):
        return MembershipFactory(organization=organization, role=role, user=UserFactory(**user_fields)).user

    return make


@pytest.fixture
def make_staff(db):
    def make(role: StaffRole, **user_fields):
        user = UserFactory(is_staff=True, **user_fields)
        user.groups.add(Group.objects.get(name=role.value))
        return user

    return make


@pytest.fixture
def learner(organization, make_member):
    return make_member(organization, Membership.Role.LEARNER, email="learner@parsian.example")


@pytest.fixture
def partner_admin(organization, make_member):
    return make_member(organization, Membership.Role.ADMIN, email="admin@parsian.example")


@pytest.fixture
def other_partner_admin(other_organization, make_member):
    return make_member(other_organization, Membership.Role.ADMIN, email="admin@northwind.example")


@pytest.fixture
def site_admin(make_staff):
    return make_staff(StaffRole.SITE_ADMIN, email="site-admin@vendor.example")


@pytest.fixture
def private_media() -> Path:
    """The private storage (tier-gate evidence), emptied for this test. Its location is
    fixed for the run (tests/settings.py): the model field holds its storage."""
    location = Path(storages["private"].location)
    shutil.rmtree(location, ignore_errors=True)
    location.mkdir(parents=True)
    return location
