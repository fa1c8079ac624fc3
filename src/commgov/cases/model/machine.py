"""The case lifecycle as a pure state machine: ``decide`` checks an action against a case and
returns the event it makes; ``apply`` folds an event into a case; ``replay`` rebuilds a case
from its history. What each action may do is the table in ``actions``; nothing here reads a
clock, a rule or a database."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from typing import Any, Final

import attrs

from commgov.cases.model.actions import ACTIONS, check_report
from commgov.cases.model.case import Case, Event, stamp, when
from commgov.cases.model.numbers import CaseNumber
from commgov.cases.model.vocab import LEVELS, UNRESOLVED, Action, State
from commgov.errors import StateError, ValidationError

__all__ = [
    "allowed_actions",
    "apply",
    "decide",
    "next_level",
    "number_case",
    "open_case",
    "replay",
    "stamp",
    "step",
    "when",
]

A, S = Action, State


def allowed_actions(case: Case) -> list[Action]:
    """The actions ``decide`` would accept in the case's state (ignoring their data)."""
    return [a for a, rule in ACTIONS.items() if rule.allows(case)]


def open_case(
    case_id: int, *, at: dt.datetime, actor: str, data: Mapping[str, Any], note: str | None = None
) -> tuple[Case, Event]:
    """The first event of a case (``report``) and the case it makes."""
    check_report(data)
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


def number_case(
    case: Case, report: Event, *, town_id: int, number: CaseNumber
) -> tuple[Case, Event]:
    """The case and its report event with the case's town and number (given when the case is
    written, so a case that is never written takes no number)."""
    if report.action is not A.REPORT or report.case_id != case.id:
        raise ValueError(f"event {report.seq} of case {report.case_id} is not {case.id}'s report")
    data = {**report.data, "town_id": town_id, "number": str(number)}
    return _evolve(case, {"town_id": town_id, "number": number}), attrs.evolve(report, data=data)


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
        town_id=d.get("town_id"),
        number=CaseNumber.parse(d["number"]) if d.get("number") else None,
        resolve_within=(
            dt.timedelta(seconds=d["resolve_within"]) if d.get("resolve_within") else None
        ),
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
    rule = ACTIONS[act]
    payload = dict(data or {})
    if rule.check is not None:
        rule.check(case, note, payload)
    if case.state not in rule.sources:
        raise StateError(f"case {case.id} is {case.state.value}: cannot {act.value}")
    refusal = rule.refuse(case) if rule.refuse is not None else None
    if refusal is not None:
        raise StateError(f"case {case.id} is {case.state.value} {refusal}: cannot {act.value}")
    return Event(
        case_id=case.id,
        seq=case.version + 1,
        action=act,
        actor=actor,
        at=at,
        from_state=case.state,
        to_state=rule.to_state(case, payload),
        note=note,
        attachments=tuple(attachments),
        data=payload,
    )


def step(case: Case, action: Action | str, **kwargs: Any) -> tuple[Case, Event]:
    """``decide`` then ``apply``: the new case and the event that made it."""
    event = decide(case, action, **kwargs)
    return apply(case, event), event


def apply(case: Case, event: Event) -> Case:
    """Fold one event into a case. Pure: the same case and event always give the same case."""
    at = event.at
    changes: dict[str, Any] = {"state": event.to_state, "version": event.seq}
    if case.state in UNRESOLVED:  # deadlines in force before this event
        if case.responded_at is None and at > case.response_due:
            changes["response_late"] = True
        if at > case.resolve_due:
            changes["resolve_late"] = True
    effect = ACTIONS[event.action].effect
    if effect is not None:
        changes.update(effect(case, event))
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


def next_level(level: str) -> str:
    """The owner level one step up; ``StateError`` above the top."""
    index = LEVELS.index(level)
    if index + 1 >= len(LEVELS):
        raise StateError(f"owner level {level} is the top level")
    return LEVELS[index + 1]
