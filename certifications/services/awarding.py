"""Award and renew credentials the moment a person meets the requirements.

`evaluate_person` is called when the courses app reports progress. It loads what the
person has done in a fixed number of queries, lets `certifications.eligibility` decide,
and awards, renews or re-certifies. Awarding is idempotent: the `one_live_credential`
constraint makes a concurrent second award fail, and that failure is the answer
"already held".
"""

from __future__ import annotations

from datetime import datetime
from operator import attrgetter

from django.db import IntegrityError, transaction
from django.db.models import Q

from certifications import signals
from certifications.eligibility import ExamResult, PersonRecord, Requirements, assess
from certifications.models import Certification, CertificationVersion, Credential, CredentialEvent
from certifications.notifications import notify_issued
from certifications.validity import expiry_for, in_renewal_window, renewal_window_opens, renewed_expiry
from courses.models import Attempt, Enrolment
from lms import clock
from lms.accounts.models import User
from lms.querysets import in_order

# A chain of prerequisites can award several credentials in one evaluation; this bounds it.
MAX_ROUNDS = 8


def holder_name(user: User) -> str:
    return user.get_full_name().strip() or user.email


def person_record(*, user: User) -> PersonRecord:
    completed = frozenset(
        Enrolment.objects.filter(user=user, completed_at__isnull=False).values_list("course_id", flat=True)
    )
    best: dict[int, ExamResult] = {}
    graded = Attempt.objects.filter(user=user, status=Attempt.Status.GRADED).order_by("-score", "submitted_at")
    for attempt_id, assessment_id, score in graded.values_list("pk", "assessment_id", "score"):
        best.setdefault(assessment_id, ExamResult(attempt_id, score))
    held = frozenset(
        Credential.objects.filter(user=user, status=Credential.Status.ACTIVE).values_list("certification_id", flat=True)
    )
    return PersonRecord(completed_course_ids=completed, best_exam_results=best, held_certification_ids=held)


def latest_versions(certification_ids=None) -> dict[int, CertificationVersion]:
    versions = CertificationVersion.objects.order_by("certification_id", "-number")
    if certification_ids is not None:
        versions = versions.filter(certification_id__in=certification_ids)
    latest: dict[int, CertificationVersion] = {}
    for version in versions:
        latest.setdefault(version.certification_id, version)
    return latest


def evaluate_person(*, user: User) -> list[Credential]:
    """Award every certification the person now meets, renew credentials inside their
    renewal window, and re-certify people on an earlier version. Returns the credentials
    issued or renewed."""
    if not user.is_active:
        return []
    changed: list[Credential] = []
    active = in_order(Certification.objects.filter(is_active=True), key=attrgetter("name"))
    certifications = {c.pk: c for c in active}
    versions = latest_versions(certifications) if certifications else {}
    if not versions:  # nothing to award or renew: the person's record is not read
        return []
    for _round in range(MAX_ROUNDS):
        record = person_record(user=user)
        live = {c.certification_id: c for c in Credential.objects.filter(user=user, status__in=Credential.LIVE)}
        round_changes: list[Credential] = []
        for pk, certification in certifications.items():
            version = versions.get(pk)
            if version is None:
                continue
            held = live.get(pk)
            if held is None:
                result = assess(Requirements.from_json(version.requirements), record)
                if result.met:
                    credential = award_credential(
                        user=user, certification=certification, version=version, record=record
                    )
                    if credential is not None:
                        round_changes.append(credential)
            elif held.status == Credential.Status.ACTIVE:
                updated = _renew_or_recertify(
                    user=user, held=held, certification=certification, version=version, record=record
                )
                if updated is not None:
                    round_changes.append(updated)
        changed += round_changes
        if not round_changes:
            break
    return changed


def _renew_or_recertify(
    *,
    user: User,
    held: Credential,
    certification: Certification,
    version: CertificationVersion,
    record: PersonRecord,
) -> Credential | None:
    if held.version_id != version.pk and version.recertify_by is not None:
        if assess(Requirements.from_json(version.requirements), record).met:
            return recertify_credential(credential=held, version=version, record=record)
        return None
    now = clock.now()
    if certification.validity_months and in_renewal_window(
        now=now, expires_at=held.expires_at, window_days=certification.renewal_window_days
    ):
        evidence = renewal_evidence(
            user=user,
            certification=certification,
            since=renewal_window_opens(held.expires_at, certification.renewal_window_days),
        )
        if evidence:
            return renew_credential(credential=held, evidence=evidence)
    return None


def renewal_evidence(*, user: User, certification: Certification, since: datetime) -> dict:
    if certification.renewal_exam_id:
        attempt = (
            Attempt.objects.filter(
                user=user,
                assessment_id=certification.renewal_exam_id,
                status=Attempt.Status.GRADED,
                submitted_at__gte=since,
                score__gte=certification.minimum_score,
            )
            .order_by("-score")
            .values_list("pk", "score")
            .first()
        )
        if attempt:
            return {"renewal_exam_attempt": attempt[0], "score": str(attempt[1])}
    if certification.renewal_course_id:
        completed = (
            Enrolment.objects.filter(user=user, course_id=certification.renewal_course_id, completed_at__gte=since)
            .values_list("completed_at", flat=True)
            .first()
        )
        if completed:
            return {"renewal_course": certification.renewal_course_id, "completed_at": completed.isoformat()}
    return {}


