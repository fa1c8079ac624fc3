"""The action table walked end to end: every action of the vocabulary has exactly one entry,
the pure machine allows exactly what the table says for every (state, action) pair, and every
action callers take has exactly one command carrying exactly its fields."""

from __future__ import annotations

import datetime as dt
from typing import Any, get_args

import pytest

import commgov
from commgov.cases.model import ACTIONS, Action, ActionRule, Case, Lead, State, allowed_actions
from commgov.cases.model.actions import PUBLIC, _table
from commgov.cases.model.case import stamp
from commgov.cases.model.machine import apply, decide
from commgov.cases.model.vocab import (
    CASE_HANDLE,
    CASE_REPORT,
    CASE_WITHDRAW,
    CHANNELS,
    LEVELS,
    REJECT_KINDS,
    SEVERITIES,
    ActionName,
    Channel,
    Level,
    RejectKind,
    Severity,
)
from commgov.cases.views import COMMANDS, CaseAction, CaseCommand, parse

T = dt.datetime(2025, 6, 2, 8, tzinfo=dt.UTC)
A, S = Action, State

LIFECYCLE: dict[tuple[str, str], str] = {
    ("accept", "reported"): "accepted",
    ("reject", "reported"): "rejected",
    ("triage", "accepted"): "triaged",
    ("dispatch", "triaged"): "dispatched",
    ("start", "dispatched"): "in_progress",
    ("resolve", "in_progress"): "resolved",
    ("inform", "resolved"): "informed",
    ("visit", "informed"): "visited",  # rating 3-5; 1-2 reopens to in_progress
    ("close", "informed"): "closed",
    ("close", "visited"): "closed",
}
"""docs/cases.md's lifecycle, written out: the forward loop ..."""
for _state in ("reported", "accepted", "triaged", "dispatched", "in_progress"):  # ... unresolved
    LIFECYCLE[("withdraw", _state)] = "withdrawn"
    LIFECYCLE[("merge", _state)] = "merged"
    LIFECYCLE[("escalate", _state)] = _state if _state in ("reported", "accepted") else "triaged"
    LIFECYCLE[("alarm", _state)] = _state
    LIFECYCLE[("absorb", _state)] = _state
for _state in (
    "reported",
    "accepted",
    "triaged",
    "dispatched",
    "in_progress",
    "resolved",
    "informed",
    "visited",
):  # ... and not terminal
    LIFECYCLE[("hand_over", _state)] = _state  # fmt: skip

FIELDS: dict[str, set[str]] = {
    "accept": set(),
    "reject": {"kind", "duplicate_of"},
    "triage": {"category", "severity", "owner_level"},
    "dispatch": {"lead", "co_operators"},
    "start": set(),
    "resolve": set(),
    "inform": set(),
    "visit": {"rating"},
    "close": set(),
    "withdraw": set(),
    "merge": {"into"},
    "escalate": set(),
}
"""What each command carries besides ``action`` and the ``note``/``attachments`` of every event."""


def _case(state: State, *, level: str = "grid", rating: int | None = None) -> Case:
    return Case(
        id=7,
        unit_id=1,
        channel="resident",
        state=state,
        reported_at=T,
        response_due=T + dt.timedelta(days=1),
        resolve_due=T + dt.timedelta(days=7),
        owner_level=level,
        rating=rating,
        lead=Lead("staff", "3"),
    )


def _valid(action: Action, level: str, rating: int = 4) -> tuple[str | None, dict[str, Any]]:
    """A note and data the action's check accepts (deadlines as the service stamps them)."""
    due = {"response_due": stamp(T + dt.timedelta(hours=2)), "resolve_due": stamp(T)}
    up = LEVELS[min(LEVELS.index(level) + 1, len(LEVELS) - 1)]
    return {
        A.REJECT: ("why", {"kind": "invalid"}),
        A.TRIAGE: (None, {"severity": "urgent", "owner_level": "community", **due}),
        A.DISPATCH: (None, {"lead": "staff:3", "co_operators": ["T-fire"]}),
        A.RESOLVE: ("done", {}),
        A.VISIT: (None, {"rating": rating, **due}),
        A.MERGE: (None, {"into": 8}),
        A.ESCALATE: (None, {"owner_level": up, **due}),
        A.ABSORB: (None, {"merged": 8}),
        A.HAND_OVER: ("left", {"from": "staff:3", "to": "staff:4"}),
    }.get(action, (None, {}))


# -- the table -------------------------------------------------------------------------------


