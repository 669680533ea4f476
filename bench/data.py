"""The data the scenarios need.

People, enrolments and progress are created through the app's own services, just as
people create them. The course volume (500 courses of four lessons, each with a
60-question bank and an exam) is inserted in bulk, the way fixtures are loaded:
creating 2,500 Wagtail pages one by one would take minutes.
"""

from __future__ import annotations

import secrets
import shutil
import subprocess
import unicodedata
from dataclasses import dataclass
from datetime import timedelta
from decimal import Decimal
from urllib.parse import urlencode

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import F
from django.http import HttpResponse, QueryDict
from django.test import Client, RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import slugify
from wagtail.models import Page

from bench.scenarios import Call, CallPair, Side
from bench.views import REFERENCE, MembershipData, OrganizationData, PageContext, PageData
from certifications.models import Certification, Credential, IssuerSettings, Level
from certifications.services.awarding import award_credential
from certifications.services.versions import record_version
from courses.blocks import knowledge_check_ids
from courses.models import (
    Assessment,
    Attempt,
    CourseIndexPage,
    CoursePage,
    Enrolment,
    LearningPathCourse,
    LearningPathPage,
    LessonCompletion,
    LessonPage,
    Question,
    QuestionBank,
    QuestionChoice,
)
from courses.selectors import catalog_for, course_overview, lesson_context
from courses.services import enrolment as enrolment_services
from courses.services.attempts import scripted_answers, start_attempt, submit_attempt
from courses.services.progress import answer_knowledge_check, complete_lesson, record_visit
from lms.accounts.models import User
from lms.accounts.services import create_person
from lms.competencies.models import Competency
from lms.partners import services as partner_services
from lms.partners.models import Membership, Organization
from lms.portal.models import HomePage
from lms.portal.sections import learn_sections
from lms.portal.selectors import Dashboard, dashboard_for
from tests.courses import builders

DOMAIN = "bench-partner.example"
# Enough people that the team count is not trivially one, few enough to seed quickly.
EXTRA_LEARNERS = 8

COURSES = 500
LESSONS_PER_COURSE = 4
BANK_SIZE = 60
EXAM_QUESTIONS = 50
BUSY_ENROLMENTS = 50
# Positions in the catalog (ordered by title) of the courses the scenarios open. The
# catalog's first page (12 courses) shows every state a card can have: enrolled,
# completed, assigned, locked to a higher tier and waiting for a prerequisite.
COURSE_POSITION = 2  # `course` and `lesson`: the learner is half way through it
COMPLETED_POSITION = 8  # the learner completed it
ASSIGNED_POSITION = 5  # assigned to the learner by the partner admin
EXAM_POSITION = 40  # `exam_submit`: the examinee has done every lesson of it

