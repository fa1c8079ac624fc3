"""A case and its events as plain values. ``Case`` holds exactly what replaying events yields;
``ReportDetails`` what the reporter gave (text, address, point, photos, a phone to call back),
which no event changes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import attrs

from commgov.cases.model.numbers import CaseNumber
from commgov.cases.model.vocab import Action, State


@attrs.frozen
class ReportDetails:
    """The descriptive fields of a report, stored on the case row beside its state."""

    text: str
    address: str | None = None
    lat: float | None = None
    lon: float | None = None
    photos: tuple[str, ...] = ()
    contact: bytes | None = attrs.field(default=None, repr=False)
    """The reporter's phone, encrypted with the store's key (shown masked only)."""


@attrs.frozen
class Lead:
    """Who leads the work: a staff member (``ref`` = staff id) or a department (its code)."""

    kind: str
    ref: str

    def label(self) -> str:
        return f"{self.kind}:{self.ref}"

    @classmethod
    def parse(cls, label: str) -> Lead:
        kind, _, ref = label.partition(":")
        return cls(kind, ref)


def when(value: str) -> dt.datetime:
    """A time stored in event data (ISO 8601 with offset)."""
    return dt.datetime.fromisoformat(value)


def stamp(value: dt.datetime) -> str:
    """A time as event data stores it: ISO 8601 in UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat()


@attrs.frozen
class Event:
    """One immutable step of a case's history. ``data`` carries what the step decided
    (deadlines, lead, rating …) so that replay needs no rules and no database."""

    case_id: int
    seq: int
    action: Action
    actor: str
    at: dt.datetime
    from_state: State | None
    to_state: State
    note: str | None = None
    attachments: tuple[str, ...] = ()
    data: dict[str, Any] = attrs.field(factory=dict, eq=True)


@attrs.frozen
class Case:
    """The lifecycle state of one case (descriptive fields such as the text live on the row).
    ``town_id`` and ``number`` are set when the case is written (its report event carries
    them): the town-level unit the case is numbered in, and its number there."""

    id: int
    unit_id: int
    channel: str
    state: State
    reported_at: dt.datetime
    response_due: dt.datetime
    resolve_due: dt.datetime
    severity: str = "normal"
    category: str | None = None
    owner_level: str = "grid"
    lead: Lead | None = None
    co_operators: tuple[str, ...] = ()
    reporter: str = ""
    household_id: int | None = None
    device_id: str | None = None
    alarm_count: int = 0
    last_alarm_at: dt.datetime | None = None
    responded_at: dt.datetime | None = None
    resolved_at: dt.datetime | None = None
    closed_at: dt.datetime | None = None
    response_late: bool = False
    resolve_late: bool = False
    response_seconds: int | None = None
    resolve_seconds: int | None = None
    rating: int | None = None
    reopen_count: int = 0
    escalations: int = 0
    resolved_level: str | None = None
    merged_into: int | None = None
    merged_count: int = 0
    duplicate_of: int | None = None
    reject_kind: str | None = None
    version: int = 1
    town_id: int | None = None
    number: CaseNumber | None = None
    resolve_within: dt.timedelta | None = None
    """The case's own time to resolve (a service order's time limit), replacing the
    deadline rule's at the report, triage, escalation and reopening."""
