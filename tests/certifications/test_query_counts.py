"""Query-count guards for what certifications add to pages: "My learning" (credentials,
progress towards certifications, notifications) and the team page with its CSV export.

The count must not grow with the data. Each page is requested once before it is
measured, so the per-process caches are warm, as in production.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.services.enrolment import enrol_learner
from lms import clock
from lms.notifications.services import Message, notify
from lms.partners.models import Membership
from tests.certifications import builders
from tests.courses import builders as course_builders

pytestmark = pytest.mark.django_db

MARGIN = 2
# Observed counts (SQLite, warm caches).
MY_LEARNING = 22
TEAM_PAGE = 10  # with the playbooks section (acknowledgement coverage): 3 more
TEAM_CSV = 3

ISSUED = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)
NOW = datetime(2026, 12, 18, 12, 0, tzinfo=UTC)


def queries(client, url: str, *, showing: tuple[str, ...] = ()) -> int:
    """The queries of one GET of `url`, whose response must show each of `showing`."""
    client.get(url)
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    assert response.status_code == 200, url
    body = response.content.decode()
    missing = [text for text in showing if text not in body]
    assert not missing, f"{url} does not show {missing}"
    return len(captured)


def assert_flat(small: int, large: int, ceiling: int, what: str) -> None:
    assert small == large, f"{what}: {small} queries with little data, {large} with more"
    assert large <= ceiling + MARGIN, f"{what}: {large} queries, more than {ceiling} + {MARGIN}"


@pytest.fixture(autouse=True)
def now(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)


def test_my_learning_2_vs_20_credentials_and_certifications(client, learner, organization, other_organization):
    client.force_login(learner)
    renewal_exam = course_builders.course(title="Renewal Home", lessons=1, questions=3).assessments.get()
    update = course_builders.course(title="Update Course", lessons=1, exam=False)
    hidden = course_builders.course(
        title="Their Course", lessons=1, exam=False, audience_organizations=[other_organization]
    )
    # A prerequisite nobody holds (and that needs another organization's course, so it is not listed itself).
    missing = builders.certification(name="Missing Prerequisite", slug="missing", courses=[hidden])
    added: list = []

    def add(count: int) -> None:
        for _ in range(count):
            number = len(added) + 1
            held = builders.certification(
                name=f"Held {number:03}",
                slug=f"held-{number:03}",
                validity_months=12,
                renewal_course=update if number % 2 else None,
                renewal_exam=None if number % 2 else renewal_exam,
            )
            builders.issue(learner, held, issued_at=ISSUED)
            course = course_builders.course(title=f"Needed {number:03}", lessons=1, exam=number % 2 == 0, questions=3)
            if number % 2 == 0:
                enrol_learner(user=learner, course=course)
            builders.certification(
                name=f"Target {number:03}",
                slug=f"target-{number:03}",
                courses=[course, hidden] if number % 2 else [course],  # odd ones need another's course
                exam=course.assessments.first(),
                prerequisites=[held, missing],
            )
            notify(messages=[Message(user_id=learner.pk, kind="test", text=f"Note {number:03}", url="/learn/")])
            added.append(held)

    add(2)
    small = queries(
        client,
        "/learn/",
        showing=("Held 002", "Target 002", "Needed 002", "Note 002", "Update Course", "Missing Prerequisite"),
    )
    add(18)
    large = queries(client, "/learn/", showing=("Held 020", "Target 020", "Needed 020", "Note 020", "Renewal Home"))
    assert_flat(small, large, MY_LEARNING, "/learn/ with credentials")


def test_team_page_and_credentials_csv_3_vs_30_members(client, partner_admin, organization, make_member):
    client.force_login(partner_admin)
    certifications = [
        builders.certification(name=f"Team Cert {number}", slug=f"team-cert-{number}", validity_months=12)
        for number in range(3)
    ]
    members = []

    def add_members(count: int) -> None:
        for _ in range(count):
            member = make_member(
                organization, Membership.Role.LEARNER, first_name="Member", last_name=f"{len(members) + 1:03}"
            )
            members.append(member)
            for number, certification in enumerate(certifications):
                if (member.pk + number) % 2:
                    builders.issue(member, certification, issued_at=ISSUED)

    add_members(2)  # with the admin, three people
    small = (
        queries(client, "/partner/parsian/", showing=(members[-1].get_full_name(), "Team Cert 1")),
        queries(client, "/partner/parsian/credentials.csv", showing=("Team Cert",)),
    )
    add_members(27)
    large = (
        queries(client, "/partner/parsian/", showing=(members[-1].get_full_name(), "Team Cert 2")),
        queries(client, "/partner/parsian/credentials.csv", showing=(members[-1].email,)),
    )
    assert_flat(small[0], large[0], TEAM_PAGE, "team page with credentials")
    assert_flat(small[1], large[1], TEAM_CSV, "team credentials CSV")
