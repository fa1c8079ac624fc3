"""The steps of FixMyStreet's statuses: an update's status, in upper case,
becomes the one step of the case loop that leads there from the case's state. The table below
is the whole mapping; a status with no step from the current state is a 409, ``OPEN`` (a bare
comment: the case loop keeps no comments) a 400."""

from __future__ import annotations

from typing import Final

from commgov.api.open311.errors import Open311Error, invalid
from commgov.cases.model.vocab import UNRESOLVED

_OPEN: Final = tuple(sorted(s.value for s in UNRESOLVED))
STEPS: Final[dict[str, dict[str, str]]] = {
    "INVESTIGATING": {"reported": "accept", "accepted": "triage"},
    "ACTION_SCHEDULED": {"triaged": "dispatch"},
    "IN_PROGRESS": {"dispatched": "start"},
    "FIXED": {"in_progress": "resolve", "resolved": "inform"},
    "CLOSED": {"informed": "close", "visited": "close"} | {s: "withdraw" for s in _OPEN},
    "REOPEN": {"informed": "visit"},
    "DUPLICATE": {"reported": "reject"} | {s: "merge" for s in _OPEN if s != "reported"},
    "NOT_COUNCILS_RESPONSIBILITY": {"reported": "reject"},
    "NO_FURTHER_ACTION": {"reported": "reject"},
    "INTERNAL_REFERRAL": {s: "escalate" for s in _OPEN},
}
"""Posted status → the case's state → the action taken. ``CLOSED`` on an informed case with
``attribute[rating]`` is the satisfaction visit (3-5); ``REOPEN`` needs a rating of 1-2."""
REJECT_KINDS: Final = {
    "DUPLICATE": "duplicate",
    "NOT_COUNCILS_RESPONSIBILITY": "out_of_remit",
    "NO_FURTHER_ACTION": "invalid",
}
KNOWN: Final = ("OPEN", *STEPS)


def command(
    status: str,
    state: str,
    *,
    note: str | None,
    attachments: tuple[str, ...],
    attributes: dict[str, list[str]],
) -> dict[str, object]:
    """The case command (``cases.act``) a posted update makes on a case in ``state``."""
    if status not in KNOWN:
        raise invalid("status", status, f"expected one of {', '.join(KNOWN)} (upper case)")
    if status == "OPEN":
        raise invalid("status", status, "the case loop keeps no comments: post a status step")
    action = STEPS[status].get(state)
    if action is None:
        takes = ", ".join(STEPS[status])
        raise Open311Error(409, f"status={status!r}: no step from {state}; it applies to {takes}")
    rating = _whole(attributes, "rating")
    if action == "close" and state == "informed" and rating is not None:
        action = "visit"
    found: dict[str, object] = {"action": action, "note": note, "attachments": attachments}
    if action == "visit":
        if rating is None:
            raise Open311Error(400, "attribute[rating] is required: 1-5 (1-2 reopens)")
        if (rating < 3) != (status == "REOPEN"):
            raise invalid("attribute[rating]", rating, "REOPEN takes 1-2, CLOSED 3-5")
        found["rating"] = rating
    if action == "resolve" and not note:
        raise Open311Error(400, "description is required for FIXED: say what was done")
    if action == "reject":
        found["kind"] = REJECT_KINDS[status]
        found["note"] = note or status.replace("_", " ").lower()
    if status == "DUPLICATE":
        duplicate = _whole(attributes, "duplicate_of")
        if duplicate is None:
            raise Open311Error(400, "attribute[duplicate_of] is required for DUPLICATE")
        found["duplicate_of" if action == "reject" else "into"] = duplicate
    return found


def _whole(attributes: dict[str, list[str]], code: str) -> int | None:
    values = [v for v in attributes.get(code, []) if v]
    if not values:
        return None
    text = values[-1]
    if not text.isascii() or not text.isdigit() or len(text) > 9:
        raise invalid(f"attribute[{code}]", text, "expected a whole number")
    return int(text)
