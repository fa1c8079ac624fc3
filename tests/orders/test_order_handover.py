"""Open orders when people leave (``OrderHandOver``), through the life events that call it:
the ordering resident leaves or is merged, a staff provider leaves or moves."""

from __future__ import annotations

import pytest

from commgov import ValidationError
from commgov.capabilities import OPEN_WORK
from commgov.orders.service.handover import OrderHandOver

from .conftest import OrderTown, counts


def test_orders_are_an_open_work_of_the_store() -> None:
    assert any(isinstance(w, OrderHandOver) and w.name == "orders" for w in OPEN_WORK)


def test_a_resident_who_leaves_has_their_open_orders_ended(any_order_town: OrderTown) -> None:
    town = any_order_town
    orders = town.cg.orders
    ordered, accepted, done, closed = town.advice(), town.accepted(), town.done(), town.done()
    orders.rate(town.resident, closed.id, rating=5)
    others = orders.place(town.elder, resident_id=town.elder_id, item="legal_advice",
                          fields={"question": "q"})  # fmt: skip

    left = town.cg.residents.leave(town.admin, town.resident_id, reason="moved_out")

    assert left.work["orders"] == (0, 3)
    seen = {o.id: (o.step, o.case_state) for o in orders.under(town.admin, town.town)}
    assert seen == {
        ordered.id: ("cancelled", "withdrawn"),
        accepted.id: ("cancelled", "withdrawn"),
        done.id: ("closed", "closed"),  # waited for its rating: closed unrated
        closed.id: ("closed", "closed"),
        others.id: ("ordered", "triaged"),
    }
    assert orders.get(town.admin, done.id).rating is None
    note = town.cg.cases.history(town.admin, ordered.id)[-1].note
    assert note == "moved_out"


def test_a_merged_resident_s_open_orders_go_to_the_kept_record(town: OrderTown) -> None:
    orders = town.cg.orders
    home = town.cg.residents.get(town.admin, town.resident_id).household_id
    twin = town.cg.residents.add_resident(
        town.admin, household_id=home, name="陈建国", birth_date="1980-03-01", sex="M"
    )
    order = orders.place(town.admin, resident_id=twin.id, item="legal_advice",
                         fields={"question": "q"})  # fmt: skip
    finished = orders.place(town.admin, resident_id=twin.id, item="legal_advice",
                            fields={"question": "q"})  # fmt: skip
    orders.cancel(town.admin, finished.id, reason="重复")

    merged = town.cg.residents.merge(town.admin, twin.id, into=town.resident_id)

    assert merged.work["orders"] == (1, 0)
    assert orders.get(town.admin, order.id).resident_id == town.resident_id
    assert orders.get(town.admin, finished.id).resident_id == twin.id  # a cancelled one stays


def test_a_staff_provider_who_leaves_hands_orders_to_the_successor(town: OrderTown) -> None:
    orders = town.cg.orders
    gone, taker = town.worker.staff_id, town.clerk.staff_id
    assert gone is not None and taker is not None
    given = town.advice()
    orders.assign(town.clerk, given.id, provider_kind="staff", provider=gone)
    refused = town.advice()
    orders.assign(town.clerk, refused.id, provider_kind="staff", provider=gone)
    orders.respond(town.worker, refused.id, accept=False, reason="不懂法律")
    before = counts(town.cg)
    with pytest.raises(ValidationError) as caught:  # open work needs a successor
        town.cg.staff.deactivate(town.admin, gone, reason="辞职")
    assert caught.value.field == "hand_over_to"
    assert counts(town.cg) == before

    left = town.cg.staff.deactivate(town.admin, gone, reason="辞职", hand_over_to=taker)

    assert left.work["orders"] == (2, 0)
    for order_id in (given.id, refused.id):
        view = orders.get(town.admin, order_id)
        assert (view.provider, view.lead) == (str(taker), f"staff:{taker}")  # case by cases
    assert orders.get(town.admin, given.id).step == "assigned"
    assert orders.respond(town.clerk, given.id, accept=True).step == "accepted"


def test_a_staff_provider_who_moves_hands_over_only_where_they_leave(town: OrderTown) -> None:
    orders = town.cg.orders
    mover = town.cg.staff.add(town.admin, name="周网格", role="grid_worker",
                              units=[town.grid, town.other_grid])  # fmt: skip
    here = town.advice()
    orders.assign(town.clerk, here.id, provider_kind="staff", provider=mover.id)
    home = town.cg.residents.add_household(town.admin, unit=town.other_grid, address="2号")
    far = town.cg.residents.add_resident(
        town.admin, household_id=home.id, name="孙丽", birth_date="1990-01-01", sex="F"
    )
    there = orders.place(town.admin, resident_id=far.id, item="legal_advice",
                         fields={"question": "q"})  # fmt: skip
    orders.assign(town.other_clerk, there.id, provider_kind="staff", provider=mover.id)

    moved = town.cg.staff.reassign(
        town.admin, mover.id, units=[town.other_grid], hand_over_to=town.worker.staff_id
    )

    assert moved.work["orders"] == (1, 0)
    assert orders.get(town.admin, here.id).provider == str(town.worker.staff_id)
    assert orders.get(town.admin, there.id).provider == str(mover.id)


def test_a_resident_moving_house_keeps_their_orders(town: OrderTown) -> None:
    order = town.advice()
    home = town.cg.residents.add_household(town.admin, unit=town.grid, address="5号")
    moved = town.cg.residents.move(town.admin, town.resident_id, household_id=home.id)
    assert "orders" not in moved.work or moved.work["orders"] == (0, 0)
    assert town.cg.orders.get(town.admin, order.id).step == "ordered"
