""" "My learning" shows a person's credentials and what the others still need, in both languages."""

from __future__ import annotations

import zoneinfo
from datetime import UTC, datetime, timedelta

import pytest
from django.utils.html import escape
from wagtail.models import Locale

from certifications import badges
from certifications.models import Credential
from certifications.selectors import credentials_of, progress_towards
from courses.services.enrolment import enrol_learner
from lms import calendars, clock
from lms.partners.models import Tier
from tests.certifications import builders
from tests.courses import builders as course_builders

pytestmark = pytest.mark.django_db

ISSUED = datetime(2026, 1, 10, 12, 0, tzinfo=UTC)  # valid for 12 months: expires 10 January 2027
NOW = datetime(2026, 12, 18, 12, 0, tzinfo=UTC)  # 23 days before expiry, inside the 90-day window


@pytest.fixture
def now(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)
    return NOW


@pytest.fixture
def member_client(client, learner):
    client.force_login(learner)
    return client


def section(response, heading_id: str) -> str:
    text = response.content.decode()
    start = text.index(f'id="{heading_id}"')
    return text[start : text.index("</section>", start)]


def credential_for(user, **fields) -> Credential:
    fields.setdefault("validity_months", 12)
    certification = builders.certification(**fields)
    return builders.issue(user, certification, issued_at=ISSUED)


# My credentials -----------------------------------------------------------------------------------


def test_a_credential_shows_its_status_countdown_and_links(member_client, learner, now):
    credential = credential_for(learner)

    response = member_client.get("/learn/")

    assert response.status_code == 200
    mine = section(response, "credentials-heading")
    assert "Certified Cloud Security Associate" in mine
    assert 'data-state="expiring"' in mine and "Expiring soon" in mine
    assert "Expires in 23 days, on 10 January 2027" in mine
    assert "Issued on 10 January 2026" in mine
    code = credential.code
    assert f'href="/verify/{code}/"' in mine
    assert f'href="/verify/{code}/certificate.pdf"' in mine
    assert f'href="http://testserver/badges/assertions/{code}.json"' in mine
    assert f'href="{escape(badges.linkedin_add_url(credential))}"' in mine
    assert "https://www.linkedin.com/profile/add?startTask=CERTIFICATION_NAME" in mine
    assert 'href="http://testserver/badges/classes/cloud-security-associate.png?download=1" download' in mine
    assert 'src="/badges/classes/cloud-security-associate.png"' in mine
    assert "Add to LinkedIn profile" in mine and "Download badge image" in mine
    assert "You have not earned a credential yet." not in response.text


def test_the_persian_page_shows_persian_digits_and_jalali_dates(member_client, learner, now):
    credential = credential_for(learner)

    response = member_client.get("/fa/learn/")

    assert response.status_code == 200
    assert '<html lang="fa" dir="rtl"' in response.text
    mine = section(response, "credentials-heading")
    assert "کارشناس امنیت ابری" in mine
    tehran = zoneinfo.ZoneInfo("Asia/Tehran")
    assert calendars.jalali_date(credential.expires_at.astimezone(tehran)) == "۲۰ دی ۱۴۰۵"
    assert "۲۰ دی ۱۴۰۵" in mine  # the expiry date
    assert "۲۰ دی ۱۴۰۴" in mine  # the issue date
    assert "۲۳" in mine and "23 days" not in mine
    assert "January" not in mine
    assert f'href="/fa/verify/{credential.code}/"' in mine


def test_the_english_page_is_left_to_right(member_client, learner, now):
    credential_for(learner)

    assert '<html lang="en" dir="ltr"' in member_client.get("/learn/").text


def test_without_credentials_the_section_says_so(member_client, learner):
    response = member_client.get("/learn/")

    assert "You have not earned a credential yet." in section(response, "credentials-heading")
    assert response.text.count('id="credentials-heading"') == 1  # the portal's placeholder card is gone


def test_a_valid_credential_far_from_expiry_shows_valid_and_when_renewal_opens(member_client, learner, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: ISSUED + timedelta(days=30))
    renewal = course_builders.course(title="Cloud Security Update", lessons=1, exam=False)
    credential_for(learner, renewal_course=renewal)

    mine = section(member_client.get("/learn/"), "credentials-heading")

    assert 'data-state="valid"' in mine and ">Valid<" in mine
    assert "Renewal opens on 12 October 2026." in mine  # 90 days before 10 January 2027
    assert "Renew it now." not in mine