TOPICS = [
    "API Security",
    "Backup and Recovery",
    "Cloud Cost Management",
    "Compliance Automation",
    "Container Security",
    "Data Protection",
    "Database Migration",
    "DevOps Pipelines",
    "Disaster Recovery",
    "Edge Computing",
    "Hybrid Cloud",
    "Identity and Access",
    "Incident Response",
    "Kubernetes Operations",
    "Network Design",
    "Object Storage",
    "Observability",
    "Serverless Platforms",
    "Virtual Desktops",
    "Zero Trust Networking",
]
ANGLES = [
    "Fundamentals",
    "Essentials",
    "for Architects",
    "for Sales Engineers",
    "in Practice",
    "Deep Dive",
    "Troubleshooting",
    "Migration Playbook",
    "Design Workshop",
    "Operations Handbook",
    "Advanced Topics",
    "Certification Prep",
    "Quick Start",
    "Pricing and Licensing",
    "Reference Architectures",
    "Case Studies",
    "Automation",
    "Performance Tuning",
    "Security Hardening",
    "Monitoring",
    "High Availability",
    "Capacity Planning",
    "Partner Delivery",
    "Customer Onboarding",
    "Lab Exercises",
]
COMPETENCIES = [
    ("Cloud security", "امنیت ابری"),
    ("Backup", "پشتیبان‌گیری"),
    ("Networking", "شبکه"),
    ("Containers", "کانتینرها"),
    ("Identity", "هویت"),
    ("Storage", "ذخیره‌سازی"),
    ("Observability", "پایش‌پذیری"),
    ("Automation", "خودکارسازی"),
    ("Compliance", "انطباق"),
    ("Databases", "پایگاه داده"),
    ("Pre-sales", "پیش‌فروش"),
    ("Delivery", "اجرا"),
]
# The question types of tests/courses/builders.question_bank, in its order, with the
# same answers, so courses.answer_forms can answer them right or wrong.
QUESTION_KINDS: list[tuple[str, dict, list[dict]]] = [
    ("single", {}, [{"text": "Encrypt it at rest", "correct": True}, {"text": "Copy it"}, {"text": "Ignore it"}]),
    (
        "multiple",
        {"partial_credit": True},
        [
            {"text": "Snapshots", "correct": True},
            {"text": "Off-site copies", "correct": True},
            {"text": "Shared passwords"},
            {"text": "Manual restores only"},
        ],
    ),
    ("true_false", {}, [{"text": "True", "correct": True}, {"text": "False"}]),
    ("numeric", {"numeric_answer": Decimal("42"), "tolerance": Decimal("0.5")}, []),
    ("short_text", {"accepted_answers": ["کلید عمومی", "public key"]}, []),
    ("ordering", {}, [{"text": "Plan"}, {"text": "Back up"}, {"text": "Verify the restore"}]),
    (
        "matching",
        {},
        [
            {"text": "TLS", "match": "transport"},
            {"text": "AES", "match": "cipher"},
            {"text": "SHA", "match": "hash"},
        ],
    ),
]
PATHS = ["Backup Specialist", "Cloud Security Specialist", "Kubernetes Specialist"]
BATCH = 2000


@dataclass(frozen=True)
class People:
    partner_admin: User
    learner: User  # enrolled in three courses: `catalog`, `course` and `lesson` are theirs
    busy_learner: User  # fifty enrolments: `learn_50`
    examinee: User  # `exam_submit`


@dataclass
class ExamSubmission:
    """What `exam_submission` needs between requests."""

    examinee: User
    exam: Assessment
    course: CoursePage
    reference_body: str
    reference_lesson_id: int


_exam: ExamSubmission | None = None


def seed() -> People:
    """The people, the 500 courses and everyone's progress; about 15 s on SQLite."""
    organization = partner_services.create_organization(
        name="Bench Partner Systems", name_fa="سامانه‌های شریک", slug="bench-partner", country="IR", tier="gold"
    )
    admin = _person("admin", "Reza", "Karimi")
    partner_services.add_member(organization=organization, user=admin, role=Membership.Role.ADMIN)
    learner = _person("learner", "Sara", "Ahmadi")
    partner_services.add_member(organization=organization, user=learner, role=Membership.Role.LEARNER)
    busy_learner = _person("busy", "Maryam", "Hosseini")
    partner_services.add_member(organization=organization, user=busy_learner, role=Membership.Role.LEARNER)
    examinee = _person("examinee", "Ali", "Rahimi")
    partner_services.add_member(organization=organization, user=examinee, role=Membership.Role.LEARNER)
    for number in range(EXTRA_LEARNERS):
        partner_services.add_member(organization=organization, user=_person(f"learner{number}", "", ""))
    # A pending invitation, so the dashboard shows its invitation line too.
    partner_services.invite_people(
        organization=organization, emails=[f"new-hire@{DOMAIN}"], role=Membership.Role.LEARNER, invited_by=admin
    )
    # Courses meant only for this other partner are hidden from the bench partner's people.
    other = partner_services.create_organization(
        name="Other Partner Networks", slug="other-partner", country="DE", tier="platinum"
    )
    people = People(partner_admin=admin, learner=learner, busy_learner=busy_learner, examinee=examinee)
    with transaction.atomic():
        courses = _course_volume(other)
    _learner_progress(people, organization, courses)
    _busy_learner_progress(people, organization, courses)
    _examinee_progress(people, courses)
    if connection.vendor == "postgresql":
        # Autovacuum gathers the planner's statistics some time after a bulk load; a
        # production database has them. Without, PostgreSQL picks sequential scans.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return people


def _person(local_part: str, first_name: str, last_name: str) -> User:
    return create_person(
        email=f"{local_part}@{DOMAIN}",
        password=secrets.token_urlsafe(18),
        first_name=first_name,
        last_name=last_name,
    )


