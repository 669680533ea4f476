"""The pure requirement check: what is met, what is missing, in a stable order."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from certifications.eligibility import ExamResult, GapKind, PersonRecord, Requirements, assess

REQUIREMENTS = Requirements(
    course_ids=frozenset({1, 2}), exam_id=10, minimum_score=Decimal(80), prerequisite_ids=frozenset({7})
)


def test_everything_done_meets_the_requirements_and_names_the_exam_attempt():
    record = PersonRecord(
        completed_course_ids=frozenset({1, 2, 3}),
        best_exam_results={10: ExamResult(attempt_id=55, score=Decimal("80.00"))},
        held_certification_ids=frozenset({7}),
    )
    result = assess(REQUIREMENTS, record)
    assert result.met and result.gaps == ()
    assert result.exam_result == ExamResult(55, Decimal("80.00"))
    assert (result.done, result.total) == (4, 4)


def test_a_score_below_the_minimum_is_a_gap_that_reports_the_best_score():
    record = PersonRecord(
        completed_course_ids=frozenset({1, 2}),
        best_exam_results={10: ExamResult(attempt_id=9, score=Decimal("79.99"))},
        held_certification_ids=frozenset({7}),
    )
    result = assess(REQUIREMENTS, record)
    assert not result.met
    assert [(gap.kind, gap.target_id, gap.best_score) for gap in result.gaps] == [(GapKind.EXAM, 10, Decimal("79.99"))]


def test_gaps_list_prerequisites_then_courses_then_the_exam():
    result = assess(REQUIREMENTS, PersonRecord())
    assert [(gap.kind, gap.target_id) for gap in result.gaps] == [
        (GapKind.PREREQUISITE, 7),
        (GapKind.COURSE, 1),
        (GapKind.COURSE, 2),
        (GapKind.EXAM, 10),
    ]
    assert (result.done, result.total) == (0, 4)


def test_a_certification_without_requirements_is_never_met():
    assert not assess(Requirements(), PersonRecord(completed_course_ids=frozenset({1}))).met


def test_requirements_survive_their_json_form():
    assert Requirements.from_json(REQUIREMENTS.to_json()) == REQUIREMENTS


ids = st.frozensets(st.integers(min_value=1, max_value=12), max_size=6)


@given(courses=ids, prerequisites=ids, completed=ids, held=ids, score=st.none() | st.integers(0, 100))
def test_met_exactly_when_every_part_is_done(courses, prerequisites, completed, held, score):
    requirements = Requirements(
        course_ids=courses, exam_id=99, minimum_score=Decimal(70), prerequisite_ids=prerequisites
    )
    results = {} if score is None else {99: ExamResult(1, Decimal(score))}
    record = PersonRecord(completed_course_ids=completed, best_exam_results=results, held_certification_ids=held)
    result = assess(requirements, record)
    expected = courses <= completed and prerequisites <= held and score is not None and score >= 70
    assert result.met == expected
    assert result.done + len(result.gaps) == result.total