def test_every_action_of_the_vocabulary_has_exactly_one_entry() -> None:
    assert list(ACTIONS) == list(Action)
    assert all(rule.action is action for action, rule in ACTIONS.items())
    accept = ACTIONS[A.ACCEPT]
    with pytest.raises(ValueError, match="accept has two entries"):
        _table(*ACTIONS.values(), accept)
    with pytest.raises(ValueError, match="without an entry: accept"):
        _table(*(r for r in ACTIONS.values() if r is not accept))


def test_the_table_is_the_documented_lifecycle() -> None:
    table = {
        (action.value, state.value): rule.to_state(_case(state), _valid(action, "grid")[1]).value
        for action, rule in ACTIONS.items()
        for state in rule.sources
    }
    assert table == LIFECYCLE
    assert ACTIONS[A.VISIT].to_state(_case(S.INFORMED), {"rating": 2}) is S.IN_PROGRESS


def test_permissions_and_who_takes_each_action() -> None:
    assert {a.value: r.permission for a, r in ACTIONS.items() if r.permission != CASE_HANDLE} == {
        "report": CASE_REPORT,
        "alarm": CASE_REPORT,
        "withdraw": CASE_WITHDRAW,
    }
    assert [a.value for a in PUBLIC] == list(get_args(ActionName))
    assert {a for a, r in ACTIONS.items() if not r.public} == {
        A.REPORT,
        A.ALARM,
        A.ABSORB,
        A.HAND_OVER,
    }


@pytest.mark.parametrize("level", ["grid", "county"])
@pytest.mark.parametrize("state", list(State))
def test_the_machine_allows_exactly_what_the_table_says(state: State, level: str) -> None:
    case = _case(state, level=level, rating=4 if state is S.VISITED else None)
    allowed = []
    for action, rule in ACTIONS.items():
        note, data = _valid(action, level)
        says = state in rule.sources and not (action is A.ESCALATE and level == LEVELS[-1])
        assert rule.allows(case) is says, (action, state, level)
        if says:
            event = decide(case, action, at=T, actor="x", note=note, data=data)
            assert (event.from_state, event.to_state) == (state, rule.to_state(case, data))
            after = apply(case, event)
            assert (after.state, after.version) == (event.to_state, case.version + 1)
            allowed.append(action)
        elif action is A.VISIT and state is S.VISITED:  # a second rating at the same visit
            with pytest.raises(commgov.ValidationError, match="already rated 4"):
                decide(case, action, at=T, actor="x", note=note, data=data)
        else:
            with pytest.raises(commgov.StateError) as caught:
                decide(case, action, at=T, actor="x", note=note, data=data)
            message = str(caught.value)
            assert f"case 7 is {state.value}" in message
            assert message.endswith(f"cannot {action.value}")
    assert allowed_actions(case) == allowed


def test_a_dissatisfied_visit_reopens_through_the_table() -> None:
    case = _case(S.INFORMED)
    note, data = _valid(A.VISIT, "grid", rating=2)
    after = apply(case, decide(case, A.VISIT, at=T, actor="x", note=note, data=data))
    assert (after.state, after.reopen_count, after.rating) == (S.IN_PROGRESS, 1, 2)


def test_each_check_names_its_field() -> None:
    reported, informed = _case(S.REPORTED), _case(S.INFORMED)
    for case, action, note, data, field in [
        (reported, A.REJECT, "why", {"kind": "spam"}, "kind"),
        (reported, A.REJECT, " ", {"kind": "invalid"}, "reason"),
        (reported, A.REJECT, "why", {"kind": "duplicate", "duplicate_of": 7}, "duplicate_of"),
        (_case(S.ACCEPTED), A.TRIAGE, None, {"severity": "soon"}, "severity"),
        (_case(S.TRIAGED), A.DISPATCH, None, {"lead": "mayor:1"}, "lead"),
        (_case(S.IN_PROGRESS), A.RESOLVE, None, {}, "outcome"),
        (informed, A.VISIT, None, {"rating": 6}, "rating"),
        (informed, A.VISIT, None, {"rating": 2}, "resolve_due"),
        (reported, A.MERGE, None, {"into": "8"}, "into"),
        (reported, A.ESCALATE, None, {"owner_level": "galaxy"}, "owner_level"),
        (reported, A.ABSORB, None, {}, "merged"),
        (reported, A.HAND_OVER, "left", {"to": "staff:4"}, "from"),
        (reported, A.HAND_OVER, "left", {"from": "staff:3", "to": "department:x"}, "to"),
        (reported, A.HAND_OVER, "left", {"from": "staff:3", "to": "staff:3"}, "to"),
        (reported, A.HAND_OVER, "left", {"from": "staff:9", "to": "staff:4"}, "from"),
    ]:
        with pytest.raises(commgov.ValidationError) as caught:
            decide(case, action, at=T, actor="x", note=note, data=data)
        assert caught.value.field == field, (action, caught.value)