# The course volume ----------------------------------------------------------------------


def _course_volume(other: Organization) -> list[CoursePage]:
    """500 courses in catalog order (by title), each with 4 lessons, a bank and an exam."""
    home = HomePage.objects.get(locale__language_code="en")
    index = home.add_child(instance=CourseIndexPage(title="Courses", slug="courses", intro="Every course we offer."))
    competencies = Competency.objects.bulk_create(
        Competency(name=name, name_fa=name_fa, slug=slugify(name), description=f"Skills in {name.lower()}.")
        for name, name_fa in COMPETENCIES
    )
    titles = sorted(f"{topic} {angle}" for topic in TOPICS for angle in ANGLES)[:COURSES]
    slugs = {COURSE_POSITION: "bench-course", EXAM_POSITION: "bench-exam-course"}
    courses = [
        CoursePage(
            title=title,
            slug=slugs.get(position, slugify(title)),
            summary=(
                f"{title} gives partner engineers what they need to sell, design and deliver it: "
                "the concepts, the reference designs, the usual pitfalls and a hands-on lab."
            ),
            level=("beginner", "intermediate", "advanced")[position % 3],
            estimated_minutes=(45, 90, 150, 240)[position % 4],
            # Every seventh course opens at a higher tier than the bench partner's (gold).
            minimum_tier="platinum" if position % 7 == 3 else "silver" if position % 7 == 5 else "",
        )
        for position, title in enumerate(titles)
    ]
    _add_children(index, courses)
    lessons = [
        LessonPage(
            title=f"{number}. {('Concepts', 'Design', 'Hands-on lab', 'Going further')[number - 1]}",
            slug=f"lesson-{number}",
            body=_lesson_body(course.title, number),
            estimated_minutes=5 + 5 * number,
            # The last lesson of every third course is optional.
            required=not (number == LESSONS_PER_COURSE and position % 3 == 0),
        )
        for position, course in enumerate(courses)
        for number in range(1, LESSONS_PER_COURSE + 1)
    ]
    for position, course in enumerate(courses):
        _add_children(course, lessons[position * LESSONS_PER_COURSE : (position + 1) * LESSONS_PER_COURSE])
    _relate(
        "competencies",
        [
            (course.pk, competencies[number].pk)
            for position, course in enumerate(courses)
            for number in {position % len(competencies), (position * 5 + 3) % len(competencies)}
        ],
    )
    # Every fifth course requires the one before it; every 25th is only for the other partner.
    _relate("prerequisites", [(course.pk, courses[position - 1].pk) for position, course in _every(courses, 5, 4)])
    _relate("audience_organizations", [(course.pk, other.pk) for _position, course in _every(courses, 25, 12)])
    _banks_and_exams(courses)
    _learning_paths(index, courses)
    return courses


def _every(courses: list[CoursePage], step: int, offset: int):
    return [(position, course) for position, course in enumerate(courses) if position % step == offset]


def _add_children(parent: Page, children: list[Page]) -> None:
    """Insert `children` after the existing children of `parent`, as loading a fixture would.

    One multi-row INSERT of their wagtailcore_page rows, then one raw INSERT each into
    their own table. The tree fields are computed here exactly as treebeard's add_child
    computes them; the pages are live, with no revision (as `add_child` leaves them),
    and no search-index or reference-index entry: no benchmarked page reads those.
    """
    now = timezone.now()
    content_types = ContentType.objects.get_for_models(*{type(child) for child in children})
    # Children created here are numbered 1, 2, 3... without gaps, so the next one is numchild + 1.
    for step, child in enumerate(children, start=parent.numchild + 1):
        child.depth = parent.depth + 1
        child.path = Page._get_path(parent.path, child.depth, step)
        child.url_path = f"{parent.url_path}{child.slug}/"
        child.locale_id = parent.locale_id
        child.content_type = content_types[type(child)]
        child.draft_title = child.title
        child.live, child.has_unpublished_changes = True, False
        child.first_published_at = child.last_published_at = now
    rows = Page.objects.bulk_create(
        Page(**{field.attname: getattr(child, field.attname) for field in Page._meta.concrete_fields})
        for child in children
    )
    for row, child in zip(rows, children, strict=True):
        child.id = child.page_ptr_id = row.pk
        child.save_base(raw=True, force_insert=True)
    Page.objects.filter(pk=parent.pk).update(numchild=F("numchild") + len(children))
    parent.numchild += len(children)


