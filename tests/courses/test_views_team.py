"""A partner admin's course pages: team progress, the CSV export, assigning courses and paths."""

from __future__ import annotations

import csv
import io
from datetime import date, timedelta

import pytest

from courses.models import Enrolment, LearningPathCourse, LearningPathPage, LessonPage, PathEnrolment
from courses.services.attempts import scripted_answers, start_attempt, submit_attempt
from courses.services.enrolment import enrol_learner
from courses.services.progress import complete_lesson
from lms import clock
from lms.partners.models import Membership, Tier
from tests.courses import builders

pytestmark = pytest.mark.django_db

HEADER = [
    "name",
    "email",
    "course",
    "source",
    "enrolled",
    "due",
    "progress_percent",
    "completed",
    "exam_score",
    "overdue",
]


def csv_rows(response) -> list[list[str]]:
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))


def team_rows(response) -> str:
    """The team progress section of the team page."""
    text = response.content.decode()
    start = text.index('id="team-progress-heading"')
    return text[start : text.index("</section>", start)]


@pytest.fixture
def course(db):
    return builders.course(title="Cloud Security Fundamentals", lessons=2, questions=7)


@pytest.fixture
def admin_client(client, partner_admin):
    client.force_login(partner_admin)
    return client


# Team progress ----------------------------------------------------------------------------------


def test_the_team_page_shows_each_enrolment(
    admin_client, course, learner, make_member, organization, other_organization
):
    learner.first_name, learner.last_name = "Sara", "Ahmadi"
    learner.save()
    finisher = make_member(organization, first_name="Reza", last_name="Karimi")
    short = builders.course(title="Short Course", lessons=1, exam=False)
    enrol_learner(user=learner, course=course)
    complete_lesson(user=learner, lesson=LessonPage.objects.child_of(course).first())
    enrol_learner(user=finisher, course=short)
    complete_lesson(user=finisher, lesson=LessonPage.objects.child_of(short).get())
    outsider = make_member(other_organization, first_name="Nora", last_name="Northwind")
    enrol_learner(user=outsider, course=course)

    response = admin_client.get("/partner/parsian/")

    assert response.status_code == 200
    section = team_rows(response)
    assert section.count("<tr>") + section.count("<tr ") == 3  # the header and two enrolments
    assert "<td>Sara Ahmadi</td>\n          <td>Cloud Security Fundamentals</td>\n          <td>33%</td>" in section
    assert "<td>Reza Karimi</td>" in section and "Completed on" in section
    assert "Nora Northwind" not in response.text
    assert 'href="/partner/parsian/assign/"' in section
    assert 'href="/partner/parsian/progress.csv"' in section


def test_the_team_page_flags_overdue_assignments(admin_client, course, learner, partner_admin):
    Enrolment.objects.create(
        user=learner,
        course=course,
        source=Enrolment.Source.ASSIGNED,
        assigned_by=partner_admin,
        due_date=clock.now().date() - timedelta(days=2),
        enrolled_at=clock.now(),
    )

    section = team_rows(admin_client.get("/partner/parsian/"))

    assert '<tr class="is-overdue">' in section
    assert "Overdue since" in section
    assert '<span class="badge">assigned</span>' in section


def test_the_team_page_with_nobody_enrolled(admin_client, learner):
    assert "Nobody on the team is enrolled in a course yet." in admin_client.get("/partner/parsian/").text


# The CSV export ---------------------------------------------------------------------------------


