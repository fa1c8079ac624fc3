"""Bad input gets an error naming the field and the value, and writes nothing: no order, no
case, no event, no audit row."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from commgov import NotFoundError, StateError, ValidationError

from .conftest import OrderTown, counts

Call = Callable[[OrderTown], Any]


def _place(**given: Any) -> Call:
    def call(town: OrderTown) -> Any:
        fields = {"resident_id": town.resident_id, "item": "legal_advice"} | given
        return town.cg.orders.place(town.resident, **fields)

    return call


PLACING: list[tuple[str, Call, str, object]] = [
    ("unknown item", _place(item="passport", fields={}), "item", "passport"),
    ("not for them", _place(item="disability_card", fields={"disability_kind": "视力"}),
     "item", "disability_card"),
    ("missing field", _place(fields={}), "fields.question", None),
    ("empty field", _place(fields={"question": "  "}), "fields.question", "  "),
    ("unknown field", _place(fields={"question": "q", "colour": "红"}), "fields.colour", "红"),
    ("field not text", _place(fields={"question": 5}), "fields.question", 5),
    ("fields not a mapping", _place(fields=["question"]), "fields", ["question"]),
    ("field too long", _place(fields={"question": "问" * 501}), "fields.question", "问" * 40 + "…"),
    ("note too long", _place(fields={"question": "q"}, note="x" * 1001), "note", "x" * 40 + "…"),
    ("resident not an id", _place(resident_id="1"), "resident_id", "1"),
]  # fmt: skip


@pytest.mark.parametrize(("case", "call", "field", "value"), PLACING, ids=[p[0] for p in PLACING])
def test_a_bad_order_names_the_field_and_writes_nothing(
    town: OrderTown, case: str, call: Call, field: str, value: object
) -> None:
    before = counts(town.cg)
    with pytest.raises(ValidationError) as caught:
        call(town)
    assert (caught.value.field, caught.value.value) == (field, value)
    assert counts(town.cg) == before


def test_unknown_residents_and_orders_are_not_found(town: OrderTown) -> None:
    before = counts(town.cg)
    with pytest.raises(NotFoundError):
        town.cg.orders.place(town.admin, resident_id=999, item="legal_advice")
    with pytest.raises(NotFoundError):
        town.cg.orders.get(town.admin, 999)
    with pytest.raises(NotFoundError):
        town.cg.orders.respond(town.admin, 999, accept=True)
    assert counts(town.cg) == before


def test_a_resident_who_left_orders_nothing(town: OrderTown) -> None:
    town.cg.residents.leave(town.admin, town.resident_id, reason="moved_out")
    before = counts(town.cg)
    with pytest.raises(ValidationError) as caught:
        town.advice(by=town.admin)
    assert (caught.value.field, caught.value.value) == ("resident_id", town.resident_id)
    assert counts(town.cg) == before


def _steps(town: OrderTown, order_id: int) -> list[tuple[str, Call, str, object]]:
    o = town.cg.orders
    c = town.clerk
    return [
        ("provider kind", lambda t: o.assign(c, order_id, provider_kind="ngo", provider="x"),  # type: ignore[arg-type]
         "provider_kind", "ngo"),
        ("no department", lambda t: o.assign(c, order_id, provider_kind="department",
                                             provider="T-none"), "provider", "T-none"),
        ("no staff", lambda t: o.assign(c, order_id, provider_kind="staff", provider=999),
         "provider", 999),
        ("staff not an id", lambda t: o.assign(c, order_id, provider_kind="staff", provider="老王"),
         "provider", "老王"),
        ("empty name", lambda t: o.assign(c, order_id, provider_kind="partner", provider=" "),
         "provider", " "),
        ("lead staff gone", lambda t: o.assign(t.admin, order_id, provider_kind="partner",
                                               provider="p", lead_staff=999), "lead_staff", 999),
        ("decline without reason", lambda t: o.respond(c, order_id, accept=False), "reason", None),
        ("accept not a bool", lambda t: o.respond(c, order_id, accept="yes"), "accept", "yes"),  # type: ignore[arg-type]
        ("rating 0", lambda t: o.rate(c, order_id, rating=0), "rating", 0),
        ("rating 6", lambda t: o.rate(c, order_id, rating=6), "rating", 6),
        ("rating True", lambda t: o.rate(c, order_id, rating=True), "rating", True),
        ("rating text", lambda t: o.rate(c, order_id, rating="5"), "rating", "5"),  # type: ignore[arg-type]
        ("empty outcome", lambda t: o.complete(c, order_id, note=""), "note", ""),
        ("long attachment", lambda t: o.complete(c, order_id, note="ok", attachments=["a" * 501]),
         "attachments.0", "a" * 40 + "…"),
        ("empty reason", lambda t: o.cancel(c, order_id, reason=""), "reason", ""),
        ("bad step filter", lambda t: o.under(c, t.grid, step="open"), "step", "open"),  # type: ignore[arg-type]
        ("bad limit", lambda t: o.under(c, t.grid, limit=0), "limit", 0),
        ("bad overdue", lambda t: o.under(c, t.grid, overdue="yes"), "overdue", "yes"),  # type: ignore[arg-type]
    ]  # fmt: skip


def test_bad_steps_name_the_field_and_change_nothing(town: OrderTown) -> None:
    order = town.advice()
    for case, call, field, value in _steps(town, order.id):
        before = counts(town.cg)
        with pytest.raises(ValidationError) as caught:
            call(town)
        assert (caught.value.field, caught.value.value) == (field, value), case
        assert counts(town.cg) == before, case
    assert town.cg.orders.get(town.admin, order.id) == order


def test_a_step_out_of_turn_is_a_state_error_and_changes_nothing(town: OrderTown) -> None:
    orders, clerk = town.cg.orders, town.clerk
    ordered = town.advice()
    done = town.done()
    wrong: list[Call] = [
        lambda t: orders.respond(clerk, ordered.id, accept=True),
        lambda t: orders.complete(clerk, ordered.id, note="x"),
        lambda t: orders.rate(t.resident, ordered.id, rating=5),
        lambda t: orders.assign(clerk, done.id, provider_kind="department", provider="T-civil"),
        lambda t: orders.respond(clerk, done.id, accept=False, reason="x"),
        lambda t: orders.cancel(t.resident, done.id, reason="x"),
    ]
    for call in wrong:
        before = counts(town.cg)
        with pytest.raises(StateError):
            call(town)
        assert counts(town.cg) == before