def _relate(name: str, pairs: list[tuple[int, int]]) -> None:
    """Bulk-insert rows of one of CoursePage's many-to-many relations."""
    relation = CoursePage._meta.get_field(name)
    through = relation.remote_field.through
    source, target = f"{relation.m2m_field_name()}_id", f"{relation.m2m_reverse_field_name()}_id"
    through.objects.bulk_create((through(**{source: a, target: b}) for a, b in pairs), batch_size=BATCH)


def _lesson_body(course_title: str, number: int) -> list[dict]:
    """Seven blocks: text, a callout, code, an accordion and one knowledge check."""
    paragraph = (
        f"<p>This part of <b>{course_title}</b> explains how the pieces fit together in a customer's "
        "environment, which choices matter most, and how to check that a design holds up.</p>"
        "<ul><li>What to ask the customer first</li><li>Which defaults to change</li>"
        "<li>How to prove the result</li></ul>"
    )
    return [
        {"type": "heading", "value": {"text": f"Part {number}: what you will learn", "level": "h2"}},
        {"type": "paragraph", "value": paragraph},
        {"type": "callout", "value": {"kind": "tip", "title": "Before you start", "body": "<p>Open the lab.</p>"}},
        {"type": "code", "value": {"language": "bash", "code": "abrzad backup --verify --target lab-01"}},
        builders.knowledge_check(f"Which step of {course_title} comes first?"),
        {
            "type": "accordion",
            "value": {
                "title": "Questions partners ask",
                "items": [
                    {"heading": "Does it work offline?", "body": "<p>Yes, once it is configured.</p>"},
                    {"heading": "How is it licensed?", "body": "<p>Per protected workload.</p>"},
                ],
            },
        },
        {"type": "paragraph", "value": "<p>Next, try it yourself in the lab, then mark the lesson complete.</p>"},
    ]


def _banks_and_exams(courses: list[CoursePage]) -> None:
    """Each course: a bank of 60 questions of every type and an exam drawing 50 of them,
    with no time limit, unlimited attempts and no cooldown."""
    banks = QuestionBank.objects.bulk_create(
        QuestionBank(name=f"{course.title} bank", language="en") for course in courses
    )
    specs = [
        (bank, number, *QUESTION_KINDS[number % len(QUESTION_KINDS)]) for bank in banks for number in range(BANK_SIZE)
    ]
    questions = Question.objects.bulk_create(
        (
            Question(
                bank=bank,
                kind=kind,
                prompt=f"{bank.name}, question {number + 1}: which answer fits the situation described?",
                explanation="The reference design in the second lesson shows why.",
                **fields,
            )
            for bank, number, kind, fields, _choices in specs
        ),
        batch_size=BATCH,
    )
    QuestionChoice.objects.bulk_create(
        (
            QuestionChoice(question=question, sort_order=order, **choice)
            for question, (*_spec, choices) in zip(questions, specs, strict=True)
            for order, choice in enumerate(choices)
        ),
        batch_size=BATCH,
    )
    exams = Assessment.objects.bulk_create(
        Assessment(
            course=course,
            title=f"{course.title} exam",
            kind=Assessment.Kind.EXAM,
            question_count=EXAM_QUESTIONS,
            pass_mark=70,
            time_limit_minutes=None,
            max_attempts=None,
            cooldown_minutes=0,
        )
        for course in courses
    )
    through = Assessment.banks.through
    through.objects.bulk_create(
        (through(assessment=exam, questionbank=bank) for exam, bank in zip(exams, banks, strict=True)),
        batch_size=BATCH,
    )


def _learning_paths(index: CourseIndexPage, courses: list[CoursePage]) -> None:
    """Three paths of four courses; the first one is the busy learner's."""
    paths = [
        LearningPathPage(title=title, slug=slugify(title), summary=f"The courses of a {title}, in order.")
        for title in PATHS
    ]
    _add_children(index, paths)
    busy = _busy_courses(courses)
    steps = [[busy[0], busy[1], busy[31], busy[32]], busy[40:44], busy[44:48]]
    LearningPathCourse.objects.bulk_create(
        LearningPathCourse(path=path, course=course, sort_order=order)
        for path, courses_in_order in zip(paths, steps, strict=True)
        for order, course in enumerate(courses_in_order)
    )


