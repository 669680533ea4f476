"""Site admins manage organizations and members in the Wagtail admin."""

from __future__ import annotations

import re

import pytest

from lms.partners.models import Membership, Organization
from lms.partners.roles import StaffRole

pytestmark = pytest.mark.django_db
LIST = "/admin/snippets/partners/organization/"


def add_form(**fields) -> dict:
    data = {
        "name": "Kavir Cloud",
        "name_fa": "ابر کویر",
        "slug": "kavir-cloud",
        "country": "IR",
        "website": "",
        "status": "active",
        "tier": "silver",
        "memberships-TOTAL_FORMS": "0",
        "memberships-INITIAL_FORMS": "0",
        "memberships-MIN_NUM_FORMS": "0",
        "memberships-MAX_NUM_FORMS": "1000",
    }
    data.update(fields)
    return data


def test_a_site_admin_creates_an_organization_with_a_member(client, site_admin, make_staff):
    from tests.factories import UserFactory

    person = UserFactory(email="new.member@kavir.example")
    client.force_login(site_admin)
    response = client.post(
        f"{LIST}add/",
        add_form(
            **{
                "memberships-TOTAL_FORMS": "1",
                "memberships-0-user": str(person.pk),
                "memberships-0-role": "admin",
                "memberships-0-ORDER": "1",
            }
        ),
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    organization = Organization.objects.get(slug="kavir-cloud")
    assert organization.memberships.get().user == person
    assert organization.memberships.get().role == Membership.Role.ADMIN


def test_a_bad_country_code_is_refused_with_a_message(client, site_admin):
    client.force_login(site_admin)
    response = client.post(f"{LIST}add/", add_form(country="ir"))
    assert response.status_code == 200
    assert "Enter a two-letter country code in capitals." in response.content.decode(), re.findall(
        r"error[^>]*>([^<]{3,200})", response.content.decode()
    )
    assert not Organization.objects.filter(slug="kavir-cloud").exists()


def test_a_site_admin_suspends_an_organization(client, site_admin, organization):
    client.force_login(site_admin)
    response = client.post(f"{LIST}edit/{organization.pk}/", add_form(slug=organization.slug, status="suspended"))
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.is_suspended


def test_a_tier_manager_can_look_but_not_change(client, make_staff, organization):
    client.force_login(make_staff(StaffRole.TIER_MANAGER))
    assert client.get(LIST).status_code == 200
    assert client.get(f"{LIST}add/").status_code in (302, 403)
    response = client.post(f"{LIST}edit/{organization.pk}/", add_form(slug=organization.slug, status="suspended"))
    assert response.status_code in (302, 403)
    organization.refresh_from_db()
    assert not organization.is_suspended


def test_partner_people_never_reach_the_admin(client, partner_admin):
    client.force_login(partner_admin)
    assert client.get(LIST).status_code == 302


def test_members_added_in_the_admin_are_announced_like_any_other(
    client, site_admin, django_capture_on_commit_callbacks
):
    from lms.partners.signals import member_joined
    from tests.factories import UserFactory

    person = UserFactory(email="joined.in.admin@kavir.example")
    heard = []
    member_joined.connect(lambda sender, **kwargs: heard.append(kwargs["user"]), weak=False, dispatch_uid="heard")
    client.force_login(site_admin)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            client.post(
                f"{LIST}add/",
                add_form(
                    **{
                        "memberships-TOTAL_FORMS": "1",
                        "memberships-0-user": str(person.pk),
                        "memberships-0-role": "learner",
                        "memberships-0-ORDER": "1",
                    }
                ),
            )
    finally:
        member_joined.disconnect(dispatch_uid="heard")
    assert heard == [person]


def test_the_admin_refuses_to_make_vendor_staff_a_partner_member(client, site_admin, make_staff):
    marketer = make_staff(StaffRole.MARKETER)
    client.force_login(site_admin)
    response = client.post(
        f"{LIST}add/",
        add_form(
            **{
                "memberships-TOTAL_FORMS": "1",
                "memberships-0-user": str(marketer.pk),
                "memberships-0-role": "learner",
                "memberships-0-ORDER": "1",
            }
        ),
    )
    assert response.status_code == 200
    assert "Vendor staff cannot belong" in response.content.decode()
    assert not Organization.objects.filter(slug="kavir-cloud").exists()