def test_the_csv_has_a_bom_a_header_and_one_row_per_enrolment(
    admin_client, course, learner, make_member, organization, other_organization, partner_admin
):
    colleague = make_member(organization, first_name="مریم", last_name="رضایی", email="maryam@parsian.example")
    short = builders.course(title="Short Course", lessons=1, exam=False)
    enrol_learner(user=learner, course=course)
    enrol_learner(user=learner, course=short)
    Enrolment.objects.create(
        user=colleague,
        course=course,
        source=Enrolment.Source.ASSIGNED,
        assigned_by=partner_admin,
        due_date=date(2099, 1, 31),
        enrolled_at=clock.now(),
    )
    attempt = start_attempt(user=colleague, assessment=course.assessments.get())
    submit_attempt(user=colleague, attempt=attempt, answers=scripted_answers(attempt, right=True))
    enrol_learner(user=make_member(other_organization, email="someone@northwind.example"), course=course)

    response = admin_client.get("/partner/parsian/progress.csv")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="parsian-progress.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    rows = csv_rows(response)
    assert rows[0] == HEADER
    assert len(rows) == 1 + 3
    by_key = {(row[1], row[2]): dict(zip(HEADER, row, strict=True)) for row in rows[1:]}
    assert set(by_key) == {
        ("learner@parsian.example", "Cloud Security Fundamentals"),
        ("learner@parsian.example", "Short Course"),
        ("maryam@parsian.example", "Cloud Security Fundamentals"),
    }
    maryam = by_key["maryam@parsian.example", "Cloud Security Fundamentals"]
    assert maryam["name"] == "مریم رضایی"
    assert maryam["source"] == "assigned" and maryam["due"] == "2099-01-31"
    assert maryam["exam_score"] == "100.00" and maryam["overdue"] == "no"
    assert maryam["progress_percent"] == "33"  # the exam passed: 1 of 3 steps (2 lessons and the exam)
    assert "northwind" not in response.content.decode()


@pytest.mark.parametrize(
    ("first_name", "last_name", "expected"),
    [
        ("=cmd", "", "'=cmd"),
        ('=HYPERLINK("http://evil")', "", '\'=HYPERLINK("http://evil")'),
        ("+1", "Plus", "'+1 Plus"),
        ("-2", "Minus", "'-2 Minus"),
        ("@SUM(A1)", "", "'@SUM(A1)"),
        ("", "=cmd", "'=cmd"),
        ("Plain", "Name", "Plain Name"),
    ],
)
def test_csv_neutralizes_formulas_in_names(
    admin_client, course, make_member, organization, first_name, last_name, expected
):
    member = make_member(organization, first_name=first_name, last_name=last_name)
    enrol_learner(user=member, course=course)

    rows = csv_rows(admin_client.get("/partner/parsian/progress.csv"))

    assert rows[1][0] == expected


def test_csv_neutralizes_formulas_in_course_titles_and_emails(admin_client, make_member, organization):
    course = builders.course(title="=2+5 Course", slug="formula-course", lessons=1, exam=False)
    enrol_learner(user=make_member(organization, email="=x@parsian.example"), course=course)

    (_header, row) = csv_rows(admin_client.get("/partner/parsian/progress.csv"))

    assert row[1] == "'=x@parsian.example"
    assert row[2] == "'=2+5 Course"


def test_csv_with_nobody_enrolled_is_just_the_header(admin_client):
    assert csv_rows(admin_client.get("/partner/parsian/progress.csv")) == [HEADER]


# Who may see it ---------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/partner/parsian/", "/partner/parsian/progress.csv", "/partner/parsian/assign/"])
def test_another_organizations_admin_gets_a_404(client, other_partner_admin, course, learner, url):
    enrol_learner(user=learner, course=course)
    client.force_login(other_partner_admin)

    response = client.get(url)

    assert response.status_code == 404
    assert "learner@parsian.example" not in response.content.decode()


