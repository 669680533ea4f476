"""Freeze a certification's requirements into versions.

Authors edit the certification itself; after each save, `record_version` compares its
requirements with the latest version and stores a new version when they differ.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, time

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from certifications.eligibility import Requirements
from certifications.models import Certification, CertificationVersion, Credential, CredentialEvent
from certifications.notifications import notify_recertification_required
from courses.models import CoursePage
from lms import clock
from lms.accounts.models import User


class VersionError(ValueError):
    pass


def original_course_ids(course_ids: Iterable[int]) -> frozenset[int]:
    """The original-language page of each chosen course (progress points there,
    whichever language version people used); a course chosen in two languages counts once."""
    keys = CoursePage.objects.filter(pk__in=list(course_ids)).values("translation_key")
    originals: dict = {}
    for pk, key in (
        CoursePage.objects.filter(translation_key__in=keys).order_by("pk").values_list("pk", "translation_key")
    ):
        originals.setdefault(key, pk)
    return frozenset(originals.values())


def current_requirements(certification: Certification) -> Requirements:
    """The requirements as edited now, with courses named by their original-language page."""
    return Requirements(
        course_ids=original_course_ids(certification.required_courses.values_list("pk", flat=True)),
        exam_id=certification.final_exam_id,
        minimum_score=certification.minimum_score,
        prerequisite_ids=frozenset(certification.prerequisites.values_list("pk", flat=True)),
    )


def latest_version(certification: Certification) -> CertificationVersion | None:
    return certification.versions.order_by("-number").first()


@transaction.atomic
def record_version(*, certification: Certification, actor: User | None = None) -> CertificationVersion:
    """The version in force after an edit: the latest one if the requirements did not
    change, else a new one. A new version with a re-certification date shortens the
    credentials earned under earlier versions to that date and tells their holders."""
    Certification.objects.select_for_update().filter(pk=certification.pk).first()
    requirements = current_requirements(certification)
    latest = latest_version(certification)
    if latest is not None and Requirements.from_json(latest.requirements) == requirements:
        return latest
    if certification.prerequisites.filter(pk=certification.pk).exists():
        raise VersionError(_("A certification cannot be its own prerequisite."))
    now = clock.now()
    recertify_by = certification.recertify_by if latest is not None else None
    if recertify_by is not None and recertify_by <= timezone.localdate(now):
        raise VersionError(_("The re-certification date must be in the future."))
    version = CertificationVersion.objects.create(
        certification=certification,
        number=(latest.number + 1) if latest else 1,
        requirements=requirements.to_json(),
        recertify_by=recertify_by,
        created_at=now,
        created_by=actor,
    )
    if recertify_by is not None:
        _require_recertification(version=version, actor=actor, now=now)
    if certification.recertify_by is not None:
        # The date belongs to the version it came with; the next edit starts without one.
        Certification.objects.filter(pk=certification.pk).update(recertify_by=None)
        certification.recertify_by = None
    return version


def _require_recertification(*, version: CertificationVersion, actor: User | None, now: datetime) -> None:
    deadline = timezone.make_aware(datetime.combine(version.recertify_by, time.min))
    affected = Credential.objects.filter(
        certification=version.certification_id, status__in=Credential.LIVE, version__number__lt=version.number
    )
    ids = list(affected.values_list("pk", flat=True))
    if not ids:
        return
    shortened = Credential.objects.filter(pk__in=ids).exclude(expires_at__lt=deadline)
    shortened.update(expires_at=deadline)
    CredentialEvent.objects.bulk_create(
        [
            CredentialEvent(
                credential_id=pk,
                action=CredentialEvent.Action.RECERTIFICATION_REQUIRED,
                actor=actor,
                at=now,
                details={"version": version.number, "recertify_by": version.recertify_by.isoformat()},
            )
            for pk in ids
        ],
        batch_size=1000,
    )
    transaction.on_commit(lambda: notify_recertification_required(credential_ids=ids, version_id=version.pk))
