"""A Persian learner's whole way through a course, and the catalog filters, through the real pages.

The answers to exam questions are chosen through the attempt page's form; which values
are right or wrong is read from the database (the attempt's questions and their answer
keys), exactly as the server will grade them.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import Locator, Page, expect

from courses.models import Assessment, Attempt, AttemptQuestion, CoursePage, LessonPage
from courses.services.attempts import scripted_answers, submit_attempt
from courses.services.attempts import start_attempt as start_attempt_service
from courses.services.enrolment import enrol_learner
from lms import clock
from lms.accounts.services import set_preferred_language
from lms.calendars import to_persian_digits
from tests.browser.answering import answer_through_the_form, exam_panel, start_exam_button
from tests.browser.support import assert_accessible, expect_language, localized, sign_in
from tests.courses import builders

ASCII_DIGIT = re.compile(r"[0-9]")

COURSE_TITLE = "مبانی امنیت ابری"
COURSE_SLUG = "cloud-security-basics"
LESSON_TITLES = ["آشنایی با رمزنگاری", "مدیریت کلیدها", "پایش و هشدار"]
CHECK_QUESTION = "کدام کلید را می‌توان با همه به اشتراک گذاشت؟"
CHECK_CHOICES = [("کلید عمومی", True), ("کلید خصوصی", False)]
CHECK_EXPLANATION = "کلید خصوصی نزد صاحبش می‌ماند؛ کلید عمومی برای همه است."
EXAM_TITLE = "آزمون پایانی امنیت ابری"
COOLDOWN_MINUTES = 60

# Content


def persian_lesson_body() -> list[dict]:
    return [
        {"type": "heading", "value": {"text": "مرور کلی", "level": "h2"}},
        {"type": "paragraph", "value": "<p>در این درس با مفاهیم پایه آشنا می‌شوید.</p>"},
        {
            "type": "knowledge_check",
            "value": {
                "question": CHECK_QUESTION,
                "choices": [{"text": text, "correct": correct} for text, correct in CHECK_CHOICES],
                "multiple": False,
                "explanation": f"<p>{CHECK_EXPLANATION}</p>",
            },
        },
    ]


@pytest.fixture
def persian_course() -> CoursePage:
    """A Persian course in the Persian catalog: three lessons with a knowledge check each,
    and a final exam of seven questions, one of every kind."""
    course = builders.course(
        builders.catalog("fa"),
        title=COURSE_TITLE,
        slug=COURSE_SLUG,
        lessons=0,
        exam=False,
        estimated_minutes=90,
    )
    for number, title in enumerate(LESSON_TITLES, start=1):
        builders.publish(course, LessonPage(title=title, slug=f"lesson-{number}", body=persian_lesson_body()))
    bank = builders.question_bank(name="بانک سؤال امنیت ابری", size=7, language="fa")
    builders.final_exam(
        course,
        bank,
        title=EXAM_TITLE,
        pass_mark=70,
        max_attempts=3,
        cooldown_minutes=COOLDOWN_MINUTES,
        question_count=7,
        shuffle_choices=True,
    )
    return course


@pytest.fixture
def persian_learner(learner):
    set_preferred_language(user=learner, language="fa")
    return learner


# Reading the pages


def persian(number: int) -> str:
    return to_persian_digits(str(number))


def expect_persian_digits_only(locator: Locator) -> None:
    """The element's text has numbers, all written with Persian digits."""
    expect(locator).not_to_have_text(ASCII_DIGIT)
    expect(locator).to_have_text(re.compile("[۰-۹]"))


