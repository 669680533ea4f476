"""The course catalog at /courses/ (and /fa/courses/): listing, filters, pagination, audience."""

from __future__ import annotations

import html
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from wagtail.models import Locale

from courses.models import CourseIndexPage, CoursePage, Enrolment
from courses.selectors import CatalogFilters
from lms import clock
from lms.competencies.models import Competency
from lms.partners.models import Tier
from tests.courses import builders

pytestmark = pytest.mark.django_db

CARD = re.compile(
    r'<article class="card course-card[^"]*"[^>]*>\s*(?:<img[^>]*>\s*)?<h3[^>]*><a href="[^"]*">([^<]*)</a></h3>'
)


def listed(response) -> list[str]:
    """The course titles on the catalog page, in order."""
    return [html.unescape(title) for title in CARD.findall(response.content.decode())]


def card_of(response, title: str) -> str:
    """The HTML of the course card with `title`."""
    text = response.content.decode()
    start = text.index(f">{html.escape(title)}</a></h3>")
    return text[text.rindex("<article", 0, start) : text.index("</article>", start)]


def course(index=None, *, title: str, **fields):
    return builders.course(index, title=title, lessons=fields.pop("lessons", 1), exam=False, **fields)


@pytest.fixture
def index(db):
    return builders.catalog()


@pytest.fixture
def member_client(client, learner):
    client.force_login(learner)
    return client


def test_catalog_lists_live_courses_and_no_drafts(member_client, index):
    course(index, title="Cloud Security Fundamentals")
    course(index, title="Network Basics")
    course(index, title="Withdrawn Course").unpublish()

    response = member_client.get("/courses/")

    assert response.status_code == 200
    assert listed(response) == ["Cloud Security Fundamentals", "Network Basics"]
    assert "Withdrawn Course" not in response.text
    assert "2 courses" in response.text


@pytest.fixture
def filter_world(index):
    security = Competency.objects.create(name="Security", name_fa="امنیت", slug="security")
    networking = Competency.objects.create(name="Networking", slug="networking")
    course(index, title="Short Security", competencies=[security], level="beginner", estimated_minutes=45)
    course(index, title="Medium Networking", competencies=[networking], level="intermediate", estimated_minutes=120)
    course(index, title="Long Both", competencies=[security, networking], level="advanced", estimated_minutes=240)
    # A course that exists only in Persian, under the Persian catalog.
    builders.publish(
        builders.catalog("fa"),
        CoursePage(title="دوره فارسی", slug="persian-only", summary="خلاصه", level="beginner", estimated_minutes=61),
    )


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("", {"Short Security", "Medium Networking", "Long Both", "دوره فارسی"}),
        ("competency=security", {"Short Security", "Long Both"}),
        ("competency=networking", {"Medium Networking", "Long Both"}),
        ("level=beginner", {"Short Security", "دوره فارسی"}),
        ("level=advanced", {"Long Both"}),
        ("language=fa", {"دوره فارسی"}),
        ("language=en", {"Short Security", "Medium Networking", "Long Both"}),
        ("duration=short", {"Short Security"}),
        ("duration=medium", {"Medium Networking", "دوره فارسی"}),
        ("duration=long", {"Long Both"}),
        ("competency=security&level=beginner", {"Short Security"}),
        ("competency=networking&duration=long&language=en", {"Long Both"}),
        ("competency=security&level=intermediate", set()),
    ],
)
def test_filters_narrow_the_catalog(member_client, filter_world, query, expected):
    response = member_client.get(f"/courses/?{query}")

    assert response.status_code == 200
    assert set(listed(response)) == expected
    if not expected:
        assert "No course matches these filters." in response.text


def test_the_chosen_filters_stay_selected(member_client, filter_world):
    response = member_client.get("/courses/?competency=security&level=advanced&duration=long&language=en")

    text = response.text
    assert '<option value="security" selected>' in text
    assert '<option value="advanced" selected>' in text
    assert '<option value="long" selected>' in text
    assert '<option value="en" selected>' in text
    assert "Clear filters" in text


@pytest.mark.parametrize(
    "query",
    [
        "level=expert",
        "level=",
        "language=xx",
        "language=../../etc",
        "duration=forever",
        "duration=short%00",
        "competency=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
        "competency=%27%20OR%201%3D1--",
        "competency=%00",
        "competency=secu%00rity",
        "competency=%D8%A7%D9%85%D9%86%DB%8C%D8%AA",
        "page=abc",
        "page=0",
        "page=-3",
        "page=99999",
        "page=1.5",
        "page=",
        "level=beginner&level=nonsense",
        "level[]=beginner",
        "unknown=1",
        "%FF=%FE",
    ],
)
def test_bad_filter_values_are_ignored_never_a_500(member_client, index, query):
    course(index, title="Cloud Security Fundamentals")

    response = member_client.get(f"/courses/?{query}")

    assert response.status_code == 200
    assert "<script>alert(1)</script>" not in response.text
    assert listed(response) == ["Cloud Security Fundamentals"]
    assert "Clear filters" not in response.text  # nothing counted as a filter


