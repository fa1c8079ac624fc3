"""The case lifecycle as a pure state machine: ``decide`` checks an action against a case and
returns the event it makes; ``apply`` folds an event into a case; ``replay`` rebuilds a case
from its history. Nothing here reads a clock, a rule or a database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, Final

import attrs

from commgov.cases.model.case import Case, Event, Lead
from commgov.cases.model.vocab import (
    LEAD_KINDS,
    LEVELS,
    RATING_RANGE,
    REJECT_KINDS,
    SATISFIED_MIN,
    SEVERITIES,
    UNRESOLVED,
    Action,
    State,
)
from commgov.errors import StateError, ValidationError

A, S = Action, State
ALLOWED: Final[Mapping[Action, frozenset[State]]] = {
    A.ACCEPT: frozenset({S.REPORTED}),
    A.REJECT: frozenset({S.REPORTED}),
    A.TRIAGE: frozenset({S.ACCEPTED}),
    A.DISPATCH: frozenset({S.TRIAGED}),
    A.START: frozenset({S.DISPATCHED}),
    A.RESOLVE: frozenset({S.IN_PROGRESS}),
    A.INFORM: frozenset({S.RESOLVED}),
    A.VISIT: frozenset({S.INFORMED}),
    A.CLOSE: frozenset({S.INFORMED, S.VISITED}),
    A.WITHDRAW: UNRESOLVED,
    A.MERGE: UNRESOLVED,
    A.ESCALATE: UNRESOLVED,
    A.ALARM: UNRESOLVED,
    A.ABSORB: UNRESOLVED,
}
"""For each action, the states it may be taken from."""

_SIMPLE_TARGET: Final[Mapping[Action, State]] = {
    A.ACCEPT: S.ACCEPTED,
    A.REJECT: S.REJECTED,
    A.TRIAGE: S.TRIAGED,
    A.DISPATCH: S.DISPATCHED,
    A.START: S.IN_PROGRESS,
    A.RESOLVE: S.RESOLVED,
    A.INFORM: S.INFORMED,
    A.CLOSE: S.CLOSED,
    A.WITHDRAW: S.WITHDRAWN,
    A.MERGE: S.MERGED,
}


def when(value: str) -> dt.datetime:
    """A time stored in event data (ISO 8601 with offset)."""
    return dt.datetime.fromisoformat(value)


def stamp(value: dt.datetime) -> str:
    """A time as event data stores it: ISO 8601 in UTC."""
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).isoformat()


def allowed_actions(case: Case) -> list[Action]:
    """The actions ``decide`` would accept in the case's state (ignoring their data)."""
    found = [a for a, states in ALLOWED.items() if case.state in states]
    if case.owner_level == LEVELS[-1] and A.ESCALATE in found:
        found.remove(A.ESCALATE)
    return found


def target_state(case: Case, action: Action, data: Mapping[str, Any]) -> State:
    if action in _SIMPLE_TARGET:
        return _SIMPLE_TARGET[action]
    if action is A.VISIT:
        return S.VISITED if int(data["rating"]) >= SATISFIED_MIN else S.IN_PROGRESS
    if action is A.ESCALATE:
        return case.state if case.state in (S.REPORTED, S.ACCEPTED) else S.TRIAGED
    return case.state  # ALARM, ABSORB


def open_case(
    case_id: int, *, at: dt.datetime, actor: str, data: Mapping[str, Any], note: str | None = None
) -> tuple[Case, Event]:
    """The first event of a case (``report``) and the case it makes."""
    _check_report(data)
    event = Event(
        case_id=case_id,
        seq=1,
        action=A.REPORT,
        actor=actor,
        at=at,
        from_state=None,
        to_state=S.REPORTED,
        note=note,
        attachments=tuple(data.get("photos", ())),
        data=dict(data),
    )
    return _created(event), event


