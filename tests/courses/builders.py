"""Build course content for tests and benchmarks: a catalog, courses, lessons, banks, exams."""

from __future__ import annotations

from decimal import Decimal

from wagtail.models import Locale

from courses.models import (
    Assessment,
    CourseIndexPage,
    CoursePage,
    LessonPage,
    Question,
    QuestionBank,
    QuestionChoice,
)
from lms.portal.models import HomePage


def publish(parent, page):
    parent.add_child(instance=page)
    page.save_revision().publish()
    return page


def catalog(language: str = "en") -> CourseIndexPage:
    existing = CourseIndexPage.objects.filter(locale__language_code=language).first()
    if existing:
        return existing
    home = HomePage.objects.get(locale__language_code="en")
    if language == "en":
        return publish(home, CourseIndexPage(title="Courses", slug="courses"))
    english = catalog("en")
    locale = Locale.objects.get(language_code=language)
    home_translation = home.get_translation_or_none(locale) or home.copy_for_translation(locale)
    home_translation.save_revision().publish()
    translation = english.copy_for_translation(locale)
    translation.title = "دوره‌ها"
    translation.save_revision().publish()
    return translation


def knowledge_check(question: str = "Which one is right?") -> dict:
    return {
        "type": "knowledge_check",
        "value": {
            "question": question,
            "choices": [{"text": "Right", "correct": True}, {"text": "Wrong", "correct": False}],
            "multiple": False,
            "explanation": "<p>Because.</p>",
        },
    }


def lesson_body(*, checks: int = 0) -> list[dict]:
    body = [
        {"type": "heading", "value": {"text": "Overview", "level": "h2"}},
        {"type": "paragraph", "value": "<p>Lesson text.</p>"},
        {"type": "callout", "value": {"kind": "tip", "title": "", "body": "<p>A tip.</p>"}},
    ]
    return body + [knowledge_check(f"Check {n}?") for n in range(1, checks + 1)]


def course(
    index: CourseIndexPage | None = None,
    *,
    title: str = "Cloud Security Fundamentals",
    lessons: int = 3,
    checks: int = 0,
    exam: bool = True,
    questions: int = 10,
    **fields,
) -> CoursePage:
    index = index or catalog()
    page = publish(
        index,
        CoursePage(
            title=title,
            slug=fields.pop("slug", None) or title.lower().replace(" ", "-")[:50],
            summary=f"Summary of {title}.",
            **fields,
        ),
    )
    for number in range(1, lessons + 1):
        publish(page, LessonPage(title=f"Lesson {number}", slug=f"lesson-{number}", body=lesson_body(checks=checks)))
    if exam:
        bank = question_bank(name=f"{title} bank {page.pk}", size=questions)
        final_exam(page, bank, question_count=questions)
    return page


def question_bank(*, name: str = "Bank", size: int = 10, language: str = "en") -> QuestionBank:
    """`size` questions, cycling through every question type."""
    bank = QuestionBank.objects.create(name=name, language=language)
    makers = [single, multiple, true_false, numeric, short_text, ordering, matching]
    for number in range(size):
        makers[number % len(makers)](bank, f"Question {number + 1}")
    return bank


def _question(bank, prompt, kind, choices=(), **fields) -> Question:
    question = Question.objects.create(bank=bank, kind=kind, prompt=prompt, explanation="Explained.", **fields)
    QuestionChoice.objects.bulk_create(
        QuestionChoice(question=question, sort_order=order, **choice) for order, choice in enumerate(choices)
    )
    return question


def single(bank, prompt="Pick one"):
    return _question(bank, prompt, "single", [{"text": "A", "correct": True}, {"text": "B"}, {"text": "C"}])


def multiple(bank, prompt="Pick several", partial_credit=True):
    return _question(
        bank,
        prompt,
        "multiple",
        [{"text": "A", "correct": True}, {"text": "B", "correct": True}, {"text": "C"}, {"text": "D"}],
        partial_credit=partial_credit,
    )


def true_false(bank, prompt="True?"):
    return _question(bank, prompt, "true_false", [{"text": "True", "correct": True}, {"text": "False"}])


def numeric(bank, prompt="How many?"):
    return _question(bank, prompt, "numeric", numeric_answer=Decimal("42"), tolerance=Decimal("0.5"))


def short_text(bank, prompt="Name it"):
    return _question(bank, prompt, "short_text", accepted_answers=["کلید عمومی", "public key"])


def ordering(bank, prompt="Order them"):
    return _question(bank, prompt, "ordering", [{"text": "First"}, {"text": "Second"}, {"text": "Third"}])


def matching(bank, prompt="Match them"):
    return _question(
        bank,
        prompt,
        "matching",
        [{"text": "TLS", "match": "transport"}, {"text": "AES", "match": "cipher"}, {"text": "SHA", "match": "hash"}],
    )


def final_exam(page: CoursePage, bank: QuestionBank, **options) -> Assessment:
    defaults = {"title": f"{page.title} exam", "kind": Assessment.Kind.EXAM, "pass_mark": 70, "question_count": 10}
    exam = Assessment.objects.create(course=page, **{**defaults, **options})
    exam.banks.add(bank)
    return exam
