"""Service orders round the loop (点单 → 派单 → 接单 → 办理 → 评单) on the case loop: what each
step does to the order and to its case, who may take it, what readers see."""

from __future__ import annotations

import datetime as dt

import pytest

import commgov
from commgov import PermissionDenied, StateError, ValidationError
from commgov.kernel.markers import hookimpl

from .conftest import START, Clock, OrderTown, build

DAY = dt.timedelta(days=1)


def actions(town: OrderTown, order_id: int) -> list[str]:
    return [e.action for e in town.cg.cases.history(town.admin, order_id)]


def test_an_order_goes_round_the_loop_on_its_case(any_order_town: OrderTown) -> None:
    town = any_order_town
    orders = town.cg.orders
    placed = town.advice()
    assert (placed.step, placed.case_state, placed.lead) == ("ordered", "triaged", None)
    assert placed.number == "2026-000001" and placed.item == "legal_advice"
    assert placed.fields == {"question": "邻居占用车位怎么办"}
    assert placed.resolve_due == START + 3 * DAY  # the item's time limit
    assert placed.response_due == START + DAY  # the deadline rule's time to respond
    case = town.cg.cases.get(town.admin, placed.id)
    assert (case.channel, case.category, case.owner_level) == (
        "service_order",
        "service",
        "community",
    )

    town.clock.advance(hours=2)
    assigned = orders.assign(
        town.clerk, placed.id, provider_kind="department", provider="T-justice"
    )
    assert (assigned.step, assigned.case_state) == ("assigned", "dispatched")
    assert (assigned.provider_kind, assigned.provider, assigned.lead) == (
        "department", "T-justice", "department:T-justice",
    )  # fmt: skip
    accepted = orders.respond(town.clerk, placed.id, accept=True)
    assert (accepted.step, accepted.case_state) == ("accepted", "in_progress")
    done = orders.complete(town.clerk, placed.id, note="已电话解答", attachments=["oss://a/1"])
    assert (done.step, done.case_state, done.resolved_at) == ("done", "informed", town.clock.now)
    closed = orders.rate(town.resident, placed.id, rating=5, note="很满意")
    assert (closed.step, closed.case_state, closed.rating) == ("closed", "closed", 5)

    assert actions(town, placed.id) == [
        "report", "accept", "triage", "dispatch", "start", "resolve", "inform", "visit", "close",
    ]  # fmt: skip
    history = town.cg.cases.history(town.admin, placed.id)
    assert history[1].actor == history[2].actor == "system:一门受理 one door"
    assert history[-2].actor == history[-1].actor == town.resident.label()
    assert orders.get(town.resident, placed.id) == closed
    rates = orders.rates(town.admin, town.town)
    assert (rates.accepted, rates.response_rate, rates.satisfaction_rate) == (1, 1.0, 1.0)


def test_a_declined_order_is_assigned_again_and_its_lead_re_pointed(town: OrderTown) -> None:
    orders = town.cg.orders
    order = town.advice()
    orders.assign(town.clerk, order.id, provider_kind="partner", provider="明理律所")
    with pytest.raises(ValidationError) as caught:
        orders.respond(town.clerk, order.id, accept=False, reason="  ")
    assert (caught.value.field, caught.value.value) == ("reason", "  ")
    declined = orders.respond(town.clerk, order.id, accept=False, reason="本周排满")
    assert (declined.step, declined.case_state) == ("declined", "dispatched")
    assert declined.lead == f"staff:{town.clerk.staff_id}"  # the clerk answers for a partner
    assert [(d.provider, d.reason, d.by) for d in declined.declines] == [
        ("明理律所", "本周排满", town.clerk.label())
    ]
    again = orders.assign(town.clerk, order.id, provider_kind="department", provider="T-justice")
    assert (again.step, again.lead, again.provider) == (
        "assigned",
        "department:T-justice",
        "T-justice",
    )
    assert len(again.declines) == 1  # kept
    last = town.cg.cases.history(town.admin, order.id)[-1]
    assert (last.action, last.data["from"], last.data["to"]) == (
        "hand_over", f"staff:{town.clerk.staff_id}", "department:T-justice",
    )  # fmt: skip
    before = len(actions(town, order.id))
    same = orders.assign(town.clerk, order.id, provider_kind="department", provider="T-justice")
    assert same.step == "assigned" and len(actions(town, order.id)) == before  # no new event
    assert orders.respond(town.clerk, order.id, accept=True).step == "accepted"


