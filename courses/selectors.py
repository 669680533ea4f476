"""Reads for course pages, "My learning" and team progress, in a fixed number of queries."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from operator import attrgetter

from django.core.paginator import Page as PaginatorPage
from django.core.paginator import Paginator
from django.db.models import CharField, Q, QuerySet
from django.db.models.functions import Cast
from django.utils import translation
from django.utils.translation import gettext

from courses.audience import Access
from courses.models import (
    Assessment,
    Attempt,
    CourseIndexPage,
    CoursePage,
    CourseSectionPage,
    Enrolment,
    KnowledgeCheckAnswer,
    LearningPathPage,
    LessonCompletion,
    LessonPage,
    PathEnrolment,
)
from courses.models.pages import Level
from courses.permissions import (
    UNREAD,
    audience_prefetch,
    course_access,
    enrolment_for,
    keyed_enrolments,
    known_enrolment,
    locked_message,
    reader_for,
)
from courses.progress import CourseProgress, course_progress
from courses.services.attempts import availability, grace_end
from courses.services.progress import attempts_that_count, course_of
from courses.structure import structure_of
from lms import clock
from lms.competencies.models import Competency
from lms.compiled_queries import run_compiled
from lms.i18n import one_per_translation
from lms.listings import ListingFilters
from lms.pages import locale_choices, locale_ids
from lms.querysets import by_path

SLUG = re.compile(r"[-a-zA-Z0-9_]+")
DURATIONS = {"short": (0, 60), "medium": (61, 180), "long": (181, None)}


# Catalog -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CatalogFilters(ListingFilters):
    competency: str = ""
    level: str = ""
    language: str = ""
    duration: str = ""

    @classmethod
    def from_params(cls, params: Mapping[str, str], languages: Iterable[str]) -> CatalogFilters:
        def pick(name: str, allowed: Iterable[str]) -> str:
            value = params.get(name, "")
            return value if value in allowed else ""

        return cls(
            competency=value if SLUG.fullmatch(value := str(params.get("competency", ""))[:80]) else "",
            level=pick("level", Level.values),
            language=pick("language", languages),
            duration=pick("duration", DURATIONS),
        )


@dataclass(frozen=True)
class CatalogEntry:
    course: CoursePage
    access: Access
    locked_message: str
    missing_prerequisites: list[CoursePage]  # only those the reader may see
    missing_hidden_prerequisite: bool  # one meant for other organizations: never named
    enrolment: Enrolment | None


@dataclass(frozen=True)
class Catalog:
    filters: CatalogFilters
    entries: list[CatalogEntry]
    page: PaginatorPage
    competencies: list[Competency]
    levels: list[tuple[str, str]]
    languages: list[tuple[str, str]]
    paths: list[LearningPathPage]


def catalog_for(user, *, index: CourseIndexPage, params: Mapping[str, str]) -> Catalog:
    codes = locale_ids()
    languages = locale_choices()
    filters = CatalogFilters.from_params(params, [code for code, _name in languages])
    reader = reader_for(user)

    courses = CoursePage.objects.live()
    if not reader.staff:  # courses meant for other organizations are not even listed
        courses = courses.filter(
            Q(audience_organizations__isnull=True) | Q(audience_organizations=reader.organization_id)
        )
    if filters.competency:
        courses = courses.filter(competencies__slug=filters.competency)
    if filters.level:
        courses = courses.filter(level=filters.level)
    if filters.language:
        courses = courses.filter(locale__language_code=filters.language)
    if filters.duration:
        low, high = DURATIONS[filters.duration]
        courses = courses.filter(estimated_minutes__gte=low)
        if high is not None:
            courses = courses.filter(estimated_minutes__lte=high)
    # Every listed course's row is read: the translation key as text, as the database
    # holds it, saves turning hundreds of them into UUIDs that are only compared.
    key = Cast("translation_key", output_field=CharField())
    rows = courses.order_by("title", "pk").values_list("pk", key, "locale_id").distinct()
    ids = one_per_translation(rows, {pk: code for code, pk in codes.items()}, translation.get_language())

    page = Paginator(ids, max(1, index.courses_per_page)).get_page(params.get("page"))
    shown = (
        CoursePage.objects.filter(pk__in=list(page.object_list))
        .select_related("cover_image", "locale")
        .prefetch_related("competencies", audience_prefetch("prerequisites__"), audience_prefetch())
    )
    by_id = {course.pk: course for course in shown}
    prerequisites = {course.pk: list(course.prerequisites.all()) for course in by_id.values()}
    records = _enrolment_records(user, [*by_id.values(), *(page for pages in prerequisites.values() for page in pages)])
    entries = []
    for course_id in page.object_list:
        course = by_id[course_id]
        access = course_access(user, course)
        missing, hidden = _missing_prerequisites(user, prerequisites[course_id], records)
        entries.append(
            CatalogEntry(
                course=course,
                access=access,
                locked_message=locked_message(course) if access == Access.TIER_LOCKED else "",
                missing_prerequisites=missing,
                missing_hidden_prerequisite=hidden,
                enrolment=records.get(course.translation_key),
            )
        )
    paths = list(LearningPathPage.objects.live().order_by("title")) if not filters.active else []
    return Catalog(
        filters=filters,
        entries=entries,
        page=page,
        competencies=list(Competency.objects.filter(courses__live=True).distinct()),
        levels=list(Level.choices),
        languages=languages,
        paths=paths,
    )


def _enrolment_records(user, courses: Iterable[CoursePage]) -> dict:
    """The person's enrolments in `courses` by course translation key, each with
    `course_key` and `last_lesson_key` (`keyed_enrolments`). Enrolments already read for
    a page object (`enrolment_for`) are not read again."""
    if not user.is_authenticated:
        return {}
    records = {}
    unread = []
    for course in courses:
        known = known_enrolment(user, course)
        if known is UNREAD:
            unread.append(course.translation_key)
        elif known is not None:
            records[course.translation_key] = known
    if unread:
        for enrolment in keyed_enrolments(user).filter(course__translation_key__in=unread).order_by():
            records.setdefault(enrolment.course_key, enrolment)
    return records


def _missing_prerequisites(user, prerequisites: Iterable[CoursePage], records: dict) -> tuple[list[CoursePage], bool]:
    missing = [page for page in prerequisites if not _completed(records, page.translation_key)]
    visible = [page for page in missing if course_access(user, page) != Access.HIDDEN]
    return visible, len(visible) < len(missing)


def _completed(records: dict, translation_key) -> bool:
    enrolment = records.get(translation_key)
    return bool(enrolment and enrolment.completed_at)


# One course ----------------------------------------------------------------------------


@dataclass
class OutlineLesson:
    page: LessonPage
    completed: bool


@dataclass
class OutlineSection:
    page: CourseSectionPage | None
    lessons: list[OutlineLesson] = field(default_factory=list)


@dataclass(frozen=True)
class AssessmentState:
    assessment: Assessment
    attempts_used: int
    open_attempt: Attempt | None
    counted: Attempt | None
    blocked_reason: str | None

    @property
    def passed(self) -> bool:
        return bool(self.counted and self.counted.passed)

    @property
    def attempts_left(self) -> int | None:
        if self.assessment.max_attempts is None:
            return None
        return max(0, self.assessment.max_attempts - self.attempts_used)

    @property
    def lapsed(self) -> bool:
        """The open attempt's time and grace period ran out: it is to be graded."""
        attempt = self.open_attempt
        return bool(attempt and attempt.deadline and clock.now() > grace_end(attempt))