@pytest.mark.parametrize("competency", ["no-such-competency", "x" * 5000])
def test_an_unknown_competency_matches_no_course(member_client, index, competency):
    course(index, title="Cloud Security Fundamentals")

    response = member_client.get(f"/courses/?competency={competency}")

    assert response.status_code == 200
    assert listed(response) == []
    assert "No course matches these filters." in response.text


def test_unknown_level_language_or_duration_shows_everything(member_client, filter_world):
    response = member_client.get("/courses/?level=expert&language=klingon&duration=forever")

    assert response.status_code == 200
    assert len(listed(response)) == 4
    assert "Clear filters" not in response.text  # nothing counts as an active filter


def pagination_links(response) -> dict[str, dict[str, list[str]]]:
    links = {}
    for rel, href in re.findall(r'rel="(prev|next)" href="([^"]*)"', response.content.decode()):
        links[rel] = parse_qs(urlsplit(html.unescape(href)).query)
    return links


def test_pagination_keeps_the_filters_in_next_and_previous_links(member_client, index):
    CourseIndexPage.objects.filter(pk=index.pk).update(courses_per_page=2)
    for number in range(1, 6):
        course(index, title=f"Beginner {number}", level="beginner")
    course(index, title="Advanced 1", level="advanced")

    first = member_client.get("/courses/?level=beginner&duration=short")
    assert first.status_code == 200
    assert listed(first) == ["Beginner 1", "Beginner 2"]
    assert "Page 1 of 3" in first.text
    links = pagination_links(first)
    assert "prev" not in links
    assert links["next"] == {"level": ["beginner"], "duration": ["short"], "page": ["2"]}

    second = member_client.get("/courses/?level=beginner&duration=short&page=2")
    assert listed(second) == ["Beginner 3", "Beginner 4"]
    links = pagination_links(second)
    assert links["prev"] == {"level": ["beginner"], "duration": ["short"], "page": ["1"]}
    assert links["next"] == {"level": ["beginner"], "duration": ["short"], "page": ["3"]}

    last = member_client.get("/courses/?level=beginner&duration=short&page=3")
    assert listed(last) == ["Beginner 5"]
    assert "next" not in pagination_links(last)
    assert "Advanced 1" not in last.text


def test_pagination_links_drop_unknown_parameters(member_client, index):
    CourseIndexPage.objects.filter(pk=index.pk).update(courses_per_page=1)
    course(index, title="One")
    course(index, title="Two")

    response = member_client.get("/courses/?level=bogus&evil=%22%3E%3Cscript%3E")

    assert pagination_links(response)["next"] == {"page": ["2"]}
    assert '"><script>' not in response.text


def test_tier_locked_courses_are_listed_with_the_tier_they_open_at(member_client, index, organization):
    assert organization.tier == Tier.REGISTERED
    course(index, title="Gold Course", minimum_tier=Tier.GOLD)
    course(index, title="Open Course")

    response = member_client.get("/courses/")

    assert listed(response) == ["Gold Course", "Open Course"]
    card = card_of(response, "Gold Course")
    assert "is-locked" in card
    assert "This course is available from the Gold tier." in card
    assert "available from" not in card_of(response, "Open Course")


def test_a_reader_at_the_tier_sees_the_course_open(client, index, organization, learner):
    organization.tier = Tier.PLATINUM
    organization.save()
    course(index, title="Gold Course", minimum_tier=Tier.GOLD)
    client.force_login(learner)

    card = card_of(client.get("/courses/"), "Gold Course")

    assert "is-locked" not in card
    assert "available from" not in card


def test_courses_for_other_organizations_are_not_listed_at_all(member_client, index, organization, other_organization):
    course(index, title="Northwind Private Training", audience_organizations=[other_organization])
    course(index, title="Parsian Private Training", audience_organizations=[organization])
    course(index, title="Shared Training", audience_organizations=[organization, other_organization])
    course(index, title="Everyone Training")

    response = member_client.get("/courses/")

    assert listed(response) == ["Everyone Training", "Parsian Private Training", "Shared Training"]
    assert "Northwind Private Training" not in response.text
    assert "northwind-private-training" not in response.text
    assert "3 courses" in response.text


def test_other_organizations_courses_stay_hidden_under_every_filter_and_page(member_client, index, other_organization):
    CourseIndexPage.objects.filter(pk=index.pk).update(courses_per_page=1)
    security = Competency.objects.create(name="Security", slug="security")
    course(index, title="Aaa Northwind Secret", audience_organizations=[other_organization], competencies=[security])
    course(index, title="Bbb Public", competencies=[security])

    for query in ("", "competency=security", "level=beginner", "language=en", "duration=short", "page=2"):
        response = member_client.get(f"/courses/?{query}")
        assert response.status_code == 200
        assert "Northwind Secret" not in response.text, query
        assert "1 course" in response.text, query


