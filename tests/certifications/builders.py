"""Build certifications and credentials for tests and benchmarks."""

from __future__ import annotations

from certifications.models import Certification, Credential
from certifications.services.awarding import award_credential
from certifications.services.versions import record_version
from courses.blocks import knowledge_check_ids
from courses.models import Assessment, CoursePage, LessonPage
from courses.services.attempts import scripted_answers, start_attempt, submit_attempt
from courses.services.enrolment import enrol_learner
from courses.services.progress import answer_knowledge_check, complete_lesson
from lms.competencies.models import Competency


def competency(name: str = "Cloud Security", slug: str = "cloud-security", name_fa: str = "امنیت ابری") -> Competency:
    found, _created = Competency.objects.get_or_create(slug=slug, defaults={"name": name, "name_fa": name_fa})
    return found


def certification(
    *,
    name: str = "Certified Cloud Security Associate",
    name_fa: str = "کارشناس امنیت ابری",
    slug: str = "cloud-security-associate",
    courses: list[CoursePage] = (),
    exam: Assessment | None = None,
    prerequisites: list[Certification] = (),
    **fields,
) -> Certification:
    fields.setdefault("competency", competency())
    made = Certification.objects.create(name=name, name_fa=name_fa, slug=slug, final_exam=exam, **fields)
    made.required_courses.set(courses)
    made.prerequisites.set(prerequisites)
    record_version(certification=made)
    return made


def issue(user, certification: Certification, **fields) -> Credential:
    """A credential without going through the requirements (for views and lists)."""
    version = certification.versions.order_by("-number").first() or record_version(certification=certification)
    credential = award_credential(user=user, certification=certification, version=version, **fields)
    assert credential is not None, "the person already holds a live credential for it"
    return credential


def complete_course(user, course: CoursePage, *, pass_exam: bool = True) -> None:
    """Enrol, complete every lesson and take the course's exam (passing or failing it)."""
    enrol_learner(user=user, course=course)
    for lesson in LessonPage.objects.child_of(course).live():
        for block_id in knowledge_check_ids(lesson.body):
            answer_knowledge_check(user=user, lesson=lesson, block_id=block_id, chosen=["0"])
        complete_lesson(user=user, lesson=lesson)
    for exam in course.assessments.filter(kind=Assessment.Kind.EXAM):
        take_exam(user, exam, right=pass_exam)


def take_exam(user, exam: Assessment, *, right: bool = True):
    attempt = start_attempt(user=user, assessment=exam)
    submit_attempt(user=user, attempt=attempt, answers=scripted_answers(attempt, right=right))
    attempt.refresh_from_db()
    return attempt