def _created(event: Event) -> Case:
    d = event.data
    sensor = d.get("device_id") is not None
    return Case(
        id=event.case_id,
        unit_id=int(d["unit_id"]),
        channel=str(d["channel"]),
        state=S.REPORTED,
        reported_at=event.at,
        response_due=when(d["response_due"]),
        resolve_due=when(d["resolve_due"]),
        severity=str(d["severity"]),
        category=d.get("category"),
        owner_level=str(d.get("owner_level", LEVELS[0])),
        reporter=event.actor,
        household_id=d.get("household_id"),
        device_id=d.get("device_id"),
        alarm_count=1 if sensor else 0,
        last_alarm_at=event.at if sensor else None,
        version=1,
    )


def decide(
    case: Case,
    action: Action | str,
    *,
    at: dt.datetime,
    actor: str,
    note: str | None = None,
    attachments: Iterable[str] = (),
    data: Mapping[str, Any] | None = None,
) -> Event:
    """The event ``action`` makes on ``case``, or ``StateError``/``ValidationError`` (nothing
    changes: the case is a value)."""
    try:
        act = Action(action)
    except ValueError:
        known = ", ".join(a.value for a in Action if a is not A.REPORT)
        raise ValidationError("action", action, f"unknown; known: {known}") from None
    payload = dict(data or {})
    _check(case, act, note, payload)
    if case.state not in ALLOWED.get(act, frozenset()):
        raise StateError(f"case {case.id} is {case.state.value}: cannot {act.value}")
    if act is A.ESCALATE and case.owner_level == LEVELS[-1]:
        raise StateError(
            f"case {case.id} is {case.state.value} at the top level "
            f"({case.owner_level}): cannot {act.value}"
        )
    return Event(
        case_id=case.id,
        seq=case.version + 1,
        action=act,
        actor=actor,
        at=at,
        from_state=case.state,
        to_state=target_state(case, act, payload),
        note=note,
        attachments=tuple(attachments),
        data=payload,
    )


def step(case: Case, action: Action | str, **kwargs: Any) -> tuple[Case, Event]:
    """``decide`` then ``apply``: the new case and the event that made it."""
    event = decide(case, action, **kwargs)
    return apply(case, event), event


def _require(data: Mapping[str, Any], key: str, allowed: Iterable[str] | None = None) -> None:
    value = data.get(key)
    if value is None:
        raise ValidationError(key, value, "required")
    if allowed is not None and value not in tuple(allowed):
        raise ValidationError(key, value, f"expected one of {', '.join(allowed)}")


def _check_report(data: Mapping[str, Any]) -> None:
    for key in ("unit_id", "channel", "response_due", "resolve_due"):
        _require(data, key)
    _require(data, "severity", SEVERITIES)


def _check(case: Case, act: Action, note: str | None, data: Mapping[str, Any]) -> None:
    """Data each action needs; a bad value is a ``ValidationError`` naming it."""
    if act is A.REJECT:
        _require(data, "kind", REJECT_KINDS)
        if not note or not note.strip():
            raise ValidationError("reason", note, "say why the case is rejected")
        if data["kind"] == "duplicate":
            _check_other(case, data.get("duplicate_of"), "duplicate_of")
    elif act is A.TRIAGE:
        _require(data, "severity", SEVERITIES)
        _require(data, "owner_level", LEVELS)
        _require(data, "response_due")
        _require(data, "resolve_due")
    elif act is A.DISPATCH:
        _require(data, "lead")
        if Lead.parse(str(data["lead"])).kind not in LEAD_KINDS:
            raise ValidationError("lead", data["lead"], f"kind must be one of {LEAD_KINDS}")
    elif act is A.RESOLVE:
        if not note or not note.strip():
            raise ValidationError("outcome", note, "say what was done")
    elif act is A.VISIT:
        _check_rating(case, data.get("rating"))
        if int(data["rating"]) < SATISFIED_MIN:
            _require(data, "resolve_due")
    elif act is A.MERGE:
        _check_other(case, data.get("into"), "into")
    elif act is A.ESCALATE:
        _require(data, "owner_level", LEVELS)
        _require(data, "response_due")
        _require(data, "resolve_due")
    elif act is A.ABSORB:
        _check_other(case, data.get("merged"), "merged")


