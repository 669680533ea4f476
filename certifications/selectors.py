"""What people see of certifications: their own credentials, their progress towards the
ones they do not hold yet, and a partner admin's view of the team's credentials.

Every read is set-based: the number of queries stays the same whether a person holds
two credentials or twenty, and whether a team has three people or thirty. Courses are
named only when the reader may see them (`courses.permissions.course_access`): a course
meant for other organizations is never named, and a certification that needs one is
not offered at all.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from operator import attrgetter

from django.db.models import Exists, F, FilteredRelation, OuterRef, Q
from django.urls import reverse
from django.utils import translation

from certifications import badges
from certifications.eligibility import GapKind, Requirements, assess
from certifications.models import Certification, Credential, IssuerSettings
from certifications.services.awarding import latest_versions, person_record
from certifications.validity import in_renewal_window, renewal_window_opens
from certifications.verification import STATUS_LABELS, PublicStatus, public_status
from courses.audience import Access
from courses.models import Assessment, CoursePage
from courses.permissions import course_access, locked_message
from lms import clock
from lms.accounts.models import User
from lms.partners.models import Membership, Organization
from lms.querysets import in_order

# Without a renewal window, a credential counts as "expiring soon" this close to its expiry.
EXPIRING_SOON_DAYS = 30
# The team matrix shows at most this many certifications; the CSV has them all.
MAX_MATRIX_COLUMNS = 8


class State:
    """What a credential's badge says: the public status, with "expiring soon" split off
    from "valid"."""

    VALID = "valid"
    EXPIRING = "expiring"
    EXPIRED = "expired"
    REVOKED = "revoked"
    SUSPENDED = "suspended"


def state_label(state: str) -> str:
    if state == State.EXPIRING:
        return str(translation.pgettext("credential", "Expiring soon"))
    return str(STATUS_LABELS[PublicStatus(state)])


def _days_left(expires_at: datetime | None, now: datetime) -> int | None:
    """Whole days until expiry, rounded up, so a credential expiring tomorrow morning
    "expires in 1 day"; None for one that never expires, 0 once it has."""
    if expires_at is None:
        return None
    return max(0, math.ceil((expires_at - now) / timedelta(days=1)))


def _state(credential: Credential, certification: Certification, now: datetime) -> str:
    status = public_status(credential, now=now)
    if status != PublicStatus.VALID:
        return str(status)
    expires_at = credential.expires_at
    if expires_at is None:
        return State.VALID
    window = certification.renewal_window_days or EXPIRING_SOON_DAYS
    return State.EXPIRING if expires_at - now <= timedelta(days=window) else State.VALID


# Courses in the reader's language --------------------------------------------------------------


@dataclass(frozen=True)
class CourseLink:
    """A course as the reader sees it: the version in their language where there is one."""

    page: CoursePage
    locked_message: str = ""  # listed but not open yet ("available from the Gold tier")

    @property
    def title(self) -> str:
        return self.page.title


def courses_for_reader(user: User, course_ids: Iterable[int]) -> dict[int, CourseLink | None]:
    """For each course id (of any language version), the live version in the reader's
    language, else the original; None when the reader may not see the course at all
    (meant for other organizations, or not published). Two queries for any number."""
    ids = set(course_ids)
    if not ids:
        return {}
    versions = (
        CoursePage.objects.filter(translation_key__in=CoursePage.objects.filter(pk__in=ids).values("translation_key"))
        .select_related("locale")
        .prefetch_related("audience_organizations")
        .order_by("pk")
    )
    by_key: dict[object, list[CoursePage]] = defaultdict(list)
    key_of: dict[int, object] = {}
    for page in versions:
        by_key[page.translation_key].append(page)
        if page.pk in ids:
            key_of[page.pk] = page.translation_key
    language = translation.get_language()
    found: dict[int, CourseLink | None] = {}
    for pk in ids:
        live = [page for page in by_key.get(key_of.get(pk), ()) if page.live]
        chosen = next((page for page in live if page.locale.language_code == language), live[0] if live else None)
        access = course_access(user, chosen) if chosen is not None else Access.HIDDEN
        if access == Access.HIDDEN:
            found[pk] = None
        else:
            found[pk] = CourseLink(chosen, locked_message(chosen) if access == Access.TIER_LOCKED else "")
    return found


@dataclass(frozen=True)
class ExamStep:
    title: str
    course: CourseLink | None  # where the exam is taken; None if the reader may not see it
    best_score: Decimal | None = None
    minimum_score: Decimal | None = None


# My credentials --------------------------------------------------------------------------------


@dataclass(frozen=True)
class CredentialView:
    credential: Credential
    state: str  # State: valid, expiring, expired, revoked, suspended
    label: str
    days_left: int | None
    in_renewal_window: bool
    renewal_opens_at: datetime | None  # for a renewable credential whose window has not opened yet
    renewal_exam: ExamStep | None
    renewal_course: CourseLink | None
    verify_url: str
    pdf_url: str
    assertion_url: str
    linkedin_url: str
    badge_image_url: str
    badge_download_url: str
    badge_image_path: str  # the same image on this site, for showing it on the page

    @property
    def certification(self) -> Certification:
        return self.credential.certification

    @property
    def shareable(self) -> bool:
        """Only a credential that is valid today is offered for sharing (certificate,
        badge, LinkedIn); the verification page is offered for every one."""
        return self.state in (State.VALID, State.EXPIRING)

    @property
    def renewable(self) -> bool:
        return self.renewal_exam is not None or self.renewal_course is not None


def credentials_of(
    *, user: User, now: datetime | None = None, issuer: IssuerSettings | None = None
) -> list[CredentialView]:
    """The person's credentials, newest first, except superseded ones (each has a newer
    one in its place), with their status, renewal and links."""
    now = now or clock.now()
    credentials = in_order(
        Credential.objects.filter(user=user)
        .exclude(status=Credential.Status.SUPERSEDED)
        .select_related("certification", "certification__competency", "certification__renewal_exam"),
        key=attrgetter("issued_at", "pk"),
        reverse=True,
    )
    if not credentials:
        return []
    issuer = issuer if issuer is not None else IssuerSettings.load()
    renewable = [
        credential
        for credential in credentials
        if credential.status == Credential.Status.ACTIVE
        and credential.expires_at is not None
        and credential.certification.validity_months
    ]
    course_ids = {c.certification.renewal_course_id for c in renewable} | {
        c.certification.renewal_exam.course_id for c in renewable if c.certification.renewal_exam_id
    }
    courses = courses_for_reader(user, course_ids - {None})
    renewable_ids = {credential.pk for credential in renewable}
    return [
        _credential_view(credential, credential.pk in renewable_ids, courses, now, issuer) for credential in credentials
    ]


def _credential_view(
    credential: Credential,
    renewable: bool,
    courses: dict[int, CourseLink | None],
    now: datetime,
    issuer: IssuerSettings,
) -> CredentialView:
    certification = credential.certification
    state = _state(credential, certification, now)
    live_renewal = renewable and state in (State.VALID, State.EXPIRING)
    window = certification.renewal_window_days
    exam = certification.renewal_exam if live_renewal and certification.renewal_exam_id else None
    exam_course = courses.get(exam.course_id) if exam is not None else None
    course = courses.get(certification.renewal_course_id) if live_renewal and certification.renewal_course_id else None
    inside = live_renewal and in_renewal_window(now=now, expires_at=credential.expires_at, window_days=window)
    opens = renewal_window_opens(credential.expires_at, window) if live_renewal and not inside else None
    image = badges.badge_image_url(certification)
    return CredentialView(
        credential=credential,
        state=state,
        label=state_label(state),
        days_left=_days_left(credential.expires_at, now),
        in_renewal_window=inside,
        renewal_opens_at=opens,
        # An exam taken in a course the reader may not see is not named either.
        renewal_exam=ExamStep(exam.title, exam_course, minimum_score=Decimal(certification.minimum_score))
        if exam_course is not None
        else None,
        renewal_course=course,
        verify_url=reverse("certifications:verify", kwargs={"code": credential.code}),
        pdf_url=reverse("certifications:certificate_pdf", kwargs={"code": credential.code}),
        assertion_url=badges.assertion_url(credential),
        linkedin_url=badges.linkedin_add_url(credential, issuer=issuer),
        badge_image_url=image,
        badge_download_url=f"{image}?download=1",
        badge_image_path=reverse("badges:badge_image", kwargs={"slug": certification.slug}),
    )


# On the way to ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ProgressTowards:
    certification: Certification
    courses: tuple[CourseLink, ...]  # still to complete
    exam: ExamStep | None  # still to pass
    prerequisites: tuple[Certification, ...]  # still to hold
    done: int
    total: int

    @property
    def percent(self) -> int:
        return self.done * 100 // self.total if self.total else 0


def progress_towards(*, user: User) -> list[ProgressTowards]:
    """Each active certification the person does not hold (live) yet, with what remains,
    nearest first. A certification with no requirements (awarded by hand), or one that
    needs a course the person may not see, is left out: there is nothing they can do."""
    live = Credential.objects.filter(user=user, status__in=Credential.LIVE, certification=OuterRef("pk"))
    certifications = {
        certification.pk: certification
        for certification in Certification.objects.filter(is_active=True).exclude(Exists(live))
    }
    if not certifications:
        return []
    record = person_record(user=user)
    versions = latest_versions(list(certifications))
    assessed = []
    for pk, version in versions.items():
        requirements = Requirements.from_json(version.requirements)
        if not requirements.is_empty:
            assessed.append((certifications[pk], requirements, assess(requirements, record)))

    gaps = [gap for _c, _r, result in assessed for gap in result.gaps]
    exams = {
        exam.pk: exam
        for exam in Assessment.objects.filter(pk__in={g.target_id for g in gaps if g.kind == GapKind.EXAM}).only(
            "pk", "title", "course_id"
        )
    }
    courses = courses_for_reader(
        user,
        {g.target_id for g in gaps if g.kind == GapKind.COURSE} | {exam.course_id for exam in exams.values()},
    )
    prerequisite_ids = {g.target_id for g in gaps if g.kind == GapKind.PREREQUISITE}
    prerequisites = {c.pk: c for c in Certification.objects.filter(pk__in=prerequisite_ids)} if prerequisite_ids else {}

    results = []
    for certification, requirements, result in assessed:
        remaining = [courses.get(g.target_id) for g in result.gaps if g.kind == GapKind.COURSE]
        exam_gap = next((g for g in result.gaps if g.kind == GapKind.EXAM), None)
        exam = exams.get(exam_gap.target_id) if exam_gap else None
        exam_step = None
        if exam_gap is not None:
            exam_course = courses.get(exam.course_id) if exam is not None else None
            if exam_course is None:
                continue
            exam_step = ExamStep(exam.title, exam_course, exam_gap.best_score, requirements.minimum_score)
        if any(course is None for course in remaining):
            continue
        results.append(
            ProgressTowards(
                certification=certification,
                courses=tuple(remaining),
                exam=exam_step,
                prerequisites=tuple(
                    prerequisites[g.target_id]
                    for g in result.gaps
                    if g.kind == GapKind.PREREQUISITE and g.target_id in prerequisites
                ),
                done=result.done,
                total=result.total,
            )
        )
    results.sort(key=lambda item: (-item.percent, item.certification.display_name))
    return results


# The team's credentials ------------------------------------------------------------------------

# Which credential a cell shows when a person has several for one certification.
_STATE_RANK = {State.VALID: 0, State.EXPIRING: 0, State.SUSPENDED: 1, State.EXPIRED: 2, State.REVOKED: 3}


def team_credentials(*, organization: Organization) -> list[Credential]:
    """The credentials of the organization's current members (never anyone else's),
    except superseded ones, ordered by person then certification."""
    return list(
        Credential.objects.filter(user__membership__organization=organization)
        .exclude(status=Credential.Status.SUPERSEDED)
        .select_related("user", "certification")
        .order_by("user__last_name", "user__first_name", "user__email", "certification__name", "-issued_at")
    )


@dataclass(frozen=True)
class MatrixCell:
    state: str
    label: str
    expires_at: datetime | None


@dataclass(frozen=True)
class MatrixRow:
    membership: Membership
    cells: tuple[MatrixCell | None, ...]  # one per column


@dataclass(frozen=True)
class TeamMatrix:
    certifications: tuple[Certification, ...]  # the columns
    rows: tuple[MatrixRow, ...]
    more_certifications: int  # columns left out of the page (they are in the CSV)


def team_matrix(
    *, organization: Organization, now: datetime | None = None, max_columns: int = MAX_MATRIX_COLUMNS
) -> TeamMatrix:
    """Members × certifications: those held by anyone on the team first (most valid
    holders first), then the other active ones, at most `max_columns`. Two queries: the
    members joined to their credentials, and the certifications."""
    now = now or clock.now()
    kept = FilteredRelation("user__credentials", condition=~Q(user__credentials__status=Credential.Status.SUPERSEDED))
    joined = (
        organization.memberships.select_related("user")
        .annotate(kept=kept)
        .annotate(
            credential_certification=F("kept__certification_id"),
            credential_status=F("kept__status"),
            credential_issued=F("kept__issued_at"),
            credential_expires=F("kept__expires_at"),
        )
        .order_by("user__last_name", "user__first_name", "user__email", "pk", "-credential_issued")
    )
    memberships: dict[int, Membership] = {}
    held: list[tuple[int, int, Credential]] = []  # (membership, certification, credential)
    for row in joined:
        memberships.setdefault(row.pk, row)
        if row.credential_certification is not None:
            facts = Credential(status=row.credential_status, expires_at=row.credential_expires)
            held.append((row.pk, row.credential_certification, facts))
    held_ids = {certification_id for _m, certification_id, _c in held}
    certifications = {c.pk: c for c in Certification.objects.filter(Q(is_active=True) | Q(pk__in=held_ids))}

    best: dict[tuple[int, int], MatrixCell] = {}
    holders: dict[int, set[int]] = defaultdict(set)
    for membership_id, certification_id, facts in held:
        state = _state(facts, certifications[certification_id], now)
        if state in (State.VALID, State.EXPIRING):
            holders[certification_id].add(membership_id)
        current = best.get((membership_id, certification_id))
        if current is None or _STATE_RANK[state] < _STATE_RANK[current.state]:
            best[(membership_id, certification_id)] = MatrixCell(state, state_label(state), facts.expires_at)
    columns = sorted(
        certifications.values(),
        key=lambda c: (c.pk not in held_ids, -len(holders[c.pk]), c.display_name),
    )
    shown = tuple(columns[:max_columns])
    rows = tuple(
        MatrixRow(membership, tuple(best.get((pk, c.pk)) for c in shown)) for pk, membership in memberships.items()
    )
    return TeamMatrix(certifications=shown, rows=rows, more_certifications=len(columns) - len(shown))
