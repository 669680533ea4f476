"""Fixtures for the playbook tests: media in a temporary folder, partners at each tier."""

from __future__ import annotations

import pytest

from lms.partners.models import Membership, Tier
from tests.factories import OrganizationFactory


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def silver_member(make_member):
    organization = OrganizationFactory(slug="silver-partner", tier=Tier.SILVER)
    return make_member(organization, Membership.Role.LEARNER, email="silver@partner.example")


@pytest.fixture
def gold_member(make_member):
    organization = OrganizationFactory(slug="gold-partner", tier=Tier.GOLD)
    return make_member(organization, Membership.Role.LEARNER, email="gold@partner.example")