def _check_rating(case: Case, rating: object) -> None:
    if isinstance(rating, bool) or not isinstance(rating, int) or rating not in RATING_RANGE:
        raise ValidationError("rating", rating, "expected a whole number from 1 to 5")
    if case.state is S.VISITED:
        raise ValidationError(
            "rating", rating, f"case {case.id} was already rated {case.rating} at this visit"
        )


def _check_other(case: Case, other: object, field: str) -> None:
    if isinstance(other, bool) or not isinstance(other, int):
        raise ValidationError(field, other, "expected a case id")
    if other == case.id:
        raise ValidationError(field, other, "a case cannot refer to itself")


def apply(case: Case, event: Event) -> Case:
    """Fold one event into a case. Pure: the same case and event always give the same case."""
    d, at = event.data, event.at
    changes: dict[str, Any] = {"state": event.to_state, "version": event.seq}
    if case.state in UNRESOLVED:  # deadlines in force before this event
        if case.responded_at is None and at > case.response_due:
            changes["response_late"] = True
        if at > case.resolve_due:
            changes["resolve_late"] = True
    act = event.action
    if act is A.REJECT:
        changes["reject_kind"] = d["kind"]
        changes["duplicate_of"] = d.get("duplicate_of")
    elif act is A.TRIAGE:
        changes.update(
            category=d.get("category"),
            severity=d["severity"],
            owner_level=d["owner_level"],
            response_due=when(d["response_due"]),
            resolve_due=when(d["resolve_due"]),
        )
    elif act is A.DISPATCH:
        changes["lead"] = Lead.parse(str(d["lead"]))
        changes["co_operators"] = tuple(d.get("co_operators", ()))
        if case.responded_at is None:
            changes["responded_at"] = at
            changes["response_seconds"] = _seconds(case.reported_at, at)
    elif act is A.RESOLVE:
        changes.update(
            resolved_at=at,
            resolve_seconds=_seconds(case.reported_at, at),
            resolved_level=case.owner_level,
        )
    elif act is A.VISIT:
        changes["rating"] = int(d["rating"])
        if event.to_state is S.IN_PROGRESS:
            changes["reopen_count"] = case.reopen_count + 1
            changes["resolve_due"] = when(d["resolve_due"])
            changes["resolve_seconds"] = None  # set again when resolved again
    elif act is A.CLOSE:
        changes["closed_at"] = at
    elif act is A.MERGE:
        changes["merged_into"] = int(d["into"])
    elif act is A.ESCALATE:
        changes.update(
            owner_level=d["owner_level"],
            response_due=when(d["response_due"]),
            resolve_due=when(d["resolve_due"]),
            escalations=case.escalations + 1,
        )
        if event.to_state is S.TRIAGED:
            changes["lead"] = None
            changes["co_operators"] = ()
    elif act is A.ALARM:
        changes["alarm_count"] = case.alarm_count + 1
        changes["last_alarm_at"] = at
    elif act is A.ABSORB:
        changes["merged_count"] = case.merged_count + 1
    return _evolve(case, changes)


_FIELDS: Final = tuple(f.name for f in attrs.fields(Case))


def _evolve(case: Case, changes: dict[str, Any]) -> Case:
    """``attrs.evolve`` without its per-call introspection (this runs once per event)."""
    values = {name: getattr(case, name) for name in _FIELDS}
    values.update(changes)
    return Case(**values)


def replay(events: Iterable[Event]) -> Case:
    """The case its history makes: the first event must be ``report``, then in ``seq`` order."""
    case: Case | None = None
    for event in events:
        if case is None:
            if event.action is not A.REPORT or event.seq != 1:
                raise ValueError(f"history of case {event.case_id} does not start with report")
            case = _created(event)
            continue
        if event.seq != case.version + 1:
            raise ValueError(f"case {case.id}: event {event.seq} follows {case.version}")
        case = apply(case, event)
    if case is None:
        raise ValueError("no events to replay")
    return case


def _seconds(start: dt.datetime, end: dt.datetime) -> int:
    return int((end - start).total_seconds())


def next_level(level: str) -> str:
    """The owner level one step up; ``StateError`` above the top."""
    index = LEVELS.index(level)
    if index + 1 >= len(LEVELS):
        raise StateError(f"owner level {level} is the top level")
    return LEVELS[index + 1]
