"""Who may read which playbook: tier minimums, listed organizations and vendor staff."""

from __future__ import annotations

import re

import pytest

from lms.partners.models import Tier
from lms.partners.roles import StaffRole
from tests.factories import OrganizationFactory
from tests.playbooks import builders

pytestmark = pytest.mark.django_db

GOLD_URL = "/playbooks/gold-briefing/"
LISTED_URL = "/playbooks/for-parsian/"


def listed(response) -> list[str]:
    return re.findall(r'<h3[^>]*><a href="[^"]*">([^<]*)</a></h3>', response.content.decode())


@pytest.fixture
def playbooks(organization):
    organization.tier = Tier.PLATINUM
    organization.save()
    return {
        "open": builders.playbook(title="Open Playbook"),
        "gold": builders.playbook(title="Gold Briefing", minimum_tier=Tier.GOLD),
        "listed": builders.playbook(title="For Parsian", audience_organizations=[organization]),
    }


def test_a_silver_partner_cannot_see_a_gold_playbook_in_the_index_or_at_its_address(client, playbooks, silver_member):
    client.force_login(silver_member)

    assert listed(client.get("/playbooks/")) == ["Open Playbook"]
    response = client.get(GOLD_URL)
    assert response.status_code == 403
    assert "available to partners from the Gold tier" in response.content.decode()


@pytest.mark.parametrize("tier", [Tier.GOLD, Tier.PLATINUM])
def test_gold_and_above_read_the_gold_playbook(client, playbooks, make_member, tier):
    client.force_login(make_member(OrganizationFactory(tier=tier)))

    assert "Gold Briefing" in listed(client.get("/playbooks/"))
    assert client.get(GOLD_URL).status_code == 200


def test_a_playbook_for_listed_organizations_is_a_404_for_everyone_else(client, playbooks, gold_member, learner):
    client.force_login(gold_member)
    assert "For Parsian" not in listed(client.get("/playbooks/"))
    assert client.get(LISTED_URL).status_code == 404

    client.force_login(learner)  # a member of the listed organization
    assert "For Parsian" in listed(client.get("/playbooks/"))
    assert client.get(LISTED_URL).status_code == 200


def test_a_listed_organization_below_the_minimum_tier_is_refused_with_403(client, organization, learner):
    organization.tier = Tier.SILVER
    organization.save()
    builders.playbook(title="For Parsian", audience_organizations=[organization], minimum_tier=Tier.GOLD)
    client.force_login(learner)

    assert client.get(LISTED_URL).status_code == 403
    assert listed(client.get("/playbooks/")) == []


def test_anonymous_visitors_see_only_open_playbooks_and_are_asked_to_sign_in_for_the_others(client, playbooks):
    assert listed(client.get("/playbooks/")) == ["Open Playbook"]
    assert client.get("/playbooks/open-playbook/").status_code == 200
    response = client.get(GOLD_URL)
    assert response.status_code == 302
    assert response["Location"] == f"/accounts/login/?next={GOLD_URL}"
    assert client.get(LISTED_URL).status_code == 404


def test_the_lowest_tier_as_minimum_means_partners_only(client, learner):
    builders.playbook(title="Partners Only", minimum_tier=Tier.REGISTERED)
    assert client.get("/playbooks/partners-only/").status_code == 302  # to the sign-in page
    client.force_login(learner)
    assert client.get("/playbooks/partners-only/").status_code == 200


@pytest.mark.parametrize("role", [StaffRole.MARKETER, StaffRole.SITE_ADMIN, StaffRole.COURSE_AUTHOR])
def test_vendor_staff_see_every_playbook(client, playbooks, make_staff, role):
    client.force_login(make_staff(role))

    assert sorted(listed(client.get("/playbooks/"))) == ["For Parsian", "Gold Briefing", "Open Playbook"]
    for url in (GOLD_URL, LISTED_URL):
        assert client.get(url).status_code == 200


def test_a_superuser_sees_every_playbook(client, playbooks, django_user_model):
    from tests.factories import UserFactory

    client.force_login(UserFactory(is_superuser=True, is_staff=True))
    assert client.get(GOLD_URL).status_code == 200
    assert client.get(LISTED_URL).status_code == 200


def test_drafts_are_not_listed(client, playbooks):
    playbooks["open"].unpublish()
    assert listed(client.get("/playbooks/")) == []