@dataclass(frozen=True)
class CourseOverview:
    course: CoursePage
    access: Access
    staff: bool
    enrolment: Enrolment | None
    outline: list[OutlineSection]
    progress: CourseProgress | None
    next_lesson: LessonPage | None
    assessments: list[AssessmentState]
    missing_prerequisites: list[CoursePage]  # only those the reader may see
    missing_hidden_prerequisite: bool

    @property
    def can_enrol(self) -> bool:
        blocked = self.missing_prerequisites or self.missing_hidden_prerequisite
        return self.enrolment is None and self.access == Access.OPEN and not blocked

    @property
    def can_withdraw(self) -> bool:
        enrolment = self.enrolment
        return bool(enrolment and enrolment.source == Enrolment.Source.SELF and not enrolment.completed_at)

    @property
    def lessons(self) -> list[OutlineLesson]:
        return [lesson for section in self.outline for lesson in section.lessons]

    @property
    def has_lapsed_attempt(self) -> bool:
        return any(state.lapsed for state in self.assessments)


def course_overview(user, course: CoursePage) -> CourseOverview:
    access = course_access(user, course)
    enrolment = enrolment_for(user, course)
    prerequisites, records = [], {}
    if enrolment is None:  # the prerequisites stand between a person and enrolling, and no more
        prerequisites = by_path(course.prerequisites.prefetch_related(audience_prefetch()))
        records = _enrolment_records(user, prerequisites)
    structure = structure_of(course)
    lessons = [lesson for lesson in structure.pages if lesson.live]
    completed_keys = _completed_lesson_keys(user, lessons)
    outline = _outline(course, lessons, completed_keys, structure.sections)
    assessments = _assessment_states(user, structure.assessments) if enrolment else []
    progress = None
    next_lesson = None
    if enrolment:
        progress = _progress_of(enrolment, lessons, completed_keys, assessments)
        next_lesson = next(
            (lesson for lesson in lessons if str(lesson.translation_key) == progress.next_lesson_key), None
        )
    missing, hidden = _missing_prerequisites(user, prerequisites, records)
    return CourseOverview(
        course=course,
        access=access,
        staff=reader_for(user).staff,
        enrolment=enrolment,
        outline=outline,
        progress=progress,
        next_lesson=next_lesson,
        assessments=assessments,
        missing_prerequisites=missing,
        missing_hidden_prerequisite=hidden,
    )


