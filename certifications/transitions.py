"""Which manual status changes a credential allows. Pure data and one function."""

from __future__ import annotations

from enum import StrEnum


class ManualAction(StrEnum):
    REVOKE = "revoke"
    SUSPEND = "suspend"
    REINSTATE = "reinstate"


# action -> (statuses it may start from, the status it leads to; None: decided by expiry)
TRANSITIONS: dict[ManualAction, tuple[frozenset[str], str | None]] = {
    ManualAction.REVOKE: (frozenset({"active", "suspended", "expired"}), "revoked"),
    ManualAction.SUSPEND: (frozenset({"active"}), "suspended"),
    ManualAction.REINSTATE: (frozenset({"revoked", "suspended"}), None),
}


def allowed_actions(status: str) -> list[ManualAction]:
    return [action for action, (sources, _target) in TRANSITIONS.items() if status in sources]


def target_status(action: ManualAction, *, expired: bool) -> str:
    """Reinstating a credential whose expiry has passed makes it expired, not active."""
    target = TRANSITIONS[action][1]
    if target is None:
        return "expired" if expired else "active"
    return target