def _evidence(*, user: User, requirements: Requirements, record: PersonRecord) -> tuple[int | None, dict]:
    result = assess(requirements, record)
    completions = Enrolment.objects.filter(user=user, course_id__in=requirements.course_ids).values_list(
        "course_id", "completed_at"
    )
    evidence = {
        "courses": [{"course": pk, "completed_at": at.isoformat()} for pk, at in completions if at],
        "prerequisites": sorted(requirements.prerequisite_ids),
    }
    attempt_id = None
    if result.exam_result is not None:
        attempt_id = result.exam_result.attempt_id
        evidence["exam"] = {"attempt": attempt_id, "score": str(result.exam_result.score)}
    return attempt_id, evidence


def award_credential(
    *,
    user: User,
    certification: Certification,
    version: CertificationVersion,
    record: PersonRecord | None = None,
    issued_at: datetime | None = None,
    actor: User | None = None,
) -> Credential | None:
    """Issue a credential, or return None when the person already holds a live one."""
    record = record if record is not None else person_record(user=user)
    attempt_id, evidence = _evidence(
        user=user, requirements=Requirements.from_json(version.requirements), record=record
    )
    now = issued_at or clock.now()
    try:
        with transaction.atomic():
            credential = Credential.objects.create(
                user=user,
                certification=certification,
                version=version,
                holder_name=holder_name(user),
                issued_at=now,
                expires_at=expiry_for(now, certification.validity_months),
                status_changed_at=now,
                exam_attempt_id=attempt_id,
                evidence=evidence,
            )
            CredentialEvent.objects.create(
                credential=credential,
                action=CredentialEvent.Action.ISSUED,
                actor=actor,
                to_status=Credential.Status.ACTIVE,
                at=now,
                details={"version": version.number},
            )
    except IntegrityError:
        return None
    _after_commit(signals.credential_issued, credential)
    transaction.on_commit(lambda: notify_issued(credential=credential))
    return credential


def renew_credential(*, credential: Credential, evidence: dict, actor: User | None = None) -> Credential | None:
    """Extend an active credential by a full validity period from its current expiry."""
    now = clock.now()
    with transaction.atomic():
        locked = (
            Credential.objects.select_for_update()
            .select_related("certification")
            .filter(pk=credential.pk, status=Credential.Status.ACTIVE)
            .first()
        )
        if locked is None or not locked.certification.validity_months or locked.expires_at is None:
            return None
        # Renewed already in this window: the same evidence must not renew twice.
        if locked.renewed_at and locked.renewed_at >= renewal_window_opens(
            locked.expires_at, locked.certification.renewal_window_days
        ):
            return None
        previous = locked.expires_at
        locked.expires_at = renewed_expiry(previous, now, locked.certification.validity_months)
        locked.renewed_at = now
        locked.save(update_fields=["expires_at", "renewed_at"])
        CredentialEvent.objects.create(
            credential=locked,
            action=CredentialEvent.Action.RENEWED,
            actor=actor,
            from_status=locked.status,
            to_status=locked.status,
            at=now,
            details={**evidence, "previous_expiry": previous.isoformat(), "new_expiry": locked.expires_at.isoformat()},
        )
    _after_commit(signals.credential_renewed, locked)
    return locked


def recertify_credential(
    *, credential: Credential, version: CertificationVersion, record: PersonRecord
) -> Credential | None:
    """Replace a credential earned under an earlier version by one under `version`."""
    now = clock.now()
    with transaction.atomic():
        updated = Credential.objects.filter(pk=credential.pk, status=Credential.Status.ACTIVE).update(
            status=Credential.Status.SUPERSEDED, status_changed_at=now
        )
        if not updated:
            return None
        CredentialEvent.objects.create(
            credential=credential,
            action=CredentialEvent.Action.SUPERSEDED,
            from_status=Credential.Status.ACTIVE,
            to_status=Credential.Status.SUPERSEDED,
            at=now,
            details={"version": version.number},
        )
        new = award_credential(
            user=credential.user, certification=version.certification, version=version, record=record, issued_at=now
        )
        if new is None:
            transaction.set_rollback(True)
            return None
        Credential.objects.filter(pk=credential.pk).update(superseded_by=new)
    return new


def evaluate_people(*, user_ids) -> int:
    """Evaluate several people, for example everyone affected by a new version."""
    count = 0
    for user in User.objects.filter(Q(pk__in=list(user_ids)), is_active=True):
        count += len(evaluate_person(user=user))
    return count


def _after_commit(signal, credential: Credential) -> None:
    transaction.on_commit(
        lambda: signal.send(
            sender=Credential, credential=credential, user=credential.user, certification=credential.certification
        )
    )
