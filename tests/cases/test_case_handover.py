"""Open cases handed over when a staff member leaves or moves (``CaseHandOver``, the cases'
``OpenWork``), called as the people service calls it: inside the life event's unit of work."""

from __future__ import annotations

import datetime as dt

import pytest

import commgov
from commgov.capabilities import OPEN_WORK
from commgov.cases.service.handover import CaseHandOver
from commgov.kernel.handover import Departure, DepartureKind, HandedOver

from .conftest import Town

AT = dt.datetime(2025, 6, 2, 12, tzinfo=dt.UTC)


def hand_over(
    town: Town,
    kind: DepartureKind,
    person: int,
    successor: int | None,
    units: tuple[int, ...] = (),
) -> HandedOver:
    departure = Departure(
        kind=kind, person_id=person, at=AT, reason="调岗 transferred", successor_id=successor,
        unit_ids=units,
    )  # fmt: skip
    with town.cg.context.uow() as uow:
        return CaseHandOver().hand_over(town.cg.context, uow, town.admin, departure)


def dispatched(town: Town, grid: int, lead: str, co: list[str] | None = None) -> int:
    case = town.report(town.admin, unit=town.grids[grid])
    town.cases.accept(town.admin, case.id)
    town.cases.triage(town.admin, case.id, owner_level="grid")
    town.cases.dispatch(town.admin, case.id, lead=lead, co_operators=co)
    return case.id


def test_cases_are_an_open_work_of_the_store() -> None:
    assert any(isinstance(work, CaseHandOver) and work.name == "cases" for work in OPEN_WORK)


def test_a_leaving_staff_members_open_cases_go_to_the_successor(store_town: Town) -> None:
    town = store_town
    gone, taker = town.workers[0].staff_id, town.workers[1].staff_id
    assert gone is not None and taker is not None
    me, them = f"staff:{gone}", f"staff:{taker}"
    led = dispatched(town, 0, me)
    working = dispatched(town, 2, me, ["T-fire"])
    town.cases.start(town.admin, working)
    resolved = dispatched(town, 0, me)
    town.cases.start(town.admin, resolved)
    town.cases.resolve(town.admin, resolved, outcome="修好了")
    closed = dispatched(town, 0, me)
    steps = [{"action": "start"}, {"action": "resolve", "note": "done"}, {"action": "inform"}]
    steps.append({"action": "close"})
    town.cases.apply_many(town.admin, [{"case_id": closed, **step} for step in steps])
    helping = dispatched(town, 0, "department:T-fire", [me, "T-police"])
    both = dispatched(town, 1, me, [them])
    untouched = dispatched(town, 0, them)
    before = {i: town.cases.get(town.admin, i) for i in (closed, untouched)}

    done = hand_over(town, "staff_left", gone, taker)

    assert done == HandedOver(work="cases", handed_over=5)
    view = {i: town.cases.get(town.admin, i) for i in (led, working, resolved, helping, both)}
    assert [view[i].lead for i in (led, working, resolved)] == [them] * 3
    assert view[working].co_operators == ("T-fire",)
    assert (view[helping].lead, view[helping].co_operators) == (
        "department:T-fire",
        (them, "T-police"),
    )
    assert (view[both].lead, view[both].co_operators) == (them, ())  # not lead and helper at once
    assert view[resolved].state == "resolved"  # states stay
    assert {i: town.cases.get(town.admin, i) for i in (closed, untouched)} == before
    last = town.cases.history(town.admin, led)[-1]
    assert (last.action, last.note, last.data["from"], last.data["to"]) == (
        "hand_over",
        "调岗 transferred",
        me,
        them,
    )
    for case_id in view:
        stored, replayed = town.cases.replayed(town.admin, case_id)
        assert stored == replayed
    assert hand_over(town, "staff_left", gone, taker) == HandedOver(work="cases")  # none left


def test_a_move_hands_over_the_cases_of_the_units_left_only(store_town: Town) -> None:
    town = store_town
    gone = town.community_staff[0].staff_id
    taker = town.workers[0].staff_id
    assert gone is not None
    me = f"staff:{gone}"
    first, second = dispatched(town, 0, me), dispatched(town, 1, me)
    far = dispatched(town, 2, me)
    grid = town.cg.grids.get(town.grids[1])
    done = hand_over(town, "staff_moved", gone, taker, (grid.id,))
    assert done.handed_over == 1
    leads = [town.cases.get(town.admin, i).lead for i in (first, second, far)]
    assert leads == [me, f"staff:{taker}", me]
    community = town.cg.grids.get(town.communities[0])
    assert hand_over(town, "staff_moved", gone, taker, (community.id,)).handed_over == 1
    assert hand_over(town, "staff_moved", gone, taker, ()).handed_over == 0  # left no unit


@pytest.mark.parametrize(
    ("successor", "says"),
    [
        (None, "name an active staff member to take them over"),
        (99_999, "staff 99999 is not an active staff member"),
        ("self", "cannot take their own work over"),
    ],
)
def test_no_fit_successor_refuses_and_writes_nothing(
    town: Town, successor: int | str | None, says: str
) -> None:
    gone = town.workers[0].staff_id
    assert gone is not None
    ids = [dispatched(town, 0, f"staff:{gone}") for _ in range(6)]
    before = [town.cases.get(town.admin, i) for i in ids]
    taker = gone if successor == "self" else successor
    assert taker is None or isinstance(taker, int)
    with pytest.raises(commgov.ValidationError) as caught:
        hand_over(town, "staff_left", gone, taker)
    error = caught.value
    assert (error.field, error.value) == ("hand_over_to", taker)
    assert f"staff {gone} leads 6 open cases (" in error.reason and says in error.reason
    assert before[0].number in error.reason and ", …)" in error.reason
    assert [town.cases.get(town.admin, i) for i in ids] == before


def test_without_open_cases_no_successor_is_needed(town: Town) -> None:
    gone = town.workers[0].staff_id
    assert gone is not None
    assert hand_over(town, "staff_left", gone, None) == HandedOver(work="cases")


@pytest.mark.parametrize("kind", ["resident_merged", "resident_left", "resident_moved"])
def test_residents_departures_leave_cases_as_they_are(town: Town, kind: DepartureKind) -> None:
    """Cases keep the reporting household and the reporter's label, no resident id: a
    merged resident leaves nothing to re-point, and a resident's cases stay on record."""
    case = town.cases.report(town.residents[0], text="楼道灯坏了")
    assert hand_over(town, kind, 1, 2) == HandedOver(work="cases")
    assert town.cases.get(town.admin, case.id) == case
