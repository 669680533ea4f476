"""Query counts of the course pages stay flat as data grows.

Each test measures one page with a little data and again with about ten times as
much; the counts must be identical, and stay under a ceiling: the count observed
when the test was written, plus a small margin for harmless changes.

Every page is requested once before it is measured, so the per-process caches
(the Wagtail site, "are there view restrictions?", the course structure) are warm,
as in production.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from courses.blocks import knowledge_check_ids
from courses.models import CourseIndexPage, CoursePage, CourseSectionPage, Enrolment, LessonPage
from courses.services.attempts import scripted_answers, start_attempt, submit_attempt
from courses.services.enrolment import enrol_learner
from courses.services.progress import answer_knowledge_check, complete_lesson
from lms import clock
from lms.competencies.models import Competency
from lms.partners.models import Membership, Tier
from tests.courses import builders

pytestmark = pytest.mark.django_db

MARGIN = 2
# Observed counts (SQLite, warm caches), per page.
CATALOG = 10
COURSE_PAGE = 5
LESSON_PAGE = 6
MY_LEARNING = 12  # the lessons to go on with are read as pages apart from the others
TEAM_PAGE = 14  # with the playbooks section (acknowledgement coverage): 3 more
TEAM_CSV = 7
ATTEMPT_PAGE = 5
RESULT_PAGE = 8
EXAM_SUBMISSION = 11  # a passing submission that completes the course


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


@pytest.fixture
def member_client(client, learner):
    client.force_login(learner)
    return client


def add_lessons(course, numbers, *, learner=None, section=None, quiz: bool = False) -> None:
    """Lessons with one knowledge check each (odd ones in `section`); the learner answers
    and completes every third one. With `quiz`, each lesson has a practice quiz."""
    for number in numbers:
        parent = section if section is not None and number % 2 else course
        lesson = builders.publish(
            parent,
            LessonPage(title=f"Lesson {number}", slug=f"lesson-{number}", body=builders.lesson_body(checks=1)),
        )
        if quiz:
            bank = builders.question_bank(name=f"Quiz bank {lesson.pk}", size=3)
            builders.final_exam(course, bank, title=f"Quiz {number}", kind="practice", lesson=lesson, question_count=3)
        if learner is not None and number % 3 == 0:
            (block_id,) = knowledge_check_ids(lesson.body)
            answer_knowledge_check(user=learner, lesson=lesson, block_id=block_id, chosen=["0"])
            complete_lesson(user=learner, lesson=lesson)


def test_catalog_5_vs_50_courses(member_client, learner):
    index = builders.catalog()
    CourseIndexPage.objects.filter(pk=index.pk).update(courses_per_page=12)
    security = Competency.objects.create(name="Security", slug="security")
    networking = Competency.objects.create(name="Networking", slug="networking")
    added: list[CoursePage] = []

    def add_courses(count: int) -> None:
        for _ in range(count):
            number = len(added) + 1
            page = builders.course(
                index,
                title=f"Course {number:03}",
                lessons=0,
                exam=False,
                competencies=[security, networking],
                prerequisites=added[-1:],
                minimum_tier=Tier.GOLD if number % 3 == 0 else "",
            )
            if number % 2:
                Enrolment.objects.create(
                    user=learner,
                    course=page,
                    source=Enrolment.Source.SELF,
                    enrolled_at=clock.now(),
                    completed_at=clock.now() if number % 4 == 1 else None,
                )
            added.append(page)

    add_courses(5)
    small = queries(member_client, "/courses/?competency=security", showing=("Course 005", "5 courses"))
    add_courses(45)
    large = queries(member_client, "/courses/?competency=security", showing=("Course 012", "50 courses", "Requires"))
    assert_flat(small, large, CATALOG, "catalog")


def test_course_page_3_vs_30_lessons(member_client, learner):
    course = builders.course(title="Course", lessons=0, questions=7)
    enrol_learner(user=learner, course=course)
    add_lessons(course, range(1, 4), learner=learner)

    section = builders.publish(course, CourseSectionPage(title="Section", slug="section"))
    small = queries(member_client, course.url, showing=("Lesson 3", "Resume"))
    add_lessons(course, range(4, 31), learner=learner, section=section)
    large = queries(member_client, course.url, showing=("Lesson 30", "Section", "Resume"))
    assert_flat(small, large, COURSE_PAGE, "course page")


def test_lesson_page_3_vs_30_lessons(member_client, learner):
    course = builders.course(title="Course", lessons=0, questions=7)
    add_lessons(course, range(1, 4))
    enrol_learner(user=learner, course=course)
    first = LessonPage.objects.child_of(course).first()
    (block_id,) = knowledge_check_ids(first.body)
    answer_knowledge_check(user=learner, lesson=first, block_id=block_id, chosen=["1"])

    section = builders.publish(course, CourseSectionPage(title="Section", slug="section"))
    small = queries(member_client, first.url, showing=("Lesson 3", "Not quite"))
    add_lessons(course, range(4, 31), learner=learner, section=section)
    large = queries(member_client, first.url, showing=("Lesson 30", "Not quite"))
    assert_flat(small, large, LESSON_PAGE, "lesson page")


def _learning_course(number: int, learner, *, assigned_by=None) -> CoursePage:
    """A course of two lessons and an exam, at some stage of progress by `learner`
    (odd numbers assigned with a due date when `assigned_by` is given)."""
    course = builders.course(title=f"Learning {number:03}", lessons=2, questions=3)
    exam = course.assessments.get()
    exam.question_count = 3
    exam.save()
    if assigned_by is not None and number % 2:
        Enrolment.objects.create(
            user=learner,
            course=course,
            source=Enrolment.Source.ASSIGNED,
            assigned_by=assigned_by,
            due_date=clock.now().date() + timedelta(days=number - 5),
            enrolled_at=clock.now(),
        )
    else:
        enrol_learner(user=learner, course=course)
    lessons = list(LessonPage.objects.child_of(course))
    if number % 3 >= 1:
        complete_lesson(user=learner, lesson=lessons[0])
    if number % 3 == 2:
        complete_lesson(user=learner, lesson=lessons[1])
        attempt = start_attempt(user=learner, assessment=exam)
        submit_attempt(user=learner, attempt=attempt, answers=scripted_answers(attempt, right=number % 2 == 0))
    return course


def test_my_learning_2_vs_20_enrolments(member_client, learner, partner_admin):
    for number in range(1, 3):
        _learning_course(number, learner, assigned_by=partner_admin)
    small = queries(member_client, "/learn/", showing=("Learning 001", "Learning 002"))
    for number in range(3, 21):
        _learning_course(number, learner, assigned_by=partner_admin)
    large = queries(member_client, "/learn/", showing=("Learning 019", "Learning 020", "Overdue since", "Resume"))
    assert_flat(small, large, MY_LEARNING, "/learn/")


def test_team_page_and_csv_3_vs_30_members(client, partner_admin, organization, make_member):
    client.force_login(partner_admin)
    courses = [_learning_course(1, partner_admin), _learning_course(2, partner_admin)]
    members = []

    def add_members(count: int) -> None:
        for _ in range(count):
            member = make_member(organization, Membership.Role.LEARNER)
            members.append(member)
            for number, course in enumerate(courses):
                enrol_learner(user=member, course=course)
                if (member.pk + number) % 2:
                    complete_lesson(user=member, lesson=LessonPage.objects.child_of(course).first())
                if (member.pk + number) % 3 == 0:
                    attempt = start_attempt(user=member, assessment=course.assessments.get())
                    submit_attempt(user=member, attempt=attempt, answers=scripted_answers(attempt, right=True))

    add_members(2)  # with the admin, three people
    small = (
        queries(client, "/partner/parsian/", showing=(members[-1].email, "Learning 002")),
        queries(client, "/partner/parsian/progress.csv", showing=(members[-1].email,)),
    )
    add_members(27)
    large = (
        queries(client, "/partner/parsian/", showing=(members[-1].email, members[-1].get_full_name())),
        queries(client, "/partner/parsian/progress.csv", showing=(members[-1].email,)),
    )
    assert_flat(small[0], large[0], TEAM_PAGE, "team page")
    assert_flat(small[1], large[1], TEAM_CSV, "team progress CSV")


def _attempt_and_result_queries(client, learner, questions: int) -> tuple[int, int]:
    course = builders.course(title=f"Exam of {questions}", lessons=1, questions=questions)
    exam = course.assessments.get()
    exam.question_count = questions
    exam.save()
    enrol_learner(user=learner, course=course)
    attempt = start_attempt(user=learner, assessment=exam)
    assert attempt.questions.count() == questions
    last = f'id="question-{questions}"'
    attempt_page = queries(client, f"{course.url}attempts/{attempt.pk}/", showing=(last,))
    submit_attempt(user=learner, attempt=attempt, answers=scripted_answers(attempt, right=True))
    result_page = queries(client, f"{course.url}attempts/{attempt.pk}/result/", showing=("100%", "Review your answers"))
    return attempt_page, result_page


def test_attempt_and_result_pages_5_vs_40_questions(member_client, learner):
    small = _attempt_and_result_queries(member_client, learner, 5)
    large = _attempt_and_result_queries(member_client, learner, 40)
    assert_flat(small[0], large[0], ATTEMPT_PAGE, "attempt page")
    assert_flat(small[1], large[1], RESULT_PAGE, "result page")


# A quiz per lesson ------------------------------------------------------------------------------
#
# Regression guards: _assessment_states (courses/selectors.py) used to call availability()
# once per assessment, one query per quiz (23 → 50 queries on the course page, 30 → 57 on
# the lesson page for 3 → 30 lessons with a quiz each).


def test_course_page_with_a_quiz_per_lesson_3_vs_30(member_client, learner):
    course = builders.course(title="Course", lessons=0, questions=7)
    enrol_learner(user=learner, course=course)
    add_lessons(course, range(1, 4), learner=learner, quiz=True)
    small = queries(member_client, course.url, showing=("Quiz 3",))
    add_lessons(course, range(4, 31), learner=learner, quiz=True)
    large = queries(member_client, course.url, showing=("Quiz 30",))
    assert_flat(small, large, COURSE_PAGE, "course page, a quiz per lesson")


def test_lesson_page_with_a_quiz_per_lesson_3_vs_30(member_client, learner):
    course = builders.course(title="Course", lessons=0, questions=7)
    enrol_learner(user=learner, course=course)
    add_lessons(course, range(1, 4), learner=learner, quiz=True)
    first = LessonPage.objects.child_of(course).first()
    small = queries(member_client, first.url, showing=("Quiz 1",))
    add_lessons(course, range(4, 31), learner=learner, quiz=True)
    large = queries(member_client, first.url, showing=("Quiz 1",))
    assert_flat(small, large, LESSON_PAGE, "lesson page, a quiz per lesson")


def test_result_page_with_a_quiz_per_lesson_3_vs_30(member_client, learner):
    course = builders.course(title="Course", lessons=0, questions=7)
    exam = course.assessments.get()
    enrol_learner(user=learner, course=course)
    add_lessons(course, range(1, 4), learner=learner, quiz=True)
    attempt = start_attempt(user=learner, assessment=exam)
    submit_attempt(user=learner, attempt=attempt, answers=scripted_answers(attempt, right=True))
    url = f"{course.url}attempts/{attempt.pk}/result/"
    small = queries(member_client, url, showing=("100%",))
    add_lessons(course, range(4, 31), learner=learner, quiz=True)
    large = queries(member_client, url, showing=("100%",))
    assert_flat(small, large, RESULT_PAGE, "result page, a quiz per lesson")


def _submission_queries(client, learner, course) -> int:
    """The queries of posting a fresh attempt at the course's exam, all answers right."""
    attempt = start_attempt(user=learner, assessment=course.assessments.get())
    fields = {
        f"q{position}-{name}": values
        for position, answer in scripted_answers(attempt, right=True).items()
        for name, values in answer.items()
    }
    with CaptureQueriesContext(connection) as captured:
        response = client.post(f"{course.url}attempts/{attempt.pk}/", fields)
    assert response.status_code == 302
    assert response["Location"].endswith(f"/attempts/{attempt.pk}/result/")
    assert Enrolment.objects.get(user=learner, course=course).completed_at is not None
    return len(captured)


def test_exam_submission_3_vs_30_questions_and_lessons(member_client, learner):
    """The answers are written in one batch; lessons and exams are checked in one statement."""
    small_course = builders.course(title="Small", lessons=3, questions=3)
    large_course = builders.course(title="Large", lessons=30, questions=30)
    for course in (small_course, large_course):
        enrol_learner(user=learner, course=course)
        for lesson in LessonPage.objects.child_of(course):
            complete_lesson(user=learner, lesson=lesson)
        member_client.get(course.url)  # warms the caches
    small = _submission_queries(member_client, learner, small_course)
    large = _submission_queries(member_client, learner, large_course)
    assert_flat(small, large, EXAM_SUBMISSION, "exam submission")
