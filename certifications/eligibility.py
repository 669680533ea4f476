"""Whether a person meets a certification's requirements, and what is still missing.

Pure Python over plain data: the services load the facts, this module decides.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum


@dataclass(frozen=True)
class Requirements:
    course_ids: frozenset[int] = frozenset()
    exam_id: int | None = None
    minimum_score: Decimal = Decimal(70)
    prerequisite_ids: frozenset[int] = frozenset()

    @classmethod
    def from_json(cls, data: Mapping) -> Requirements:
        return cls(
            course_ids=frozenset(int(pk) for pk in data.get("courses", ())),
            exam_id=int(data["exam"]) if data.get("exam") else None,
            minimum_score=Decimal(str(data.get("minimum_score", 70))),
            prerequisite_ids=frozenset(int(pk) for pk in data.get("prerequisites", ())),
        )

    def to_json(self) -> dict:
        return {
            "courses": sorted(self.course_ids),
            "exam": self.exam_id,
            "minimum_score": int(self.minimum_score),
            "prerequisites": sorted(self.prerequisite_ids),
        }

    @property
    def is_empty(self) -> bool:
        return not self.course_ids and self.exam_id is None and not self.prerequisite_ids


@dataclass(frozen=True)
class ExamResult:
    attempt_id: int
    score: Decimal


@dataclass(frozen=True)
class PersonRecord:
    """What one person has done: course completions, best exam results, live credentials."""

    completed_course_ids: frozenset[int] = frozenset()
    best_exam_results: Mapping[int, ExamResult] = field(default_factory=dict)
    held_certification_ids: frozenset[int] = frozenset()


class GapKind(StrEnum):
    COURSE = "course"
    EXAM = "exam"
    PREREQUISITE = "prerequisite"


@dataclass(frozen=True)
class Gap:
    kind: GapKind
    target_id: int
    best_score: Decimal | None = None  # for an exam taken but below the minimum


@dataclass(frozen=True)
class Assessment:
    met: bool
    gaps: tuple[Gap, ...]
    exam_result: ExamResult | None
    done: int
    total: int


def assess(requirements: Requirements, record: PersonRecord) -> Assessment:
    """Every missing course, exam and prerequisite, in a stable order."""
    gaps: list[Gap] = [
        Gap(GapKind.PREREQUISITE, pk) for pk in sorted(requirements.prerequisite_ids - record.held_certification_ids)
    ]
    gaps += [Gap(GapKind.COURSE, pk) for pk in sorted(requirements.course_ids - record.completed_course_ids)]
    exam_result = None
    if requirements.exam_id is not None:
        result = record.best_exam_results.get(requirements.exam_id)
        if result is not None and result.score >= requirements.minimum_score:
            exam_result = result
        else:
            gaps.append(Gap(GapKind.EXAM, requirements.exam_id, result.score if result else None))
    total = len(requirements.prerequisite_ids) + len(requirements.course_ids) + (requirements.exam_id is not None)
    return Assessment(
        met=not gaps and not requirements.is_empty,
        gaps=tuple(gaps),
        exam_result=exam_result,
        done=total - len(gaps),
        total=total,
    )
