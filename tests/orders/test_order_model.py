"""The order's values and pure rules, without a database: the steps each action is taken from,
the fields an item takes, who may order it, the core's catalogue."""

from __future__ import annotations

import datetime as dt

import pytest

from commgov import StateError, ValidationError
from commgov.orders.calls import check_item
from commgov.orders.model import CASE_STATES, STEP_NAMES, STEPS, Order, ServiceItem
from commgov.orders.model import order as steps
from commgov.orders.model.catalogue import DEFAULT_CATALOGUE
from commgov.people.defaults import CORE_DEPARTMENT_KINDS
from commgov.people.model.residents import CORE_CARE_GROUPS

AT = dt.datetime(2026, 11, 3, 1, tzinfo=dt.UTC)
ITEM = ServiceItem(code="x", name="x", department="justice", required=("a", "b"), optional=("c",))


def _order(step: str) -> Order:
    return Order(
        id=1, item="x", item_name="x", fields={}, fee=0, time_limit=dt.timedelta(days=1),
        resident_id=1, household_id=1, placed_at=AT, step=step,  # type: ignore[arg-type]
        provider_kind="partner", provider="p",
    )  # fmt: skip


MOVES = {
    "assign": lambda o: steps.assigned(o, "department", "T-civil"),
    "accept": steps.accepted,
    "decline": lambda o: steps.declined(o, reason="r", at=AT, by="staff:1"),
    "complete": steps.completed,
    "rate": lambda o: steps.rated(o, satisfied=True),
    "cancel": steps.cancelled,
}
LOOP = {
    ("assign", "ordered"): "assigned",
    ("assign", "assigned"): "assigned",
    ("assign", "declined"): "assigned",
    ("accept", "assigned"): "accepted",
    ("decline", "assigned"): "declined",
    ("complete", "accepted"): "done",
    ("complete", "reopened"): "done",
    ("rate", "done"): "closed",
    **{("cancel", s): "cancelled" for s in ("ordered", "assigned", "accepted", "declined")},
    ("cancel", "reopened"): "cancelled",
}
"""docs/orders.md's loop, written out."""


@pytest.mark.parametrize("step", STEP_NAMES)
@pytest.mark.parametrize("action", list(MOVES))
def test_each_action_is_taken_from_its_steps_only(action: str, step: str) -> None:
    expected = LOOP.get((action, step))
    if expected is None:
        with pytest.raises(StateError, match=f"is {step}: cannot {action}"):
            MOVES[action](_order(step))
    else:
        assert MOVES[action](_order(step)).step == expected


def test_every_step_has_a_label_and_a_case_state() -> None:
    assert set(STEPS) == set(CASE_STATES) == set(STEP_NAMES)
    assert steps.rated(_order("done"), satisfied=False).step == "reopened"
    declined = steps.declined(_order("assigned"), reason="忙", at=AT, by="staff:1")
    assert [(d.provider, d.reason) for d in declined.declines] == [("p", "忙")]
    back = steps.assigned(_order("accepted"), "department", "T-civil", returned=True)
    assert back.step == "assigned"  # an escalated case is assigned again


def test_fields_are_checked_and_stripped() -> None:
    assert steps.checked_fields(ITEM, {"b": " 2 ", "a": "1", "c": " "}) == {"a": "1", "b": "2"}
    for given, field in [
        ({"a": "1"}, "fields.b"),
        ({"a": "1", "b": ""}, "fields.b"),
        ({"a": "1", "b": "2", "d": "4"}, "fields.d"),
        ({"a": "1", "b": "\x00"}, "fields.b"),
        ("a=1", "fields"),
    ]:
        with pytest.raises(ValidationError) as caught:
            steps.checked_fields(ITEM, given)
        assert caught.value.field == field


def test_who_may_order() -> None:
    care = ServiceItem(code="c", name="c", department="health", who=("living_alone",))
    assert steps.may_order(ITEM, ())
    assert steps.may_order(care, ("disability", "living_alone"))
    assert not steps.may_order(care, ("disability",))


def test_the_core_catalogue_uses_core_words_only() -> None:
    assert len(DEFAULT_CATALOGUE) == 6
    assert len({i.code for i in DEFAULT_CATALOGUE}) == 6
    for item in DEFAULT_CATALOGUE:
        check_item(item, CORE_DEPARTMENT_KINDS, CORE_CARE_GROUPS)
    assert {i.duty for i in DEFAULT_CATALOGUE} == {"must", "may"}
    assert any(i.fee > 0 for i in DEFAULT_CATALOGUE)
