"""What attending an activity pays, as pure rules."""

from __future__ import annotations


def points_quantity(minutes: int, per: str) -> int:
    """The quantity a points rule is applied to: once for a per-occurrence rule; the hours
    served, rounded half up and at least one, for an hourly rule."""
    if per != "hour":
        return 1
    return max(1, (minutes + 30) // 60)


def round_key(activity_id: int, resident_id: int, paid_round: int, what: str) -> tuple[object, ...]:
    """The key of one payment (``points`` or ``time``) of one round, or its reversal
    (``undo-points``, ``undo-time``): the ledgers refuse a second transfer under it, so
    attending once pays once."""
    return ("activity", activity_id, resident_id, paid_round, what)