# Progress, through the app's services -------------------------------------------------------


def _lessons(course: CoursePage) -> list[LessonPage]:
    return list(LessonPage.objects.child_of(course).order_by("path"))


def _study(user: User, lessons: list[LessonPage]) -> None:
    """Answer each lesson's knowledge checks, then mark it complete, as the lesson page does."""
    for lesson in lessons:
        for block_id in knowledge_check_ids(lesson.body):
            answer_knowledge_check(user=user, lesson=lesson, block_id=block_id, chosen=["0"])
        complete_lesson(user=user, lesson=lesson)


def _take_exam(user: User, course: CoursePage, *, right: bool) -> None:
    attempt = start_attempt(user=user, assessment=course.assessments.get())
    submit_attempt(user=user, attempt=attempt, answers=scripted_answers(attempt, right=right))


def _busy_courses(courses: list[CoursePage]) -> list[CoursePage]:
    """The busy learner's 50 courses: ones the bench partner may take, without prerequisites."""
    open_to_gold = [
        course
        for position, course in enumerate(courses)
        if position % 7 != 3 and position % 5 != 4 and position % 25 != 12
    ]
    return open_to_gold[60 : 60 + BUSY_ENROLMENTS]


def _learner_progress(people: People, organization: Organization, courses: list[CoursePage]) -> None:
    learner = people.learner
    course = courses[COURSE_POSITION]
    enrolment_services.enrol_learner(user=learner, course=course)
    lessons = _lessons(course)
    _study(learner, lessons[:2])
    _take_exam(learner, course, right=False)  # tried the exam too early
    record_visit(user=learner, lesson=lessons[2])  # and opened the third lesson

    completed = courses[COMPLETED_POSITION]
    enrolment_services.enrol_learner(user=learner, course=completed)
    _study(learner, _lessons(completed))
    _take_exam(learner, completed, right=True)

    enrolment_services.assign_course(
        assigned_by=people.partner_admin,
        organization=organization,
        user_ids=[learner.pk],
        course=courses[ASSIGNED_POSITION],
        due_date=timezone.localdate() + timedelta(days=30),
    )


def _busy_learner_progress(people: People, organization: Organization, courses: list[CoursePage]) -> None:
    """50 enrolments: 10 completed, 20 assigned (5 overdue), 20 self-enrolled, most started."""
    busy = people.busy_learner
    chosen = _busy_courses(courses)
    today = timezone.localdate()
    for number, course in enumerate(chosen):
        if 10 <= number < 30:
            enrolment_services.assign_course(
                assigned_by=people.partner_admin,
                organization=organization,
                user_ids=[busy.pk],
                course=course,
                due_date=today + timedelta(days=(number - 14) * 7),  # 10-14: overdue
            )
        else:
            enrolment_services.enrol_learner(user=busy, course=course)
        lessons = _lessons(course)
        if number < 10:
            _study(busy, lessons)
            _take_exam(busy, course, right=True)
        else:
            _study(busy, lessons[: number % 4])
            if number % 4:
                record_visit(user=busy, lesson=lessons[number % 4 - 1])
    # They follow a path of two completed courses and two started ones.
    enrolment_services.enrol_in_path(user=busy, path=LearningPathPage.objects.get(slug=slugify(PATHS[0])))


def _examinee_progress(people: People, courses: list[CoursePage]) -> None:
    global _exam
    examinee = people.examinee
    course = courses[EXAM_POSITION]
    enrolment_services.enrol_learner(user=examinee, course=course)
    _study(examinee, _lessons(course))
    exam = course.assessments.get()
    # A representative form for the bare POST of the reference: answers to 50 questions.
    attempt = start_attempt(user=examinee, assessment=exam)
    body = _form(scripted_answers(attempt, right=True))
    attempt.delete()
    _exam = ExamSubmission(
        examinee=examinee,
        exam=exam,
        course=course,
        reference_body=body,
        reference_lesson_id=_lessons(courses[EXAM_POSITION + 1])[0].pk,
    )


