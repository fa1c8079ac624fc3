"""The case actions as one table. Each entry says, for one action: the states it may be taken
from, the state it leads to, what its data must hold (the check), what it changes on the case
(the effect), the permission it asks for, and whether callers may take it (``cases.act``) or
only intake does (report, alarm, absorb). The state machine (``machine``) reads nothing else.

Adding an action: a member of ``Action`` (and of ``ActionName`` if callers take it), one entry
in ``ACTIONS`` below, its command in ``commgov.cases.views`` and, if the rules decide some of
its data, a branch in ``commgov.cases.service.actions``; ``tests/cases/test_case_actions.py``
walks the table and fails until every part agrees."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final

import attrs

from commgov.cases.model.case import Case, Event, Lead, when
from commgov.cases.model.vocab import (
    CASE_HANDLE,
    CASE_REPORT,
    CASE_WITHDRAW,
    LEAD_KINDS,
    LEVELS,
    LIVE,
    RATING_RANGE,
    REJECT_KINDS,
    SATISFIED_MIN,
    SEVERITIES,
    UNRESOLVED,
    Action,
    State,
)
from commgov.errors import ValidationError

A, S = Action, State

Check = Callable[[Case, str | None, Mapping[str, Any]], None]
"""Checks the note and data an action carries against the case; raises ``ValidationError``."""
Effect = Callable[[Case, Event], Mapping[str, Any]]
"""The fields of the case an event changes, besides state, version and the lateness flags."""
Target = Callable[[Case, Mapping[str, Any]], State]
"""The state an action leads to when that depends on the case or the data."""
Refusal = Callable[[Case], str | None]
"""Why the case refuses the action although its state allows it (``None``: it does not)."""


@attrs.frozen
class ActionRule:
    """One row of the table (see the module docstring)."""

    action: Action
    sources: frozenset[State]
    target: State | Target
    permission: str
    check: Check | None = None
    effect: Effect | None = None
    refuse: Refusal | None = None
    public: bool = True

    def allows(self, case: Case) -> bool:
        """Whether ``case`` may take this action now (its data aside)."""
        return case.state in self.sources and (self.refuse is None or self.refuse(case) is None)

    def to_state(self, case: Case, data: Mapping[str, Any]) -> State:
        return self.target if isinstance(self.target, State) else self.target(case, data)


# -- checks ----------------------------------------------------------------------------------


def require(data: Mapping[str, Any], key: str, allowed: Iterable[str] | None = None) -> None:
    value = data.get(key)
    if value is None:
        raise ValidationError(key, value, "required")
    if allowed is not None and value not in tuple(allowed):
        raise ValidationError(key, value, f"expected one of {', '.join(allowed)}")


def check_report(data: Mapping[str, Any]) -> None:
    """The data of a ``report`` event (it opens the case: ``machine.open_case``)."""
    for key in ("unit_id", "channel", "response_due", "resolve_due"):
        require(data, key)
    require(data, "severity", SEVERITIES)


def _other(case: Case, other: object, field: str) -> None:
    if isinstance(other, bool) or not isinstance(other, int):
        raise ValidationError(field, other, "expected a case id")
    if other == case.id:
        raise ValidationError(field, other, "a case cannot refer to itself")


def _said(note: str | None, field: str, why: str) -> None:
    if not note or not note.strip():
        raise ValidationError(field, note, why)


def _deadlines(data: Mapping[str, Any]) -> None:
    require(data, "owner_level", LEVELS)
    require(data, "response_due")
    require(data, "resolve_due")


def _check_reject(case: Case, note: str | None, data: Mapping[str, Any]) -> None:
    require(data, "kind", REJECT_KINDS)
    _said(note, "reason", "say why the case is rejected")
    if data["kind"] == "duplicate":
        _other(case, data.get("duplicate_of"), "duplicate_of")


def _check_triage(case: Case, note: str | None, data: Mapping[str, Any]) -> None:
    require(data, "severity", SEVERITIES)
    _deadlines(data)


def _check_dispatch(case: Case, note: str | None, data: Mapping[str, Any]) -> None:
    require(data, "lead")
    if Lead.parse(str(data["lead"])).kind not in LEAD_KINDS:
        raise ValidationError("lead", data["lead"], f"kind must be one of {LEAD_KINDS}")


def _check_resolve(case: Case, note: str | None, data: Mapping[str, Any]) -> None:
    _said(note, "outcome", "say what was done")


def _check_visit(case: Case, note: str | None, data: Mapping[str, Any]) -> None:
    rating = data.get("rating")
    if isinstance(rating, bool) or not isinstance(rating, int) or rating not in RATING_RANGE:
        raise ValidationError("rating", rating, "expected a whole number from 1 to 5")
    if case.state is S.VISITED:
        raise ValidationError(
            "rating", rating, f"case {case.id} was already rated {case.rating} at this visit"
        )
    if rating < SATISFIED_MIN:
        require(data, "resolve_due")


def _check_merge(case: Case, note: str | None, data: Mapping[str, Any]) -> None:
    _other(case, data.get("into"), "into")


def _check_escalate(case: Case, note: str | None, data: Mapping[str, Any]) -> None:
    _deadlines(data)


def _check_absorb(case: Case, note: str | None, data: Mapping[str, Any]) -> None:
    _other(case, data.get("merged"), "merged")


def _check_hand_over(case: Case, note: str | None, data: Mapping[str, Any]) -> None:
    """Staff to staff; with ``reassign`` (a service order given to another provider) any lead
    to any lead."""
    prefixes = ("staff:", "department:") if data.get("reassign") else ("staff:",)
    expected = " or ".join(f"{p}<{'id' if p == 'staff:' else 'code'}>" for p in prefixes)
    for key in ("from", "to"):
        require(data, key)
        if not str(data[key]).startswith(prefixes):
            raise ValidationError(key, data[key], f"expected {expected}")
    if data["from"] == data["to"]:
        raise ValidationError("to", data["to"], "hands the case over to the same staff member")
    held = [case.lead.label()] if case.lead else []
    if data["from"] not in [*held, *case.co_operators]:
        raise ValidationError(
            "from", data["from"], f"neither leads nor co-operates on case {case.id}"
        )


# -- targets and refusals --------------------------------------------------------------------


def _stays(case: Case, data: Mapping[str, Any]) -> State:
    return case.state


def _visited(case: Case, data: Mapping[str, Any]) -> State:
    """Satisfied: visited; dissatisfied: reopened (重办) to in progress."""
    return S.VISITED if int(data["rating"]) >= SATISFIED_MIN else S.IN_PROGRESS


def _escalated(case: Case, data: Mapping[str, Any]) -> State:
    """Not yet triaged: stays for the level above; later: back to triaged, with no lead."""
    return case.state if case.state in (S.REPORTED, S.ACCEPTED) else S.TRIAGED


def _at_the_top(case: Case) -> str | None:
    if case.owner_level == LEVELS[-1]:
        return f"at the top level ({case.owner_level})"
    return None


# -- effects ---------------------------------------------------------------------------------


def _seconds(start: dt.datetime, end: dt.datetime) -> int:
    return int((end - start).total_seconds())


def _rejected(case: Case, event: Event) -> Mapping[str, Any]:
    return {"reject_kind": event.data["kind"], "duplicate_of": event.data.get("duplicate_of")}


def _triaged(case: Case, event: Event) -> Mapping[str, Any]:
    d = event.data
    return {
        "category": d.get("category"),
        "severity": d["severity"],
        "owner_level": d["owner_level"],
        "response_due": when(d["response_due"]),
        "resolve_due": when(d["resolve_due"]),
    }


def _dispatched(case: Case, event: Event) -> Mapping[str, Any]:
    d = event.data
    changes: dict[str, Any] = {
        "lead": Lead.parse(str(d["lead"])),
        "co_operators": tuple(d.get("co_operators", ())),
    }
    if case.responded_at is None:
        changes["responded_at"] = event.at
        changes["response_seconds"] = _seconds(case.reported_at, event.at)
    return changes


def _resolved(case: Case, event: Event) -> Mapping[str, Any]:
    return {
        "resolved_at": event.at,
        "resolve_seconds": _seconds(case.reported_at, event.at),
        "resolved_level": case.owner_level,
    }


def _rated(case: Case, event: Event) -> Mapping[str, Any]:
    changes: dict[str, Any] = {"rating": int(event.data["rating"])}
    if event.to_state is S.IN_PROGRESS:
        changes["reopen_count"] = case.reopen_count + 1
        changes["resolve_due"] = when(event.data["resolve_due"])
        changes["resolve_seconds"] = None  # set again when resolved again
    return changes


def _closed(case: Case, event: Event) -> Mapping[str, Any]:
    return {"closed_at": event.at}


def _merged(case: Case, event: Event) -> Mapping[str, Any]:
    return {"merged_into": int(event.data["into"])}


def _escalation(case: Case, event: Event) -> Mapping[str, Any]:
    d = event.data
    changes: dict[str, Any] = {
        "owner_level": d["owner_level"],
        "response_due": when(d["response_due"]),
        "resolve_due": when(d["resolve_due"]),
        "escalations": case.escalations + 1,
    }
    if event.to_state is S.TRIAGED:
        changes["lead"] = None
        changes["co_operators"] = ()
    return changes


def _alarmed(case: Case, event: Event) -> Mapping[str, Any]:
    return {"alarm_count": case.alarm_count + 1, "last_alarm_at": event.at}


def _absorbed(case: Case, event: Event) -> Mapping[str, Any]:
    return {"merged_count": case.merged_count + 1}


def _handed_over(case: Case, event: Event) -> Mapping[str, Any]:
    """``from`` becomes ``to``, as lead and among the co-operators (never both, never twice)."""
    gone, taker = str(event.data["from"]), str(event.data["to"])
    lead = case.lead
    if lead is not None and lead.label() == gone:
        lead = Lead.parse(taker)
    others = [taker if c == gone else c for c in case.co_operators]
    kept = [c for c in dict.fromkeys(others) if lead is None or c != lead.label()]
    return {"lead": lead, "co_operators": tuple(kept)}


# -- the table -------------------------------------------------------------------------------


def _table(*rules: ActionRule) -> Mapping[Action, ActionRule]:
    table: dict[Action, ActionRule] = {}
    for rule in rules:
        if rule.action in table:
            raise ValueError(f"action {rule.action.value} has two entries")
        table[rule.action] = rule
    missing = [a.value for a in Action if a not in table]
    if missing:
        raise ValueError(f"actions without an entry: {', '.join(missing)}")
    return {a: table[a] for a in Action}  # in vocabulary order


ACTIONS: Final[Mapping[Action, ActionRule]] = _table(
    # report opens a case (``machine.open_case``; its data checked by ``check_report``): no
    # state leads to it
    ActionRule(A.REPORT, frozenset(), S.REPORTED, CASE_REPORT, public=False),
    ActionRule(A.ACCEPT, frozenset({S.REPORTED}), S.ACCEPTED, CASE_HANDLE),
    ActionRule(
        A.REJECT, frozenset({S.REPORTED}), S.REJECTED, CASE_HANDLE,
        check=_check_reject, effect=_rejected,
    ),
    ActionRule(
        A.TRIAGE, frozenset({S.ACCEPTED}), S.TRIAGED, CASE_HANDLE,
        check=_check_triage, effect=_triaged,
    ),
    ActionRule(
        A.DISPATCH, frozenset({S.TRIAGED}), S.DISPATCHED, CASE_HANDLE,
        check=_check_dispatch, effect=_dispatched,
    ),
    ActionRule(A.START, frozenset({S.DISPATCHED}), S.IN_PROGRESS, CASE_HANDLE),
    ActionRule(
        A.RESOLVE, frozenset({S.IN_PROGRESS}), S.RESOLVED, CASE_HANDLE,
        check=_check_resolve, effect=_resolved,
    ),
    ActionRule(A.INFORM, frozenset({S.RESOLVED}), S.INFORMED, CASE_HANDLE),
    ActionRule(
        A.VISIT, frozenset({S.INFORMED}), _visited, CASE_HANDLE,
        check=_check_visit, effect=_rated,
    ),
    ActionRule(
        A.CLOSE, frozenset({S.INFORMED, S.VISITED}), S.CLOSED, CASE_HANDLE, effect=_closed
    ),
    ActionRule(A.WITHDRAW, UNRESOLVED, S.WITHDRAWN, CASE_WITHDRAW),
    ActionRule(
        A.MERGE, UNRESOLVED, S.MERGED, CASE_HANDLE, check=_check_merge, effect=_merged
    ),
    ActionRule(
        A.ESCALATE, UNRESOLVED, _escalated, CASE_HANDLE,
        check=_check_escalate, effect=_escalation, refuse=_at_the_top,
    ),
    # another alarm from the same device, folded into its open case at intake
    ActionRule(A.ALARM, UNRESOLVED, _stays, CASE_REPORT, effect=_alarmed, public=False),
    # another case was merged into this one (recorded with the merge)
    ActionRule(
        A.ABSORB, UNRESOLVED, _stays, CASE_HANDLE,
        check=_check_absorb, effect=_absorbed, public=False,
    ),
    # a staff lead or co-operator left or moved: ``from`` is replaced by ``to``; the note is
    # the departure's reason (``commgov.cases.service.handover``); with ``reassign`` a service
    # order's case goes to its new provider's lead (``commgov.orders``)
    ActionRule(
        A.HAND_OVER, LIVE, _stays, CASE_HANDLE,
        check=_check_hand_over, effect=_handed_over, public=False,
    ),
)  # fmt: skip
"""Every action of the vocabulary, exactly once, in the vocabulary's order."""

PUBLIC: Final = tuple(a for a, rule in ACTIONS.items() if rule.public)
"""The actions callers take; the others happen at intake, on a merge or on a hand-over."""
