"""Values the case rule hooks receive and return (plain attrs, safe to hand to plugins)."""

from __future__ import annotations

import datetime as dt

import attrs

from commgov.cases.model.case import Lead


@attrs.frozen
class CaseInfo:
    """What a rule hook sees of a case: codes and levels, no personal data."""

    id: int | None
    unit_code: str
    unit_path: str
    channel: str
    category: str | None
    severity: str
    owner_level: str
    text: str = ""
    lat: float | None = None
    lon: float | None = None
    device_id: str | None = None
    reporter_household_id: int | None = None


@attrs.frozen
class Triage:
    """The triage hook's answer: who should own the case (and, optionally, its severity)."""

    owner_level: str
    severity: str | None = None


@attrs.frozen
class Candidate:
    """A possible lead: a staff member or a department at one of the units around the case's
    grid; ``level`` is that unit's owner level. ``role_or_kind`` is the core role a staff
    member acts as (or the department's kind); ``role`` is the staff member's own role, which
    may be a plugin's (e.g. ``mediator``), or the department's kind."""

    lead: Lead
    role_or_kind: str
    unit_code: str
    level: str
    role: str = ""


@attrs.frozen
class Routing:
    """The routing hook's answer: the lead and the co-operators — department codes
    (吹哨报到) or staff labels ``staff:<id>`` (e.g. a joint consultation)."""

    lead: Lead
    co_operators: tuple[str, ...] = ()


@attrs.frozen
class Deadlines:
    """Time allowed to respond (dispatch) and to resolve, counted in business time."""

    respond: dt.timedelta
    resolve: dt.timedelta

    def __attrs_post_init__(self) -> None:
        if self.respond <= dt.timedelta(0) or self.resolve <= dt.timedelta(0):
            raise ValueError("deadlines must be positive")


DEFAULT_DEADLINES = {
    "critical": Deadlines(dt.timedelta(hours=1), dt.timedelta(hours=2)),
    "urgent": Deadlines(dt.timedelta(hours=2), dt.timedelta(hours=24)),
    "normal": Deadlines(dt.timedelta(hours=24), dt.timedelta(days=7)),
    "complex": Deadlines(dt.timedelta(hours=24), dt.timedelta(days=15)),
}
"""Hotline practice: 1 h / 2 h / 24 h to dispatch; 2 h / 24 h / 7 d / 15 d to resolve."""