def _form(answers: dict[int, dict[str, list[str]]]) -> str:
    """The attempt form's fields (q<position>-<field>), URL-encoded as a browser posts them."""
    return urlencode(
        [
            (f"q{position}-{name}", value)
            for position, fields in sorted(answers.items())
            for name, values in fields.items()
            for value in values
        ]
    )


def exam_submission(side: Side) -> Call:
    """The next `exam_submit` request; runs untimed, just before it.

    Page: the examinee has done every lesson and submits a fresh attempt, all answers
    right, so grading it also completes the course, as a first passing attempt does.
    Earlier attempts are deleted and the course made incomplete again first, so every
    request does the same work instead of the history growing with each one.
    Reference: the same form, posted to a view that inserts one LessonCompletion
    (deleted again first, so the INSERT never meets the unique constraint).
    """
    assert _exam is not None, "seed() prepares it"
    examinee, exam, course = _exam.examinee, _exam.exam, _exam.course
    if side == "reference":
        LessonCompletion.objects.filter(user=examinee, lesson_id=_exam.reference_lesson_id).delete()
        return Call("/__bench__/exam-submit/", method="POST", body=_exam.reference_body, status=302)
    Attempt.objects.filter(user=examinee, assessment=exam).delete()
    Enrolment.objects.filter(user=examinee, course=course).update(completed_at=None)
    attempt = start_attempt(user=examinee, assessment=exam)
    url = course.url + course.reverse_subpage("attempt", args=(attempt.pk,))
    result_url = course.url + course.reverse_subpage("attempt_result", args=(attempt.pk,))

    def graded(response: HttpResponse) -> str | None:
        attempt.refresh_from_db()
        if response["Location"] != result_url:
            return f"redirected to {response['Location']}, not to the result {result_url}"
        if not (attempt.status == Attempt.Status.GRADED and attempt.score == 100 and attempt.passed):
            return f"the attempt is {attempt.status} with score {attempt.score}, not graded at 100%"
        if not Enrolment.objects.get(user=examinee, course=course).completed_at:
            return "passing the exam did not complete the course"
        return None

    return Call(url, method="POST", body=_form(scripted_answers(attempt, right=True)), status=302, check=graded)


# References ---------------------------------------------------------------------------------


def load_references(people: People) -> None:
    """Compute what the real pages show once, so reference requests read no database.

    The home page and the dashboard card are copied into plain objects. The course
    pages' contexts are the app's own selectors' results, computed once and kept:
    they hold models, but with every relation the templates read already loaded.
    """
    factory = RequestFactory()
    with translation.override("en"):
        page = HomePage.objects.live().get(locale__language_code="en")
        REFERENCE.home_page = PageData(
            title=page.title,
            seo_title=page.seo_title,
            hero_title=page.hero_title,
            hero_text=page.hero_text,
            body=page.body,
        )
        for person in (people.partner_admin, people.learner, people.busy_learner):
            user = _signed_in(person)
            REFERENCE.dashboards[user.pk] = _plain_dashboard(dashboard_for(user))
            request = factory.get("/learn/")
            request.user = user
            REFERENCE.learn_sections[user.pk] = learn_sections(request)

        learner = _signed_in(people.learner)
        index = CourseIndexPage.objects.get(locale__language_code="en")
        REFERENCE.catalog = _page_context(index, {"catalog": catalog_for(learner, index=index, params=QueryDict())})
        course = CoursePage.objects.prefetch_related("competencies").get(slug="bench-course")
        REFERENCE.course = _page_context(course, {"overview": course_overview(learner, course)})
        lesson = LessonPage.objects.child_of(course).get(slug="lesson-3")
        REFERENCE.lesson = _page_context(lesson, lesson_context(learner, lesson))
        assert _exam is not None
        REFERENCE.insert_lesson_id = _exam.reference_lesson_id


def _signed_in(person: User) -> User:
    """The person as a request sees them: loaded by the authentication backend."""
    return User.objects.select_related("membership__organization").get(pk=person.pk)


def _page_context(page: Page, extra: dict) -> PageContext:
    page.get_parent()  # treebeard keeps it on the object: `{% pageurl page.get_parent %}` reads it
    # What Wagtail's Page.get_context gives the template, plus the page's own additions.
    return PageContext(template=page.template, path=page.url, context={"page": page, "self": page, **extra})


