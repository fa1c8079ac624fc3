"""A resident's bookings when they leave: cancelled when they die or move out, following them
when they move house (unless the new home lies outside a resource's community), handed to
the kept record when merged; staff leaving changes nothing (their unit keeps its bookings)."""

from __future__ import annotations

import pytest

import commgov

from .conftest import RTown, counts


@pytest.mark.parametrize("reason", ["died", "moved_out"])
def test_leaving_cancels_bookings_not_yet_started(any_rtown: RTown, reason: str) -> None:
    t = any_rtown
    room = t.room()
    quiet = t.room(name="阅览室", approval=True)
    started = t.book(t.anna, room.id, 0, "15:00", "16:00")
    approved = t.book(t.anna, room.id, 1, "19:00", "20:00", party_size=2)
    pending = t.book(t.anna, quiet.id, 2, "09:00", "10:00")
    other = t.book(t.elder, room.id, 1, "19:00", "20:00")
    t.clock.now = t.at(0, "15:10").astimezone(t.clock.now.tzinfo)
    done = t.cg.residents.leave(t.admin, t.anna_id, reason=reason)  # type: ignore[arg-type]
    assert done.work["resources"] == (0, 2)
    states = {b.id: b for b in t.cg.resources.mine(t.anna)}
    assert states[started.id].state == "approved"  # it had started: staff will mark it
    assert {states[approved.id].state, states[pending.id].state} == {"cancelled"}
    assert states[approved.id].note == f"{reason}: resident {t.anna_id} left"
    assert t.cg.resources.booking(t.clerk_a, other.id).state == "approved"
    assert list(t.used(room.id).values()) == [1, 1, 1, 1]  # her 15:00 one and the elder's
    assert t.used(quiet.id) == {}


def test_moving_house_keeps_what_may_still_be_booked(any_rtown: RTown) -> None:
    t = any_rtown
    room_a = t.room()
    hall = t.room(name="多功能厅", shared=True)
    barred = t.book(t.anna, room_a.id, 1, "19:00", "20:00")
    kept = t.book(t.anna, hall.id, 1, "19:00", "20:00")
    new_home = t.cg.residents.add_household(t.admin, unit=t.grid_b1, address="幸福路 8 号")
    done = t.cg.residents.move(t.admin, t.anna_id, household_id=new_home.id)
    assert done.work["resources"] == (0, 1)
    assert t.cg.resources.booking(t.clerk_a, barred.id).state == "cancelled"
    followed = t.cg.resources.booking(t.clerk_b, kept.id)
    assert (followed.state, followed.party_unit) == ("approved", t.grid_b1)
    assert t.used(room_a.id) == {}


def test_merging_hands_bookings_to_the_kept_record(any_rtown: RTown) -> None:
    t = any_rtown
    room = t.room()
    twin, twin_id = t.resident(t.grid_a1, "王安娜")
    made = t.book(twin, room.id, 1, "19:00", "20:00")
    done = t.cg.residents.merge(t.admin, twin_id, into=t.anna_id)
    assert done.work["resources"] == (1, 0)
    assert [b.id for b in t.cg.resources.mine(t.anna)] == [made.id]
    assert t.cg.resources.booking(t.anna, made.id).resident_id == t.anna_id


@pytest.mark.parametrize("event", ["staff_left", "staff_moved"])
def test_staff_leaving_or_moving_changes_no_booking(any_rtown: RTown, event: str) -> None:
    t = any_rtown
    room = t.room()
    made = t.book(t.worker_a, room.id, 1, "19:00", "20:00")
    before = counts(t.cg)
    staff_id = t.worker_a.staff_id
    assert staff_id is not None
    if event == "staff_left":
        done = t.cg.staff.deactivate(t.admin, staff_id, reason="调离")
    else:
        done = t.cg.staff.reassign(t.admin, staff_id, units=[t.grid_b1])
    assert "resources" not in done.work
    seen = t.cg.resources.booking(t.clerk_a, made.id)
    assert (seen.state, seen.party_unit, seen.staff_id) == ("approved", t.grid_a1, staff_id)
    after = counts(t.cg)
    assert after["resource_bookings"] == before["resource_bookings"]
    assert after["places held"] == before["places held"]
    if event == "staff_left":
        with pytest.raises(commgov.StateError):
            t.cg.staff.actor(staff_id)