def test_a_poor_rating_reopens_the_order_with_the_items_time_limit(town: OrderTown) -> None:
    orders = town.cg.orders
    order = town.done()
    town.clock.advance(days=1)
    reopened = orders.rate(town.resident, order.id, rating=2, note="没说清楚")
    assert (reopened.step, reopened.case_state, reopened.reopen_count) == (
        "reopened",
        "in_progress",
        1,
    )
    assert reopened.resolve_due == town.clock.now + 3 * DAY
    with pytest.raises(StateError, match="reopened: cannot rate"):
        orders.rate(town.resident, order.id, rating=5)
    orders.complete(town.clerk, order.id, note="上门再次讲解")
    closed = orders.rate(town.clerk, order.id, rating=4)  # staff may record the rating
    assert (closed.step, closed.case_state, closed.rating) == ("closed", "closed", 4)


def test_closing_an_order_calls_the_case_closed_hook() -> None:
    closed: list[tuple[str, int | None, str]] = []

    class Counter:
        @hookimpl
        def commgov_case_closed(
            self, case: commgov.CaseInfo, rating: int | None, actor: commgov.Actor
        ) -> None:
            closed.append((case.channel, rating, actor.role))

    clock = Clock()
    with commgov.open("sqlite:///:memory:", clock=clock, discover_plugins=False) as cg:
        town = build(cg, clock)
        cg.add_plugin(Counter(), name="counter")
        cg.enable_plugins(town.admin, town.town, ["counter"])
        order = town.done()
        cg.orders.rate(town.resident, order.id, rating=5)
    assert closed == [("service_order", 5, "resident")]


def test_providers_of_each_kind_lead_or_are_answered_for(town: OrderTown) -> None:
    orders = town.cg.orders
    worker_id = town.worker.staff_id
    staffed = orders.assign(town.clerk, town.advice().id, provider_kind="staff", provider=worker_id)
    assert (staffed.provider, staffed.lead) == (str(worker_id), f"staff:{worker_id}")
    assert orders.respond(town.worker, staffed.id, accept=True).step == "accepted"

    talent = town.advice()
    with pytest.raises(ValidationError) as caught:  # the system actor is no staff member
        orders.assign(town.admin, talent.id, provider_kind="talent", provider="退休律师老赵")
    assert caught.value.field == "lead_staff"
    given = orders.assign(
        town.admin, talent.id, provider_kind="talent", provider=" 退休律师老赵 ",
        lead_staff=town.clerk.staff_id,
    )  # fmt: skip
    assert (given.provider, given.lead) == ("退休律师老赵", f"staff:{town.clerk.staff_id}")


def test_departments_handle_only_orders_given_to_them(town: OrderTown) -> None:
    orders = town.cg.orders
    mine = town.advice()
    orders.assign(town.clerk, mine.id, provider_kind="department", provider="T-civil")
    theirs = town.advice()
    orders.assign(town.clerk, theirs.id, provider_kind="department", provider="T-justice")
    assert orders.respond(town.officer, mine.id, accept=True).step == "accepted"
    assert orders.complete(town.officer, mine.id, note="已办结").step == "done"
    with pytest.raises(PermissionDenied, match="given to department T-justice"):
        orders.respond(town.officer, theirs.id, accept=True)
    with pytest.raises(PermissionDenied):  # 派单 is the community's
        orders.assign(town.officer, theirs.id, provider_kind="department", provider="T-civil")
    seen = orders.get(town.officer, mine.id)
    assert (seen.resident_name, seen.personal_visible) == ("陈**", False)
    assert orders.get(town.clerk, mine.id).resident_name == "陈建国"


def test_who_may_place_assign_and_read(town: OrderTown) -> None:
    orders = town.cg.orders
    order = town.advice(by=town.clerk)  # at the counter, for the resident
    assert town.cg.cases.get(town.admin, order.id).reported_at == START
    with pytest.raises(PermissionDenied):  # another household
        orders.place(town.elder, resident_id=town.resident_id, item="legal_advice",
                     fields={"question": "?"})  # fmt: skip
    with pytest.raises(PermissionDenied):
        orders.get(town.elder, order.id)
    with pytest.raises(PermissionDenied):
        orders.assign(town.resident, order.id, provider_kind="department", provider="T-justice")
    with pytest.raises(PermissionDenied):  # out of reach: the other community
        orders.assign(town.other_clerk, order.id, provider_kind="department", provider="T-justice")
    with pytest.raises(PermissionDenied):  # grid workers do not assign
        orders.assign(town.worker, order.id, provider_kind="department", provider="T-justice")
    with pytest.raises(PermissionDenied):
        orders.under(town.resident, town.grid)
    assert orders.get(town.resident, order.id).id == order.id