def _plain_dashboard(dashboard: Dashboard) -> Dashboard:
    # The real Dashboard class, holding plain objects instead of models: the template
    # only reads attributes, so it cannot tell them apart, and nothing can query.
    organization, membership = dashboard.organization, dashboard.membership
    return Dashboard(
        organization=None
        if organization is None
        else OrganizationData(
            display_name=organization.display_name,
            tier=organization.tier,
            get_tier_display=organization.get_tier_display(),
        ),
        membership=None
        if membership is None
        else MembershipData(
            is_admin=membership.is_admin,
            get_role_display=membership.get_role_display(),
            joined_at=membership.joined_at,
        ),
        team_size=dashboard.team_size,
        pending_invitations=dashboard.pending_invitations,
    )


# Certifications: the certificate and the verification page ----------------------------------


@dataclass
class CertificationData:
    credential: Credential
    verify_path: str


_certification: CertificationData | None = None


def seed_certifications() -> CertificationData:
    """One certification and a valid credential of a person with a Persian name, through
    the services; the issuer has a signatory, as the demo's has (no logo or signature image)."""
    global _certification
    holder = create_person(
        email=f"certified@{DOMAIN}", password=secrets.token_urlsafe(18), first_name="مریم", last_name="حسینی"
    )
    competency, _created = Competency.objects.get_or_create(
        slug="bench-certified-security", defaults={"name": "Certified security", "name_fa": "امنیت گواهی‌شده"}
    )
    certification = Certification.objects.create(
        name="Certified Cloud Security Associate",
        name_fa="کارشناس تأییدشده‌ی امنیت ابری",
        slug="bench-cloud-security-associate",
        competency=competency,
        level=Level.ASSOCIATE,
        validity_months=24,
    )
    version = record_version(certification=certification)
    issuer = IssuerSettings.load()
    issuer.signatory_name = "Babak Tehrani"
    issuer.signatory_title = "Head of Partner Enablement"
    issuer.signatory_title_fa = "مدیر توانمندسازی شرکا"
    issuer.save()
    credential = award_credential(user=holder, certification=certification, version=version)
    assert credential is not None
    with translation.override("en"):
        path = reverse("certifications:verify", kwargs={"code": credential.code})
    _certification = CertificationData(credential=credential, verify_path=path)
    return _certification


def load_certification_references() -> None:
    """The bare view of `verify` answers with the bytes the page answered once."""
    assert _certification is not None, "seed_certifications() first"
    response = Client().get(_certification.verify_path)
    assert response.status_code == 200, response.status_code
    REFERENCE.verify_html = response.content


def verification(side: Side) -> Call:
    assert _certification is not None, "seed_certifications() first"
    if side == "reference":
        return Call("/__bench__/bare/")
    holder = _certification.credential.holder_name

    def shows_the_credential(response: HttpResponse) -> str | None:
        text = response.content.decode()
        if holder not in text or 'data-status="valid"' not in text:
            return "the page does not show the holder's valid credential"
        return None

    return Call(_certification.verify_path, check=shows_the_credential)


def _pdf_text(pdf: bytes) -> str:
    completed = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=False)  # noqa: S607
    return unicodedata.normalize("NFKC", completed.stdout.decode("utf-8", "replace"))


def certificate_pair() -> CallPair:
    """render_certificate_pdf of the credential (loaded as the certificate view loads it)
    against the same fields drawn with ReportLab."""
    from bench.certificate_reference import certificate_fields, draw_certificate
    from certifications.certificates import render_certificate_pdf
    from certifications.verification import credential_by_code

    assert _certification is not None, "seed_certifications() first"
    credential = credential_by_code(_certification.credential.code)
    fields = certificate_fields(credential)

    def check(page: object, reference: object) -> str | None:
        for label, pdf in (("page", page), ("reference", reference)):
            if not isinstance(pdf, bytes) or not pdf.startswith(b"%PDF"):
                return f"the {label} side did not return a PDF"
            if shutil.which("pdftotext"):
                text = _pdf_text(pdf)
                missing = [value for value in (credential.certification.name, credential.code) if value not in text]
                if missing:
                    return f"the {label} PDF does not print {missing}"
        return None

    return CallPair(
        page=lambda: render_certificate_pdf(credential), reference=lambda: draw_certificate(fields), check=check
    )
