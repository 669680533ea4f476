"""Marketers and site admins set who may see each collection's brand assets, in the admin."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group

from lms.partners.models import Tier
from lms.partners.roles import ASSET_AUDIENCES, StaffRole
from playbooks.asset_audience import visible_collection_ids
from playbooks.models import CollectionAudience
from tests.playbooks import asset_builders as assets

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", [StaffRole.MARKETER, StaffRole.SITE_ADMIN])
def test_marketers_and_site_admins_hold_the_audience_permissions(role):
    held = Group.objects.get(name=role.value).permissions.values_list("content_type__app_label", "codename")
    assert set(ASSET_AUDIENCES) <= {f"{app}.{codename}" for app, codename in held}


def test_a_marketer_sets_a_collections_audience_and_it_applies_at_once(client, make_staff, silver_member):
    marketer = make_staff(StaffRole.MARKETER, email="marketer@vendor.example")
    collection = assets.collection("Launch kit")
    assert collection.pk in visible_collection_ids(silver_member)
    client.force_login(marketer)
    assert client.get("/admin/").content.decode().count("/admin/asset_audiences/") >= 1
    assert client.get("/admin/asset_audiences/").status_code == 200
    response = client.post(
        "/admin/asset_audiences/new/", {"collection": collection.pk, "minimum_tier": Tier.GOLD, "language": ""}
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    assert CollectionAudience.objects.get(collection=collection).minimum_tier == Tier.GOLD
    assert collection.pk not in visible_collection_ids(silver_member)


def test_partners_and_course_authors_cannot_open_it(client, make_staff, silver_member):
    client.force_login(make_staff(StaffRole.COURSE_AUTHOR, email="author@vendor.example"))
    assert client.get("/admin/asset_audiences/").status_code in (302, 403)
    client.force_login(silver_member)
    assert client.get("/admin/asset_audiences/").status_code == 302