def test_inside_the_renewal_window_the_renewal_exam_and_update_course_are_linked(member_client, learner, now):
    update = course_builders.course(title="Cloud Security Update", lessons=1, exam=False)
    renewal_home = course_builders.course(title="Renewal Course", lessons=1, questions=3)
    credential_for(learner, renewal_course=update, renewal_exam=renewal_home.assessments.get(), minimum_score=80)

    mine = section(member_client.get("/learn/"), "credentials-heading")

    assert "Renew it now." in mine
    assert f'href="{update.url}">Cloud Security Update</a>' in mine
    assert "Pass the renewal exam" in mine and "with at least 80%" in mine
    assert f'href="{renewal_home.url}">Renewal Course</a>' in mine


def test_a_renewal_course_meant_for_another_organization_is_not_named(member_client, learner, now, other_organization):
    update = course_builders.course(
        title="Northwind Update", lessons=1, exam=False, audience_organizations=[other_organization]
    )
    credential_for(learner, renewal_course=update)

    response = member_client.get("/learn/")

    assert "Northwind Update" not in response.text
    assert "Renew it now." not in response.text


def test_revoked_suspended_and_expired_credentials_are_labelled_and_not_offered_for_sharing(
    member_client, learner, now
):
    revoked = credential_for(learner, name="Revoked Cert", slug="revoked-cert")
    suspended = credential_for(learner, name="Suspended Cert", slug="suspended-cert")
    lapsed = builders.issue(
        learner,
        builders.certification(name="Lapsed Cert", slug="lapsed-cert", validity_months=6),
        issued_at=ISSUED,
    )
    Credential.objects.filter(pk=revoked.pk).update(status=Credential.Status.REVOKED, status_changed_at=NOW)
    Credential.objects.filter(pk=suspended.pk).update(status=Credential.Status.SUSPENDED, status_changed_at=NOW)

    mine = section(member_client.get("/learn/"), "credentials-heading")

    assert 'data-state="revoked"' in mine and "Revoked on 18 December 2026" in mine
    assert 'data-state="suspended"' in mine and "Suspended since 18 December 2026" in mine
    # Still stored as active, but past its expiry date: shown as expired before the nightly job.
    assert 'data-state="expired"' in mine and "Expired on 10 July 2026" in mine
    for credential in (revoked, suspended, lapsed):
        assert f'href="/verify/{credential.code}/"' in mine
        assert f"/verify/{credential.code}/certificate.pdf" not in mine
    assert "Add to LinkedIn profile" not in mine


def test_superseded_credentials_are_left_out_and_the_newest_comes_first(learner, now):
    older = credential_for(learner, name="Older", slug="older")
    newer = builders.issue(
        learner, builders.certification(name="Newer", slug="newer"), issued_at=ISSUED + timedelta(days=5)
    )
    gone = credential_for(learner, name="Gone", slug="gone")
    Credential.objects.filter(pk=gone.pk).update(status=Credential.Status.SUPERSEDED)

    listed = credentials_of(user=learner, now=NOW)

    assert [view.credential.pk for view in listed] == [newer.pk, older.pk]
    assert listed[0].days_left is None and listed[0].state == "valid"
    assert listed[1].days_left == 23 and listed[1].in_renewal_window


def test_another_persons_credentials_are_not_shown(member_client, learner, make_member, organization, now):
    colleague = make_member(organization, email="colleague@parsian.example")
    credential_for(colleague, name="Colleague Cert", slug="colleague-cert")

    response = member_client.get("/learn/")

    assert "Colleague Cert" not in response.text
    assert "You have not earned a credential yet." in response.text


# On the way to ------------------------------------------------------------------------------------


@pytest.fixture
def path_world(learner):
    """A certification of two courses and an exam, with a prerequisite; the learner has
    completed one course and failed the exam."""
    done = course_builders.course(title="Done Course", lessons=1, exam=False)
    todo = course_builders.course(title="Todo Course", lessons=1, questions=3)
    exam = todo.assessments.get()
    first = builders.certification(name="Foundations", name_fa="مبانی", slug="foundations", courses=[todo])
    target = builders.certification(
        name="Cloud Expert",
        name_fa="خبره ابر",
        slug="cloud-expert",
        courses=[done, todo],
        exam=exam,
        minimum_score=80,
        prerequisites=[first],
    )
    builders.complete_course(learner, done)
    enrol_learner(user=learner, course=todo)
    builders.take_exam(learner, exam, right=False)
    return {"done": done, "todo": todo, "exam": exam, "first": first, "target": target}