def test_anonymous_readers_browse_the_catalog_without_restricted_courses(client, index, organization):
    course(index, title="Everyone Training")
    course(index, title="Gold Course", minimum_tier=Tier.GOLD)
    course(index, title="Parsian Private Training", audience_organizations=[organization])

    response = client.get("/courses/")

    assert response.status_code == 200
    assert listed(response) == ["Everyone Training", "Gold Course"]
    assert "This course is available from the Gold tier." in card_of(response, "Gold Course")
    assert "Parsian Private Training" not in response.text


def test_vendor_staff_see_every_course_open(client, index, make_staff, other_organization):
    from lms.partners.roles import StaffRole

    course(index, title="Northwind Private Training", audience_organizations=[other_organization])
    course(index, title="Gold Course", minimum_tier=Tier.GOLD)
    client.force_login(make_staff(StaffRole.COURSE_AUTHOR))

    response = client.get("/courses/")

    assert listed(response) == ["Gold Course", "Northwind Private Training"]
    assert "available from" not in response.text


def test_unmet_prerequisites_are_named_on_the_card(member_client, index, learner):
    basics = course(index, title="Basics")
    advanced = course(index, title="Advanced Topics", prerequisites=[basics])

    card = card_of(member_client.get("/courses/"), "Advanced Topics")
    assert "Requires" in card
    assert f'<a href="{basics.url}">Basics</a>' in card

    Enrolment.objects.create(
        user=learner, course=basics, source=Enrolment.Source.SELF, enrolled_at=clock.now(), completed_at=clock.now()
    )
    card = card_of(member_client.get("/courses/"), "Advanced Topics")
    assert "Requires" not in card
    assert advanced.title in card


def test_enrolment_state_shows_on_the_cards(member_client, index, learner):
    started = course(index, title="Started")
    done = course(index, title="Done")
    course(index, title="Untouched")
    now = clock.now()
    Enrolment.objects.create(user=learner, course=started, source=Enrolment.Source.SELF, enrolled_at=now)
    Enrolment.objects.create(user=learner, course=done, source=Enrolment.Source.SELF, enrolled_at=now, completed_at=now)

    response = member_client.get("/courses/")

    assert "Enrolled" in card_of(response, "Started")
    assert "Completed" in card_of(response, "Done")
    assert "Enrolled" not in card_of(response, "Untouched")


def test_persian_catalog_renders_right_to_left(client, index, learner):
    english = course(index, title="Cloud Security Fundamentals")
    fa_index = builders.catalog("fa")
    persian = english.copy_for_translation(Locale.objects.get(language_code="fa"))
    persian.title = "مبانی امنیت ابری"
    persian.save_revision().publish()
    course(index, title="English Only Course")
    client.force_login(learner)

    response = client.get("/fa/courses/")

    assert response.status_code == 200
    assert '<html lang="fa" dir="rtl">' in response.text
    assert fa_index.title in response.text
    # One card per course: the Persian version where there is one, else the English one.
    assert sorted(listed(response)) == ["English Only Course", "مبانی امنیت ابری"]
    assert ">Cloud Security Fundamentals</a>" not in response.text
    assert "/fa/courses/" in card_of(response, "مبانی امنیت ابری")


def test_persian_catalog_for_anonymous_readers(client, index):
    course(index, title="Cloud Security Fundamentals")
    builders.catalog("fa")

    response = client.get("/fa/courses/?level=nonsense&page=x")

    assert response.status_code == 200
    assert 'dir="rtl"' in response.text
    assert listed(response) == ["Cloud Security Fundamentals"]


# Regression guards for bugs found by these tests --------------------------------------


def test_a_prerequisite_meant_for_another_organization_is_not_named(member_client, index, other_organization):
    """ "Requires …" used to name every prerequisite, leaking the title of a course for another organization."""
    secret = course(index, title="Northwind Private Training", audience_organizations=[other_organization])
    course(index, title="Advanced Topics", prerequisites=[secret])

    for url in ("/courses/", "/courses/advanced-topics/"):
        response = member_client.get(url)
        assert response.status_code == 200
        assert "Northwind Private Training" not in response.text, url
    # Still a prerequisite: enrolling is refused, without naming it.
    assert ">Enrol</button>" not in response.text
    refused = member_client.post("/courses/advanced-topics/enrol/")
    assert refused.status_code == 409
    assert "Northwind Private Training" not in refused.text
    assert not Enrolment.objects.exists()


def test_a_zero_page_size_does_not_break_the_catalog(member_client, index):
    """courses_per_page = 0 used to make Paginator divide by zero: a 500."""
    CourseIndexPage.objects.filter(pk=index.pk).update(courses_per_page=0)
    course(index, title="Cloud Security Fundamentals")

    assert member_client.get("/courses/").status_code == 200


def test_the_competency_filter_drops_nul_characters():
    """A NUL in ?competency= reached the query, which PostgreSQL refuses (a 500 there)."""
    filters = CatalogFilters.from_params({"competency": "secu\x00rity"}, ["en"])

    assert "\x00" not in filters.competency
