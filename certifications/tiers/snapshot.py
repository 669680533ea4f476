"""An evaluation as JSON, for the audit trail and the standings: every requirement's
required, actual and gap values and whether it was met. The people counted are left out
(the organization page evaluates live to show them); their number is kept."""

from __future__ import annotations

from decimal import Decimal

from certifications.tiers.rules import Evaluation, RequirementResult


def _number(value: Decimal) -> str:
    normalized = value.normalize()
    return format(normalized, "f") if normalized == normalized.to_integral() else str(normalized)


def result_to_json(result: RequirementResult) -> dict:
    data: dict = {
        "id": result.id,
        "kind": str(result.kind),
        "met": result.met,
        "required": _number(result.required),
        "actual": _number(result.actual),
        "gap": _number(result.gap),
        "people": len(result.people),
    }
    if result.best_track is not None:
        data["best_track"] = result.best_track
    if result.children:
        data["children"] = [result_to_json(child) for child in result.children]
    return data


def evaluation_to_json(evaluation: Evaluation, *, gaps: dict[str, list[str]] | None = None) -> dict:
    return {
        "as_of": evaluation.as_of.isoformat(),
        "eligible": evaluation.eligible,
        "next_tier": evaluation.next_tier,
        "tiers": [
            {"code": tier.code, "met": tier.met, "result": result_to_json(tier.result) if tier.result else None}
            for tier in evaluation.tiers
        ],
        "next_gaps": [gap.id for gap in evaluation.next_gaps],
        "gaps": gaps or {},
    }