def _completed_lesson_keys(user, lessons: list[LessonPage]) -> set[str]:
    if not user.is_authenticated or not lessons:
        return set()
    keys = [lesson.translation_key for lesson in lessons]
    return {str(key) for key in run_compiled(_completed_lessons, user_id=user.pk, keys=keys)}


def _completed_lessons(*, user_id: int, keys: list) -> QuerySet:
    return LessonCompletion.objects.filter(user=user_id, lesson__translation_key__in=keys).values_list(
        "lesson__translation_key", flat=True
    )


def _attempts_at(*, user_id: int, assessment_ids: list[int]) -> QuerySet[Attempt]:
    return Attempt.objects.filter(user=user_id, assessment__in=assessment_ids).order_by()


def _outline(
    course: CoursePage,
    lessons: list[LessonPage],
    completed_keys: set[str],
    sections: Mapping[str, CourseSectionPage],
) -> list[OutlineSection]:
    outline: dict[str, OutlineSection] = {}
    for lesson in lessons:
        parent_path = lesson.path[: -course.steplen]
        section = sections.get(parent_path)
        entry = outline.setdefault(parent_path, OutlineSection(page=section))
        entry.lessons.append(OutlineLesson(page=lesson, completed=str(lesson.translation_key) in completed_keys))
    return list(outline.values())


def _assessment_states(user, assessments: list[Assessment]) -> list[AssessmentState]:
    if not assessments:
        return []
    by_pk = {assessment.pk: assessment for assessment in assessments}
    attempts = defaultdict(list)
    rows = run_compiled(_attempts_at, user_id=user.pk, assessment_ids=list(by_pk))
    for attempt in sorted(rows, key=attrgetter("number")):
        attempt.assessment = by_pk[attempt.assessment_id]
        attempts[attempt.assessment_id].append(attempt)
    counted = attempts_that_count([attempt for own in attempts.values() for attempt in own], assessments)
    practice_passed = all(
        counted.get(quiz.pk) and counted[quiz.pk].passed
        for quiz in assessments
        if quiz.kind == Assessment.Kind.PRACTICE
    )
    states = []
    for assessment in assessments:
        own = attempts[assessment.pk]
        open_attempt = next((attempt for attempt in own if attempt.is_open), None)
        reason = None
        if open_attempt is None:
            reason = availability(user=user, assessment=assessment, attempts=own, practice_passed=practice_passed)
        states.append(
            AssessmentState(
                assessment=assessment,
                attempts_used=len(own),
                open_attempt=open_attempt,
                counted=counted.get(assessment.pk),
                blocked_reason=reason,
            )
        )
    return states


