"""The playbook catalog runs the same number of queries with 5 playbooks as with 50."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from lms.competencies.models import Competency
from tests.playbooks import builders

pytestmark = pytest.mark.django_db

CATALOG = 14  # observed on SQLite with warm caches, for a signed-in member (12 for a visitor)
MARGIN = 2


def queries(client, url: str) -> int:
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200
    return len(captured)


def add_playbooks(count: int, start: int, competency, picture) -> None:
    for number in range(start, start + count):
        builders.playbook(
            title=f"Playbook {number:03}", competencies=[competency], tags=[f"tag-{number % 4}"], cover_image=picture
        )


@pytest.mark.parametrize("as_member", [False, True])
def test_the_catalog_query_count_is_flat(client, learner, as_member):
    if as_member:
        client.force_login(learner)
    competency = Competency.objects.create(slug="security", name="Security", name_fa="امنیت")
    picture = builders.image()
    add_playbooks(5, 0, competency, picture)
    small = queries(client, "/playbooks/")
    add_playbooks(45, 5, competency, picture)
    large = queries(client, "/playbooks/")
    filtered = queries(client, "/playbooks/?tag=tag-1&competency=security")

    assert small == large, f"{small} queries with 5 playbooks, {large} with 50"
    assert large <= CATALOG + MARGIN, large
    assert filtered <= CATALOG + MARGIN, filtered