def expect_progress(page: Page, *, done: int, total: int, completed: bool = False) -> None:
    """The progress bar and its label agree with `done` of `total` steps."""
    percent = 100 if completed else min(99, done * 100 // total)
    expect(page.locator("progress.progress")).to_have_attribute("value", str(percent))
    label = page.locator(".progress-label")
    expect_persian_digits_only(label)
    for number in (percent, done, total):
        expect(label).to_contain_text(persian(number))


def minutes_in_any_digits(minutes: int) -> re.Pattern:
    return re.compile(f"{persian(minutes)}|{minutes}")


def course_status(page: Page) -> Locator:
    return page.locator("aside.course-status")


def expect_nothing_revealed(page: Page, attempt: Attempt) -> None:
    """Before submission the page says nothing about which answers are right."""
    html = page.content()
    assert "is-correct" not in html
    assert "state-ok" not in html
    for item in AttemptQuestion.objects.filter(attempt=attempt).select_related("question"):
        question = item.question
        for accepted in question.accepted_answers or []:
            assert accepted not in html, f"The accepted answer {accepted!r} is on the attempt page."
        if question.explanation:
            assert question.explanation not in html, "An explanation is on the attempt page."


# The journey


def test_a_persian_learner_enrols_learns_fails_the_exam_waits_and_passes(
    page: Page, persian_learner, persian_course: CoursePage, monkeypatch
):
    learner = persian_learner
    exam = Assessment.objects.get(course=persian_course)
    lessons = len(LESSON_TITLES)
    steps = lessons + 1  # every required lesson, and the exam

    # The learner signs in and lands on "My learning", in Persian.
    sign_in(page, learner.email, language="fa")
    expect(page).to_have_url(localized("/learn/", "fa"))
    expect_language(page, "fa")

    # The Persian catalog lists the Persian course.
    page.goto(localized("/courses/", "fa"))
    expect_language(page, "fa")
    expect_persian_digits_only(page.locator("#courses-heading"))
    card = page.locator("article.course-card").filter(has_text=COURSE_TITLE)
    expect(card).to_have_count(1)
    expect(card.locator("h3")).to_have_attribute("lang", "fa")  # the course's own language, not the card's
    card.get_by_role("link", name=COURSE_TITLE).click()

    # The course page offers to enrol.
    course_url = localized(f"/courses/{COURSE_SLUG}/", "fa")
    expect(page).to_have_url(course_url)
    expect_language(page, "fa")
    expect(page.locator("main h1")).to_have_text(COURSE_TITLE)
    for title in LESSON_TITLES:
        expect(page.locator("ol.outline")).to_contain_text(title)
    course_status(page).locator("form[action$='/enrol/'] button[type=submit]").click()

    expect(page).to_have_url(course_url)
    expect(page.locator(".messages .success")).to_be_visible()
    expect(course_status(page).locator("form[action$='/enrol/']")).to_have_count(0)
    expect_progress(page, done=0, total=steps)
    course_status(page).locator("a.button").click()

    # Lesson by lesson: the knowledge check, its feedback, then "Mark as complete".
    for number, title in enumerate(LESSON_TITLES, start=1):
        expect(page).to_have_url(f"{course_url}lesson-{number}/")
        expect_language(page, "fa")
        expect(page.locator("main h1")).to_have_text(title)
        expect_progress(page, done=number - 1, total=steps)

        check = page.locator("section.knowledge-check")
        complete = page.locator("form[action$='/complete/'] button[type=submit]")
        expect(check.locator("legend")).to_have_text(CHECK_QUESTION)
        expect(complete).to_be_disabled()
        assert "is-correct" not in check.inner_html()
        # The second lesson's check is answered wrong, the others right.
        answer_right = number != 2
        choice = next(text for text, correct in CHECK_CHOICES if correct == answer_right)
        check.get_by_label(choice, exact=True).check()
        check.locator("button[type=submit]").click()

        expect(check).to_have_class(re.compile(r"\bis-answered\b"))
        status = check.locator(".knowledge-check-status")
        expect(status).to_have_class(re.compile(r"\bis-success\b" if answer_right else r"\bis-miss\b"))
        expect(check.locator(".knowledge-check-explanation")).to_have_text(CHECK_EXPLANATION)
        expect(check.locator(".knowledge-check-choice.is-correct")).to_have_text(re.compile(CHECK_CHOICES[0][0]))
        expect(check.locator(".knowledge-check-choice.is-chosen")).to_have_text(re.compile(choice))

        expect(complete).to_be_enabled()
        complete.click()
        expect(page.locator(".messages .success")).to_be_visible()

    # After the last lesson the course page waits for the exam.
    expect(page).to_have_url(course_url)
    expect_progress(page, done=lessons, total=steps)
    expect(page.locator("ol.outline .outline-lesson.is-done")).to_have_count(lessons)
    expect(exam_panel(page)).to_contain_text(EXAM_TITLE)
    expect_persian_digits_only(exam_panel(page).locator(".assessment p.muted").first)
    start_exam_button(page).click()

    # The first attempt: every answer wrong.
    first = Attempt.objects.get(user=learner, assessment=exam)
    expect(page).to_have_url(f"{course_url}attempts/{first.pk}/")
    expect_language(page, "fa")
    expect(page.locator("main h1")).to_have_text(EXAM_TITLE)
    expect_persian_digits_only(page.locator(".page-head p.muted").last)
    expect_nothing_revealed(page, first)
    answer_through_the_form(page, first, right=False, typed={"short_text": "کلید متقارن"})
    page.locator("#attempt-form button[type=submit]").click()

    result_url = f"{course_url}attempts/{first.pk}/result/"
    expect(page).to_have_url(result_url)
    expect_language(page, "fa")
    result = page.locator("section.result")
    expect(result).to_have_class(re.compile(r"\bis-failed\b"))
    expect(result.locator(".stat")).to_have_text(f"{persian(0)}%")
    expect(result.locator(".course-state.failed")).to_contain_text(persian(70))
    expect_persian_digits_only(result.locator(".course-state.failed"))
    expect_persian_digits_only(result.locator("p.muted").first)
    expect(page.locator("article.question.is-wrong")).to_have_count(exam.question_count)
    first.refresh_from_db()
    assert (first.passed, first.score) == (False, 0)

    # Back on the course page: the exam waits for the cooldown and cannot be started.
    result.locator(f"a[href='{course_url}']").click()
    expect(page).to_have_url(course_url)
    expect(start_exam_button(page)).to_have_count(0)
    # The minutes left are shown; their digits are checked in test_the_cooldown_message_has_persian_digits.
    cooldown = exam_panel(page).locator(".assessment > p.muted").last
    expect(cooldown).to_contain_text(minutes_in_any_digits(COOLDOWN_MINUTES))
    expect(exam_panel(page).locator(".course-state.failed")).to_contain_text(persian(0))
    expect_progress(page, done=lessons, total=steps)

    # An hour and a minute later the exam can be taken again.
    real_now = clock.now
    monkeypatch.setattr(clock, "now", lambda: real_now() + timedelta(minutes=COOLDOWN_MINUTES + 1))
    page.reload()
    expect(exam_panel(page).locator(".assessment > p.muted").last).not_to_contain_text(
        minutes_in_any_digits(COOLDOWN_MINUTES)
    )
    start_exam_button(page).click()

    # The second attempt: every answer right, the number typed with Persian digits.
    second = Attempt.objects.get(user=learner, assessment=exam, number=2)
    expect(page).to_have_url(f"{course_url}attempts/{second.pk}/")
    expect_nothing_revealed(page, second)
    answer_through_the_form(page, second, right=True, typed={"numeric": persian(42)})
    page.locator("#attempt-form button[type=submit]").click()

    expect(page).to_have_url(f"{course_url}attempts/{second.pk}/result/")
    expect_language(page, "fa")
    result = page.locator("section.result")
    expect(result).to_have_class(re.compile(r"\bis-passed\b"))
    expect(result.locator(".stat")).to_have_text(f"{persian(100)}%")
    expect(result.locator(".course-state.done")).to_have_count(2)  # passed, and the course is complete
    expect(page.locator("article.question.is-right")).to_have_count(exam.question_count)

    # The course page shows it complete.
    page.goto(course_url)
    expect_progress(page, done=steps, total=steps, completed=True)
    expect(course_status(page).locator(".course-state.done")).to_be_visible()
    expect_persian_digits_only(course_status(page).locator(".course-state.done"))

    # "My learning" lists it among the completed courses, no longer in progress.
    page.goto(localized("/learn/", "fa"))
    expect_language(page, "fa")
    completed = page.locator("section[aria-labelledby=completed-heading]")
    expect(completed.get_by_role("link", name=COURSE_TITLE)).to_be_visible()
    expect_persian_digits_only(completed.locator(".learn-list li").first)
    expect(page.locator("section[aria-labelledby=in-progress-heading]")).not_to_contain_text(COURSE_TITLE)


# The catalog filters


def test_the_catalog_filters_narrow_the_courses_through_the_form(page: Page, learner):
    catalog = builders.catalog("en")
    builders.course(catalog, title="Cloud Security Fundamentals", level="beginner", lessons=1, exam=False)
    builders.course(catalog, title="Zero Trust Networking", level="intermediate", lessons=1, exam=False)
    builders.course(catalog, title="Advanced Threat Hunting", level="advanced", lessons=1, exam=False)
    cards = page.locator("article.course-card h3")

    sign_in(page, learner.email)
    page.goto("/courses/")
    expect_language(page, "en")
    expect(cards).to_have_count(3)
    expect(page.locator("#courses-heading")).to_have_text("3 courses")

    filters = page.locator("form.catalog-filters")
    filters.locator("select[name=level]").select_option("advanced")
    filters.locator("button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"/courses/\?(.*&)?level=advanced"))
    expect(cards).to_have_text(["Advanced Threat Hunting"])
    expect(page.locator("#courses-heading")).to_have_text("1 course")
    expect(filters.locator("select[name=level]")).to_have_value("advanced")

    filters.locator("select[name=level]").select_option("beginner")
    filters.locator("button[type=submit]").click()
    expect(cards).to_have_text(["Cloud Security Fundamentals"])

    filters.get_by_role("link").click()  # "Clear filters"
    expect(page).to_have_url("/courses/")
    expect(cards).to_have_count(3)
    expect(filters.locator("select[name=level]")).to_have_value("")


# Accessibility of the course pages


@pytest.mark.parametrize("language", ["en", "fa"])
def test_the_course_pages_have_no_serious_accessibility_problems(new_context, learner, language):
    """Catalog, course, lesson, attempt, result and "My learning", with the learner part-way through."""
    set_preferred_language(user=learner, language=language)
    course = builders.course(builders.catalog(language), title="Cloud Security Fundamentals", checks=1, questions=7)
    exam = Assessment.objects.get(course=course)
    enrol_learner(user=learner, course=course)
    graded = start_attempt_service(user=learner, assessment=exam)
    submit_attempt(user=learner, attempt=graded, answers=scripted_answers(graded, right=False))
    Assessment.objects.filter(pk=exam.pk).update(cooldown_minutes=0)
    open_attempt = start_attempt_service(user=learner, assessment=exam)
    course_path = course.get_url()
    paths = [
        localized("/courses/", language),
        course_path,
        f"{course_path}lesson-1/",
        f"{course_path}attempts/{open_attempt.pk}/",
        f"{course_path}attempts/{graded.pk}/result/",
        localized("/learn/", language),
    ]

    page = new_context(bypass_csp=True).new_page()  # axe is injected inline, which the policy refuses
    sign_in(page, learner.email, language=language)
    for path in paths:
        page.goto(path)
        expect_language(page, language)
        assert_accessible(page)


# Known bugs


def failed_once(learner, course: CoursePage) -> Attempt:
    """The learner is enrolled in `course` and has just failed its exam."""
    exam = Assessment.objects.get(course=course)
    enrol_learner(user=learner, course=course)
    attempt = start_attempt_service(user=learner, assessment=exam)
    return submit_attempt(user=learner, attempt=attempt, answers=scripted_answers(attempt, right=False))


def test_the_cooldown_message_has_persian_digits(page: Page, persian_learner, persian_course: CoursePage):
    failed_once(persian_learner, persian_course)
    sign_in(page, persian_learner.email, language="fa")
    page.goto(localized(f"/courses/{COURSE_SLUG}/", "fa"))
    cooldown = exam_panel(page).locator(".assessment > p.muted").last
    expect(cooldown).to_contain_text(minutes_in_any_digits(COOLDOWN_MINUTES))
    expect_persian_digits_only(cooldown)


def test_the_persian_course_page_is_written_in_persian(page: Page, persian_learner, persian_course: CoursePage):
    sign_in(page, persian_learner.email, language="fa")
    page.goto(localized(f"/courses/{COURSE_SLUG}/", "fa"))
    expect_language(page, "fa")
    for label in (
        page.locator("#outline-heading"),
        page.locator("#status-heading"),
        course_status(page).locator("form[action$='/enrol/'] button"),
        page.locator(".course-meta .badge").first,  # the level
    ):
        expect(label).not_to_have_text(re.compile("[A-Za-z]"))