def _progress_of(
    enrolment: Enrolment, lessons: list[LessonPage], completed_keys: set[str], states: list[AssessmentState]
) -> CourseProgress:
    exams = [state for state in states if state.assessment.is_exam]
    return course_progress(
        lesson_keys=[str(lesson.translation_key) for lesson in lessons if lesson.required],
        completed_lessons=completed_keys,
        exam_ids=[state.assessment.pk for state in exams],
        passed_exams=[state.assessment.pk for state in exams if state.passed],
        completed=enrolment.completed_at is not None,
        last_lesson_key=_last_lesson_key(enrolment, lessons),
    )


def _last_lesson_key(enrolment: Enrolment, lessons: list[LessonPage]) -> str | None:
    """The last lesson opened, in whichever language version `lessons` are."""
    return str(enrolment.last_lesson_key) if enrolment.last_lesson_key else None


# One lesson ----------------------------------------------------------------------------


@dataclass(frozen=True)
class CheckResult:
    chosen: list[int]
    correct: bool


def lesson_context(user, lesson: LessonPage) -> dict:
    course = course_of(lesson)
    overview = course_overview(user, course)
    lessons = [entry.page for entry in overview.lessons]
    position = next((i for i, page in enumerate(lessons) if page.pk == lesson.pk), 0)
    completed = any(entry.page.pk == lesson.pk and entry.completed for entry in overview.lessons)
    check_results = {}
    if user.is_authenticated:
        answers = run_compiled(_check_answers, user_id=user.pk, key=lesson.translation_key)
        check_results = {block_id: CheckResult(chosen=chosen, correct=correct) for block_id, chosen, correct in answers}
    from courses.blocks import knowledge_check_ids

    unanswered = [block_id for block_id in knowledge_check_ids(lesson.body) if block_id not in check_results]
    return {
        "course": course,
        "overview": overview,
        "lesson_completed": completed,
        "check_results": check_results,
        "unanswered_checks": len(unanswered),
        "previous_lesson": lessons[position - 1] if position > 0 else None,
        "next_lesson": lessons[position + 1] if position + 1 < len(lessons) else None,
        "lesson_assessments": [state for state in overview.assessments if state.assessment.lesson_id == lesson.pk],
    }


def _check_answers(*, user_id: int, key) -> QuerySet:
    return KnowledgeCheckAnswer.objects.filter(user=user_id, lesson__translation_key=key).values_list(
        "block_id", "chosen", "correct"
    )


# Learning paths --------------------------------------------------------------------------


@dataclass(frozen=True)
class PathStep:
    course: CoursePage
    enrolment: Enrolment | None

    @property
    def completed(self) -> bool:
        return bool(self.enrolment and self.enrolment.completed_at)


@dataclass(frozen=True)
class PathOverview:
    path: LearningPathPage
    steps: list[PathStep]
    path_enrolment: PathEnrolment | None

    @property
    def completed_count(self) -> int:
        return sum(step.completed for step in self.steps)

    @property
    def percent(self) -> int:
        return self.completed_count * 100 // len(self.steps) if self.steps else 0


def path_overview(user, path: LearningPathPage) -> PathOverview:
    items = list(
        path.path_courses.select_related("course")
        .prefetch_related(audience_prefetch("course__"))
        .order_by("sort_order")
    )
    records = _enrolment_records(user, [item.course for item in items])
    steps = [
        PathStep(course=item.course, enrolment=records.get(item.course.translation_key))
        for item in items
        if course_access(user, item.course) != Access.HIDDEN
    ]
    path_enrolment = (
        PathEnrolment.objects.filter(user=user, path__translation_key=path.translation_key).first()
        if user.is_authenticated
        else None
    )
    return PathOverview(path=path, steps=steps, path_enrolment=path_enrolment)