def test_care_group_items_are_for_their_members(town: OrderTown) -> None:
    orders = town.cg.orders
    care = orders.place(
        town.elder, resident_id=town.elder_id, item="home_care",
        fields={"address": "3栋201", "care_needed": "助浴", "contact_time": ""},
    )  # fmt: skip
    assert (care.fee, care.fields) == (2000, {"address": "3栋201", "care_needed": "助浴"})
    assert care.resolve_due == START + 2 * DAY
    with pytest.raises(ValidationError) as caught:
        orders.place(town.resident, resident_id=town.resident_id, item="home_care",
                     fields={"address": "1", "care_needed": "x"})  # fmt: skip
    assert (caught.value.field, caught.value.value) == ("item", "home_care")
    assert "独居老人" in caught.value.reason


def test_the_catalogue_has_labels(town: OrderTown) -> None:
    items = {i.code: i for i in town.cg.orders.catalogue(town.grid)}
    assert len(items) == 6
    care = items["home_care"]
    assert care.department_label == "卫健 health" and care.duty_label == "可以做 may provide"
    assert care.who_labels[0] == "独居老人 elder living alone"
    assert items["legal_advice"].who_labels == ("居民 resident",)
    assert town.cg.orders.catalogue(town.town) == list(items.values())


def test_cancelling_withdraws_the_case(town: OrderTown) -> None:
    orders = town.cg.orders
    order = town.advice()
    cancelled = orders.cancel(town.resident, order.id, reason="问题已自行解决")
    assert (cancelled.step, cancelled.case_state) == ("cancelled", "withdrawn")
    with pytest.raises(StateError, match="cancelled: cannot assign"):
        orders.assign(town.clerk, order.id, provider_kind="department", provider="T-justice")
    done = town.done()
    with pytest.raises(StateError, match="done: cannot cancel"):
        orders.cancel(town.clerk, done.id, reason="x")


def test_lists_filter_by_step_item_and_overdue(town: OrderTown) -> None:
    orders = town.cg.orders
    first, second = town.advice(), town.advice()
    care = orders.place(town.elder, resident_id=town.elder_id, item="home_care",
                        fields={"address": "3栋", "care_needed": "送餐"})  # fmt: skip
    orders.assign(town.clerk, second.id, provider_kind="department", provider="T-justice")
    assert [o.id for o in orders.under(town.clerk, town.community)] == [
        first.id,
        second.id,
        care.id,
    ]
    assert [o.id for o in orders.under(town.clerk, town.grid, step="ordered")] == [
        first.id,
        care.id,
    ]
    assert [o.id for o in orders.under(town.admin, town.town, item="home_care")] == [care.id]
    page = orders.under(town.admin, town.town, limit=1, after_id=first.id)
    assert [o.id for o in page] == [second.id]
    town.clock.advance(hours=25)  # past the 24 hours to assign
    late = orders.under(town.clerk, town.community, overdue=True)
    assert [(o.id, o.overdue) for o in late] == [(first.id, True), (care.id, True)]
    assert [o.id for o in orders.under(town.clerk, town.community, overdue=False)] == [second.id]
    assert orders.under(town.other_clerk, "411425100002") == []


def test_an_escalated_order_is_assigned_again(town: OrderTown) -> None:
    orders = town.cg.orders
    order = town.advice()
    orders.assign(town.clerk, order.id, provider_kind="department", provider="T-justice")
    orders.respond(town.clerk, order.id, accept=True)
    town.clock.advance(days=4)  # past the item's three days
    assert town.cg.cases.escalate_overdue() == [order.id]
    moved = orders.get(town.admin, order.id)
    assert (moved.step, moved.case_state, moved.lead, moved.overdue) == (
        "accepted", "triaged", None, False,
    )  # fmt: skip
    with pytest.raises(StateError, match="before it is assigned again"):
        orders.complete(town.clerk, order.id, note="x")
    again = orders.assign(town.admin, order.id, provider_kind="department", provider="T-civil")
    assert (again.step, again.case_state, again.lead) == (
        "assigned",
        "dispatched",
        "department:T-civil",
    )


def test_rates_count_service_orders_only(town: OrderTown) -> None:
    town.cg.cases.report(town.worker, text="路灯坏了", unit=town.grid)
    order = town.done()
    town.cg.orders.rate(town.resident, order.id, rating=1)
    rates = town.cg.orders.rates(town.clerk, town.community)
    assert (rates.accepted, rates.rated, rates.satisfied, rates.satisfaction_rate) == (1, 1, 0, 0.0)
    assert town.cg.cases.rates(town.admin, town.town)[0].accepted == 2
    by_channel = town.cg.cases.rates(town.admin, town.town, channel="service_order")
    assert by_channel[0].accepted == 1
    with pytest.raises(ValidationError) as caught:
        town.cg.cases.metrics(town.admin, town.town, channel="fax")  # type: ignore[arg-type]
    assert (caught.value.field, caught.value.value) == ("channel", "fax")
    with pytest.raises(PermissionDenied):
        town.cg.orders.rates(town.other_clerk, town.community)