def test_on_the_way_to_lists_what_remains(member_client, learner, path_world):
    response = member_client.get("/learn/")

    way = section(response, "on-the-way-heading")
    target = way[way.index("Cloud Expert") :]
    assert "1 of 4 requirements met" in target
    assert 'value="25"' in target
    assert "Hold the “Foundations” credential" in target
    assert f'href="{path_world["todo"].url}">Todo Course</a>' in target
    assert "Done Course" not in target
    assert "Pass the exam" in target and "with at least 80%" in target
    assert "your best score so far: 0%" in target
    assert way.index("Cloud Expert") < way.index("<strong>Foundations</strong>")  # the nearest first


def test_progress_towards_gives_done_total_and_gaps(learner, path_world):
    items = {item.certification.slug: item for item in progress_towards(user=learner)}

    target = items["cloud-expert"]
    assert (target.done, target.total, target.percent) == (1, 4, 25)
    assert [course.title for course in target.courses] == ["Todo Course"]
    assert target.exam.title == path_world["exam"].title
    assert target.exam.best_score == 0 and target.exam.minimum_score == 80
    assert [p.slug for p in target.prerequisites] == ["foundations"]
    assert items["foundations"].total == 1


def test_held_and_switched_off_certifications_and_those_without_requirements_are_not_listed(learner, now):
    course = course_builders.course(title="Some Course", lessons=1, exam=False)
    held = builders.certification(name="Held", slug="held", courses=[course])
    builders.issue(learner, held, issued_at=ISSUED)
    off = builders.certification(name="Off", slug="off", courses=[course], is_active=False)
    manual = builders.certification(name="Manual", slug="manual")
    open_one = builders.certification(name="Open", slug="open", courses=[course])

    slugs = [item.certification.slug for item in progress_towards(user=learner)]

    assert slugs == [open_one.slug]
    assert off.slug not in slugs and manual.slug not in slugs


def test_an_expired_credential_can_be_earned_again(learner, now):
    course = course_builders.course(title="Some Course", lessons=1, exam=False)
    certification = builders.certification(name="Again", slug="again", courses=[course], validity_months=6)
    credential = builders.issue(learner, certification, issued_at=ISSUED)
    Credential.objects.filter(pk=credential.pk).update(status=Credential.Status.EXPIRED)

    assert [item.certification.slug for item in progress_towards(user=learner)] == ["again"]


def test_courses_of_other_organizations_are_never_named(member_client, learner, other_organization, organization):
    theirs = course_builders.course(
        title="Northwind Secret Course", lessons=1, exam=False, audience_organizations=[other_organization]
    )
    theirs_exam_course = course_builders.course(
        title="Northwind Exam Course", lessons=1, questions=3, audience_organizations=[other_organization]
    )
    ours = course_builders.course(title="Parsian Course", lessons=1, exam=False, audience_organizations=[organization])
    gold = course_builders.course(title="Gold Course", lessons=1, exam=False, minimum_tier=Tier.GOLD)
    builders.certification(name="Needs Theirs", slug="needs-theirs", courses=[ours, theirs])
    builders.certification(name="Needs Their Exam", slug="needs-their-exam", exam=theirs_exam_course.assessments.get())
    builders.certification(name="Ours", slug="ours", courses=[ours, gold])

    response = member_client.get("/learn/")

    text = response.text
    assert "Northwind" not in text
    assert "Needs Theirs" not in text and "Needs Their Exam" not in text
    way = section(response, "on-the-way-heading")
    assert "Parsian Course" in way
    assert "Gold Course" in way and "available from the Gold tier" in way


def test_the_persian_page_links_the_persian_version_of_a_course(member_client, learner):
    course = course_builders.course(title="Todo Course", lessons=1, exam=False)
    course_builders.catalog("fa")
    persian = course.copy_for_translation(Locale.objects.get(language_code="fa"))
    persian.title = "دوره باقی‌مانده"
    persian.save_revision().publish()
    builders.certification(courses=[course])

    fa = section(member_client.get("/fa/learn/"), "on-the-way-heading")
    en = section(member_client.get("/learn/"), "on-the-way-heading")

    persian.refresh_from_db()
    assert f'href="{persian.url}">دوره باقی‌مانده</a>' in fa
    assert persian.url.startswith("/fa/")
    assert "کارشناس امنیت ابری" in fa
    assert 'value="0"' in fa and "۰" in fa and "۱" in fa
    assert f'href="{course.url}">Todo Course</a>' in en


def test_an_unpublished_course_hides_the_certification(learner):
    course = course_builders.course(title="Draft Course", lessons=1, exam=False)
    builders.certification(courses=[course])
    course.unpublish()

    assert progress_towards(user=learner) == []