# Attempts ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ChoiceView:
    id: int
    text: str
    match: str = ""  # matching: the right-hand text; only filled once answers may be shown
    correct: bool | None = None  # None until answers may be shown


@dataclass(frozen=True)
class QuestionView:
    position: int
    kind: str
    prompt: str
    points: int
    choices: list[ChoiceView]  # in the order the learner saw them
    match_options: list[tuple[int, str]]  # matching: the right-hand texts, shuffled
    response: dict
    earned: Decimal | None
    explanation: str = ""
    accepted_answer: str = ""  # numeric and short text, once answers may be shown
    correct_order: list[str] = field(default_factory=list)  # ordering, once answers may be shown

    @property
    def chosen_ids(self) -> set[int]:
        if "choice" in self.response:
            return {self.response["choice"]}
        return set(self.response.get("choices", []))

    @property
    def given_text(self) -> str:
        return self.response.get("value") or self.response.get("text") or ""

    @property
    def answered_order(self) -> list[str]:
        texts = {choice.id: choice.text for choice in self.choices}
        return [texts.get(choice_id, "") if choice_id else "" for choice_id in self.response.get("order", [])]

    @property
    def answered_pairs(self) -> dict[int, str]:
        texts = {choice.id: choice.match for choice in self.choices}
        return {int(left): texts.get(right, "") for left, right in self.response.get("pairs", {}).items()}

    @property
    def fully_right(self) -> bool:
        return self.earned is not None and self.earned >= 1


def attempt_view(attempt: Attempt, *, graded: bool) -> dict:
    """What the attempt and result pages show. Before grading nothing reveals an answer."""
    reveal = graded and attempt.assessment.show_answers
    items = attempt.questions.select_related("question").prefetch_related("question__choices").order_by("position")
    questions = []
    for item in items:
        question = item.question
        by_id = {choice.pk: choice for choice in question.choices.all()}
        ordered = [by_id[pk] for pk in item.choice_order if pk in by_id]
        if question.kind == "matching":
            choices = [
                ChoiceView(choice.pk, choice.text, match=choice.match if reveal else "")
                for choice in sorted(by_id.values(), key=lambda choice: (choice.sort_order or 0, choice.pk))
            ]
            match_options = [(position, choice.match) for position, choice in enumerate(ordered)]
        else:
            choices = [
                ChoiceView(
                    choice.pk, _choice_text(question.kind, choice.text), correct=choice.correct if reveal else None
                )
                for choice in ordered
            ]
            match_options = []
        accepted = ""
        correct_order: list[str] = []
        if reveal and question.kind == "numeric" and question.numeric_answer is not None:
            accepted = f"{question.numeric_answer.normalize():f}"
            if question.tolerance:
                accepted += f" ± {question.tolerance.normalize():f}"
        elif reveal and question.kind == "short_text":
            accepted = " / ".join(question.accepted_answers or [])
        elif reveal and question.kind == "ordering":
            in_order = sorted(by_id.values(), key=lambda choice: (choice.sort_order or 0, choice.pk))
            correct_order = [choice.text for choice in in_order]
        questions.append(
            QuestionView(
                position=item.position,
                kind=question.kind,
                prompt=question.prompt,
                points=question.points,
                choices=choices,
                match_options=match_options,
                response=item.response or {} if graded else {},
                earned=item.earned if graded else None,
                explanation=question.explanation if reveal else "",
                accepted_answer=accepted,
                correct_order=correct_order,
            )
        )
    return {"attempt": attempt, "assessment": attempt.assessment, "questions": questions, "reveal": reveal}


def _choice_text(kind: str, text: str) -> str:
    """True-or-false choices are stored as "True" and "False" and shown in the reader's language."""
    if kind == "true_false":
        return {"True": gettext("True"), "False": gettext("False")}.get(text, text)
    return text