@pytest.mark.parametrize("url", ["/partner/parsian/progress.csv", "/partner/parsian/assign/"])
def test_learners_are_refused(client, learner, make_member, other_organization, url):
    client.force_login(learner)
    assert client.get(url).status_code == 403
    client.force_login(make_member(other_organization))
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", ["/partner/parsian/progress.csv", "/partner/parsian/assign/"])
def test_anonymous_readers_are_sent_to_sign_in(client, organization, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


def test_site_admins_see_any_organizations_progress(client, site_admin, course, learner):
    enrol_learner(user=learner, course=course)
    client.force_login(site_admin)

    assert client.get("/partner/parsian/assign/").status_code == 200
    rows = csv_rows(client.get("/partner/parsian/progress.csv"))
    assert [row[1] for row in rows[1:]] == ["learner@parsian.example"]
    assert client.get("/partner/no-such-partner/progress.csv").status_code == 404


# Assigning ----------------------------------------------------------------------------------


@pytest.fixture
def catalog_world(organization, other_organization):
    index = builders.catalog()
    return {
        "open": builders.course(index, title="Open Course", lessons=1, exam=False),
        "ours": builders.course(
            index, title="Parsian Course", lessons=1, exam=False, audience_organizations=[organization]
        ),
        "gold": builders.course(index, title="Gold Course", lessons=1, exam=False, minimum_tier=Tier.GOLD),
        "theirs": builders.course(
            index, title="Northwind Course", lessons=1, exam=False, audience_organizations=[other_organization]
        ),
    }


def test_the_assign_form_offers_only_own_members_and_open_courses(
    admin_client, catalog_world, learner, partner_admin, make_member, other_organization
):
    make_member(other_organization, email="someone@northwind.example")

    response = admin_client.get("/partner/parsian/assign/")

    assert response.status_code == 200
    text = response.text
    assert "learner@parsian.example" in text and "admin@parsian.example" in text
    assert "northwind.example" not in text
    assert ">Open Course</option>" in text and ">Parsian Course</option>" in text
    assert "Gold Course" not in text
    assert "Northwind Course" not in text


def test_assigning_a_course_with_a_due_date(admin_client, client, catalog_world, learner, partner_admin):
    course = catalog_world["open"]
    membership = Membership.objects.get(user=learner)

    response = admin_client.post(
        "/partner/parsian/assign/", {"members": [membership.pk], "course": course.pk, "due_date": "2099-03-15"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/partner/parsian/"
    enrolment = Enrolment.objects.get(user=learner)
    assert enrolment.course_id == course.pk
    assert enrolment.source == Enrolment.Source.ASSIGNED
    assert enrolment.assigned_by == partner_admin
    assert enrolment.due_date == date(2099, 3, 15)
    team = admin_client.get("/partner/parsian/")
    assert "Assigned to 1 person." in team.text
    section = team_rows(team)
    assert "Open Course" in section and '<span class="badge">assigned</span>' in section
    assert "—</td>" in section  # no exam score yet

    client.force_login(learner)
    learn = client.get("/learn/").text
    assigned = learn[learn.index('id="assigned-heading"') : learn.index('id="completed-heading"')]
    assert "Open Course" in assigned
    assert "Due " in assigned
    assert "Nothing is assigned to you right now." not in assigned


def test_assigning_keeps_a_self_enrolled_learners_progress(admin_client, catalog_world, learner):
    course = catalog_world["open"]
    enrol_learner(user=learner, course=course)
    lesson = LessonPage.objects.child_of(course).get()
    builders.publish(course, LessonPage(title="Lesson 2", slug="lesson-2", body=builders.lesson_body()))
    complete_lesson(user=learner, lesson=lesson)

    response = admin_client.post(
        "/partner/parsian/assign/", {"members": [Membership.objects.get(user=learner).pk], "course": course.pk}
    )

    assert response.status_code == 302
    enrolment = Enrolment.objects.get(user=learner)
    assert enrolment.source == Enrolment.Source.ASSIGNED and enrolment.due_date is None
    assert "50%" in team_rows(admin_client.get("/partner/parsian/"))


def test_assigning_a_learning_path(admin_client, catalog_world, learner, partner_admin):
    index = builders.catalog()
    path = builders.publish(
        index,
        LearningPathPage(
            title="Security Path",
            slug="security-path",
            summary="A path.",
            path_courses=[
                LearningPathCourse(course=catalog_world["open"]),
                LearningPathCourse(course=catalog_world["ours"]),
            ],
        ),
    )

    response = admin_client.post(
        "/partner/parsian/assign/",
        {"members": [Membership.objects.get(user=learner).pk], "path": path.pk, "due_date": "2099-01-01"},
    )

    assert response.status_code == 302
    assert set(Enrolment.objects.filter(user=learner).values_list("course__title", "source")) == {
        ("Open Course", "assigned"),
        ("Parsian Course", "assigned"),
    }
    assert PathEnrolment.objects.get(user=learner).due_date == date(2099, 1, 1)


def _nothing_written() -> bool:
    return not Enrolment.objects.exists() and not PathEnrolment.objects.exists()


def test_a_member_of_another_organization_cannot_be_assigned(
    admin_client, catalog_world, learner, make_member, other_organization
):
    outsider = Membership.objects.get(user=make_member(other_organization, email="someone@northwind.example"))
    own = Membership.objects.get(user=learner)

    for members in ([outsider.pk], [own.pk, outsider.pk], ["not-a-number"], [999999]):
        response = admin_client.post(
            "/partner/parsian/assign/", {"members": members, "course": catalog_world["open"].pk}
        )
        assert response.status_code == 400, members
        assert "someone@northwind.example" not in response.text
        assert _nothing_written(), members


@pytest.mark.parametrize("choice", ["both", "neither"])
def test_either_a_course_or_a_path_must_be_chosen(admin_client, catalog_world, learner, choice):
    index = builders.catalog()
    path = builders.publish(
        index,
        LearningPathPage(
            title="Security Path",
            slug="security-path",
            summary="A path.",
            path_courses=[LearningPathCourse(course=catalog_world["open"])],
        ),
    )
    data = {"members": [Membership.objects.get(user=learner).pk]}
    if choice == "both":
        data |= {"course": catalog_world["open"].pk, "path": path.pk}

    response = admin_client.post("/partner/parsian/assign/", data)

    assert response.status_code == 400
    assert "Choose either a course or a learning path." in response.text
    assert _nothing_written()


@pytest.mark.parametrize("course", ["gold", "theirs"])
def test_courses_not_open_to_the_organization_cannot_be_assigned(admin_client, catalog_world, learner, course):
    response = admin_client.post(
        "/partner/parsian/assign/",
        {"members": [Membership.objects.get(user=learner).pk], "course": catalog_world[course].pk},
    )

    assert response.status_code == 400
    assert "Northwind Course" not in response.text
    assert _nothing_written()


@pytest.mark.parametrize("due_date", ["31/12/2099", "tomorrow", "2099-02-30"])
def test_a_bad_due_date_is_refused(admin_client, catalog_world, learner, due_date):
    response = admin_client.post(
        "/partner/parsian/assign/",
        {
            "members": [Membership.objects.get(user=learner).pk],
            "course": catalog_world["open"].pk,
            "due_date": due_date,
        },
    )

    assert response.status_code == 400
    assert _nothing_written()


def test_nobody_but_the_admin_can_assign(client, catalog_world, learner, other_partner_admin):
    data = {"members": [Membership.objects.get(user=learner).pk], "course": catalog_world["open"].pk}
    client.force_login(learner)
    assert client.post("/partner/parsian/assign/", data).status_code == 403
    client.force_login(other_partner_admin)
    assert client.post("/partner/parsian/assign/", data).status_code == 404
    assert _nothing_written()


def test_site_admins_assign_for_any_organization(client, site_admin, catalog_world, learner):
    client.force_login(site_admin)

    response = client.post(
        "/partner/parsian/assign/",
        {"members": [Membership.objects.get(user=learner).pk], "course": catalog_world["ours"].pk},
    )

    assert response.status_code == 302
    assert Enrolment.objects.get(user=learner).assigned_by == site_admin


def test_the_persian_assign_page_renders_right_to_left(admin_client, catalog_world):
    response = admin_client.get("/fa/partner/parsian/assign/")

    assert response.status_code == 200
    assert '<html lang="fa" dir="rtl">' in response.text


def test_paths_with_courses_of_other_organizations_are_not_offered(admin_client, catalog_world, learner):
    """Every live path used to be offered; assigning one failed with a message naming the hidden course."""
    index = builders.catalog()
    path = builders.publish(
        index,
        LearningPathPage(
            title="Mixed Path",
            slug="mixed-path",
            summary="A path.",
            path_courses=[
                LearningPathCourse(course=catalog_world["open"]),
                LearningPathCourse(course=catalog_world["theirs"]),
            ],
        ),
    )

    form = admin_client.get("/partner/parsian/assign/")
    response = admin_client.post(
        "/partner/parsian/assign/", {"members": [Membership.objects.get(user=learner).pk], "path": path.pk}
    )

    assert response.status_code in {400, 409}
    assert _nothing_written()
    assert "Northwind Course" not in response.text
    assert ">Mixed Path</option>" not in form.text
