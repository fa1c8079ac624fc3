"""The words of the case loop: states, actions, channels, levels, severities.

The closed vocabularies are ``Literal`` types (what callers' editors and mypy see) and the
tuples the checks use are read from them, so the two cannot differ."""

from __future__ import annotations

from enum import StrEnum
from typing import Final, Literal, get_args


class State(StrEnum):
    """Where a case stands. The seeds' words for each are in ``docs/cases.md``."""

    REPORTED = "reported"
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    TRIAGED = "triaged"
    DISPATCHED = "dispatched"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"
    INFORMED = "informed"
    VISITED = "visited"
    CLOSED = "closed"
    WITHDRAWN = "withdrawn"
    MERGED = "merged"


class Action(StrEnum):
    """What can happen to a case; every action is one event in its history."""

    REPORT = "report"
    ACCEPT = "accept"
    REJECT = "reject"
    TRIAGE = "triage"
    DISPATCH = "dispatch"
    START = "start"
    RESOLVE = "resolve"
    INFORM = "inform"
    VISIT = "visit"
    CLOSE = "close"
    WITHDRAW = "withdraw"
    MERGE = "merge"
    ESCALATE = "escalate"
    ALARM = "alarm"  # another alarm from the same device, folded into the open case
    ABSORB = "absorb"  # another case was merged into this one
    HAND_OVER = "hand_over"  # its staff lead or co-operator left or moved: a successor takes over


S = State
UNRESOLVED: Final = frozenset({S.REPORTED, S.ACCEPTED, S.TRIAGED, S.DISPATCHED, S.IN_PROGRESS})
"""Open and not yet resolved: deadlines run, the reporter may withdraw, it may be merged."""
DONE: Final = frozenset({S.RESOLVED, S.INFORMED, S.VISITED, S.CLOSED})
"""Resolved (and possibly informed, visited, closed)."""
TERMINAL: Final = frozenset({S.CLOSED, S.REJECTED, S.WITHDRAWN, S.MERGED})
LIVE: Final = frozenset(State) - TERMINAL
"""Not in a terminal state: someone still answers for the case (a reopening may follow)."""
EXCLUDED: Final = frozenset({S.REJECTED, S.WITHDRAWN, S.MERGED})
"""Not counted among accepted cases in the metrics."""

ActionName = Literal[
    "accept",
    "reject",
    "triage",
    "dispatch",
    "start",
    "resolve",
    "inform",
    "visit",
    "close",
    "withdraw",
    "merge",
    "escalate",
]
"""The actions callers take (``cases.act``); report, alarm, absorb and hand_over happen at
intake, on a merge and when staff leave or move."""

Channel = Literal[
    "resident", "grid_visit", "hotline", "meeting", "micro_wish", "service_order", "sensor"
]
Level = Literal["grid", "community", "town", "county"]
Severity = Literal["critical", "urgent", "normal", "complex"]
RejectKind = Literal["invalid", "duplicate", "out_of_remit"]

CHANNELS: Final[dict[Channel, str]] = {
    "resident": "居民随手拍 resident report",
    "grid_visit": "网格员走访 grid worker's visit",
    "hotline": "热线 hotline",
    "meeting": "议事会 deliberation meeting",
    "micro_wish": "微心愿 micro-wish",
    "service_order": "服务点单 service order",
    "sensor": "智能感知 sensor alarm",
}

LEVELS: Final[tuple[Level, ...]] = get_args(Level)
"""Owner levels, lowest first: escalation moves one step right."""

SEVERITIES: Final[tuple[Severity, ...]] = get_args(Severity)
"""Urgency tiers for deadlines: 紧急, 加急, 一般, 疑难复杂."""

REJECT_KINDS: Final[tuple[RejectKind, ...]] = get_args(RejectKind)

LEAD_KINDS: Final = ("staff", "department")

SATISFIED_MIN: Final = 3
"""A rating of 3 (基本满意) or more is satisfied; 1-2 (不满意) reopens the case."""
RATING_RANGE: Final = range(1, 6)

# permission actions passed to ``ctx.authorize``
CASE_REPORT: Final = "case.report"
CASE_HANDLE: Final = "case.handle"
CASE_WITHDRAW: Final = "case.withdraw"
CASE_READ: Final = "case.read"
CASE_SETTINGS: Final = "case.settings"
"""Changing the store's case options (the alarm-folding window)."""
CASE_ACTIONS: Final = (CASE_REPORT, CASE_HANDLE, CASE_WITHDRAW, CASE_READ, CASE_SETTINGS)

KIND_LEVEL: Final = {
    "grid": "grid",
    "compound": "grid",
    "community": "community",
    "village": "community",
    "town": "town",
    "street": "town",
    "county": "county",
    "district": "county",
    "city": "county",
    "province": "county",
}
"""The owner level a unit of each kind stands for."""