def test_an_entry_is_all_the_machine_reads(monkeypatch: pytest.MonkeyPatch) -> None:
    """Changing one entry changes the machine: allowed states, target, check and effect."""
    rule = ActionRule(
        A.INFORM,
        frozenset({S.CLOSED}),
        S.RESOLVED,
        CASE_HANDLE,
        check=lambda case, note, data: None if note else _refuse("note"),
        effect=lambda case, event: {"rating": None},
    )
    monkeypatch.setitem(ACTIONS, A.INFORM, rule)  # type: ignore[arg-type]
    closed = _case(S.CLOSED, rating=5)
    assert A.INFORM in allowed_actions(closed)
    after = apply(closed, decide(closed, "inform", at=T, actor="x", note="again"))
    assert (after.state, after.rating) == (S.RESOLVED, None)
    with pytest.raises(commgov.ValidationError, match="note"):
        decide(closed, "inform", at=T, actor="x")
    with pytest.raises(commgov.StateError, match="resolved: cannot inform"):
        decide(_case(S.RESOLVED), "inform", at=T, actor="x", note="n")


def _refuse(field: str) -> None:
    raise commgov.ValidationError(field, None, "required")


# -- the vocabularies ------------------------------------------------------------------------


def test_literal_types_are_the_vocabularies() -> None:
    assert get_args(Level) == LEVELS
    assert get_args(Severity) == SEVERITIES
    assert get_args(RejectKind) == REJECT_KINDS
    assert list(get_args(Channel)) == list(CHANNELS)


# -- commands --------------------------------------------------------------------------------


def test_every_public_action_has_exactly_one_command() -> None:
    members = get_args(get_args(CaseCommand)[0])
    assert len(members) == len(set(members)) == len(COMMANDS)
    assert list(COMMANDS) == [a.value for a in PUBLIC]
    for name, command in COMMANDS.items():
        assert command.model_fields["action"].default == name


def test_each_command_carries_exactly_its_fields() -> None:
    assert set(COMMANDS) == set(FIELDS)
    for name, command in COMMANDS.items():
        assert set(command.model_fields) == {"action", "note", "attachments"} | FIELDS[name]


def test_a_mapping_becomes_the_actions_command() -> None:
    parsed = parse(CaseAction, {"case_id": 3, "action": "dispatch", "lead": "staff:1"})
    assert isinstance(parsed.command, commgov.DispatchCommand)
    assert (parsed.case_id, parsed.command.lead, parsed.command.co_operators) == (
        3,
        "staff:1",
        None,
    )
    typed = commgov.CaseAction(case_id=3, command=commgov.DispatchCommand(lead="staff:1"))
    flat = CaseAction(case_id=3, action="dispatch", lead="staff:1")  # the old, flat shape
    assert parse(CaseAction, typed) == parsed == flat


@pytest.mark.parametrize(
    ("given", "field", "value", "reason"),
    [
        ({"action": "accept", "rating": 5}, "rating", 5, "accept takes only note, attachments"),
        ({"action": "visit"}, "rating", None, "Field required"),
        ({"action": "visit", "rating": "5"}, "rating", "5", "valid integer"),
        ({"action": "reject", "kind": "spam", "note": "x"}, "kind", "spam", "'invalid'"),
        ({"action": "triage", "owner_level": "galaxy"}, "owner_level", "galaxy", "'grid'"),
        ({"action": "merge", "into": "eight"}, "into", "eight", "valid integer"),
        ({"action": "alarm"}, "action", "alarm", "unknown; known: accept, reject"),
        ({"action": "absorb"}, "action", "absorb", "unknown"),
        ({"action": "report"}, "action", "report", "unknown"),
        ({"note": "x"}, "action", None, "unknown"),
        ({"case_id": "x", "action": "accept"}, "case_id", "x", "valid integer"),
    ],
)
def test_bad_commands_name_the_field_and_value(
    given: dict[str, Any], field: str, value: object, reason: str
) -> None:
    with pytest.raises(commgov.ValidationError) as caught:
        parse(CaseAction, {"case_id": 1, **given})
    error = caught.value
    assert (error.field, error.value) == (field, value)
    assert reason in error.reason
