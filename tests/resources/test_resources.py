"""Publishing resources and booking them: capacity held by the store, approval, cancellation,
check-in and no-show, closed periods, recurring bookings all or nothing, the calendar."""

from __future__ import annotations

import datetime as dt

import pytest

import commgov
from commgov.resources.repository import ResourceRepository

from .conftest import HOURS, RTown, counts

HALF = dt.timedelta(minutes=30)


def test_a_resource_is_published_with_its_rules(any_rtown: RTown) -> None:
    t = any_rtown
    room = t.room(description="二楼，可容纳 30 人")
    assert (room.unit_code, room.community_code, room.kind_label) == (
        t.community_a, t.community_a, "活动室 room",
    )  # fmt: skip
    assert room.hours["mon"] == ["08:00-12:00", "14:00-21:00"] and room.hours["sun"] == [
        "09:00-17:00"
    ]
    assert (room.capacity, room.slot_minutes, room.bookers, room.shared) == (3, 30, "both", False)
    assert (room.horizon_days, room.longest_minutes, room.approval) == (30, 240, False)
    grid_ground = t.room(name="球场", kind="ground", unit=t.grid_a1, by=t.worker_a, shared=True)
    assert (grid_ground.unit_code, grid_ground.community_code) == (t.grid_a1, t.community_a)
    assert t.cg.resources.get(t.anna, room.id) == room
    with t.cg.context.uow(readonly=True) as uow:
        plain = uow.repo(ResourceRepository).resource(room.id)
        assert plain is not None and (plain.name, plain.capacity) == ("活动室", 3)
        assert uow.repo(ResourceRepository).resource(999) is None


def test_capacity_is_held_per_slot_and_a_full_slot_is_named(any_rtown: RTown) -> None:
    t = any_rtown
    room = t.room()
    two = t.book(t.anna, room.id, 1, "19:00", "20:00", party_size=2, purpose="合唱排练")
    assert (two.state, two.state_label, two.party_size) == ("approved", "已预约 approved", 2)
    assert (two.resident_id, two.party_unit, two.booked_by) == (
        t.anna_id, t.grid_a1, "resident:王安娜",
    )  # fmt: skip
    one = t.book(t.clerk_a, room.id, 1, "19:30", "20:30")
    assert (one.party_unit, one.staff_id) == (t.community_a, t.clerk_a.staff_id)
    before = counts(t.cg)
    with pytest.raises(commgov.ConflictError) as caught:
        t.book(t.worker_a, room.id, 1, "19:00", "20:00")
    assert str(caught.value) == (
        "活动室 is full at 2026-12-01 19:30 (3 of 3 places booked) "
        "(活动室 2026-12-01 19:30 已约满，已预约 3/3)"
    )
    assert counts(t.cg) == before
    assert list(t.used(room.id).values()) == [2, 3, 1]  # 19:00, 19:30, 20:00
    fits = t.book(t.worker_a, room.id, 1, "19:00", "19:30")  # the first slot has one place
    assert list(t.used(room.id).values()) == [3, 3, 1]
    with t.cg.context.uow(readonly=True) as uow:
        plain = uow.repo(ResourceRepository).booking(fits.id)
    assert plain is not None and (plain.party_size, plain.unit_id, plain.series_id) == (
        1,
        plain.unit_id,
        None,
    )
    assert plain.starts_at == t.at(1, "19:00") and plain.state == "approved"


def test_pending_bookings_hold_places_until_approved_or_rejected(any_rtown: RTown) -> None:
    t = any_rtown
    room = t.room(capacity=1, approval=True)
    first = t.book(t.anna, room.id, 2, "15:00", "16:00")
    assert first.state == "pending"
    with pytest.raises(commgov.ConflictError, match="full at 2026-12-02 15:00"):
        t.book(t.elder, room.id, 2, "15:00", "15:30")
    with pytest.raises(commgov.PermissionDenied):
        t.cg.resources.approve(t.worker_b, first.id)  # another community's grid worker
    with pytest.raises(commgov.PermissionDenied):
        t.cg.resources.approve(t.anna, first.id)
    approved = t.cg.resources.approve(t.clerk_a, first.id)
    assert (approved.state, approved.decided_by) == ("approved", "community_staff:张社工")
    with pytest.raises(commgov.StateError, match=f"booking {first.id} is approved"):
        t.cg.resources.approve(t.clerk_a, first.id)
    second = t.book(t.elder, room.id, 2, "16:00", "17:00")
    rejected = t.cg.resources.reject(t.clerk_a, second.id, reason="场地另有安排")
    assert (rejected.state, rejected.note) == ("rejected", "场地另有安排")
    assert t.used(room.id) == {t.at(2, "15:00"): 1, t.at(2, "15:30"): 1}
    with pytest.raises(commgov.StateError, match="is rejected: it cannot become approved"):
        t.cg.resources.approve(t.clerk_a, second.id)
    again = t.book(t.anna, room.id, 2, "16:00", "17:00")  # the rejected booking's places
    assert again.state == "pending"


def test_cancelling_gives_places_back_before_the_start(any_rtown: RTown) -> None:
    t = any_rtown
    room = t.room(capacity=1)
    mine = t.book(t.anna, room.id, 1, "09:00", "10:00")
    with pytest.raises(commgov.PermissionDenied):
        t.cg.resources.cancel(t.ben, mine.id, reason="不是我的")
    with pytest.raises(commgov.PermissionDenied):
        t.cg.resources.cancel(t.worker_b, mine.id, reason="不是我的")
    cancelled = t.cg.resources.cancel(t.anna, mine.id, reason="临时有事")
    assert (cancelled.state, cancelled.note) == ("cancelled", "临时有事")
    assert t.used(room.id) == {}
    with pytest.raises(commgov.StateError, match="is cancelled"):
        t.cg.resources.cancel(t.anna, mine.id, reason="again")
    staff_made = t.book(t.clerk_a, room.id, 1, "09:00", "10:00")
    t.clock.now = t.at(1, "09:10").astimezone(dt.UTC)
    before = counts(t.cg)
    with pytest.raises(commgov.StateError, match="has started: mark it attended or no-show"):
        t.cg.resources.cancel(t.clerk_a, staff_made.id, reason="太晚了")
    assert counts(t.cg) == before


def test_check_in_and_no_show(any_rtown: RTown) -> None:
    t = any_rtown
    room = t.room(capacity=2)
    come = t.book(t.anna, room.id, 1, "14:00", "16:00")
    stay = t.book(t.elder, room.id, 1, "14:00", "16:00")
    t.clock.now = t.at(1, "13:00").astimezone(dt.UTC)
    with pytest.raises(commgov.StateError, match="takes check-ins from half an hour before"):
        t.cg.resources.check_in(t.anna, come.id)
    with pytest.raises(commgov.StateError, match="has not started: no no-show yet"):
        t.cg.resources.no_show(t.clerk_a, stay.id)
    t.clock.now = t.at(1, "13:40").astimezone(dt.UTC)
    with pytest.raises(commgov.PermissionDenied):
        t.cg.resources.check_in(t.ben, come.id)
    attended = t.cg.resources.check_in(t.anna, come.id)
    assert attended.state == "attended"
    t.clock.now = t.at(1, "14:40").astimezone(dt.UTC)
    with pytest.raises(commgov.PermissionDenied):
        t.cg.resources.no_show(t.elder, stay.id)
    missed = t.cg.resources.no_show(t.clerk_a, stay.id)
    assert (missed.state, missed.released_from) == ("no_show", t.at(1, "15:00"))
    assert list(t.used(room.id).values()) == [2, 2, 1, 1]  # 15:00 on: the no-show's places back
    assert t.book(t.clerk_a, room.id, 1, "15:00", "16:00", party_size=1).state == "approved"
    with pytest.raises(commgov.StateError, match="is attended: it cannot become no_show"):
        t.cg.resources.no_show(t.clerk_a, come.id)


def test_closures_refuse_live_bookings_and_bookings_refuse_closures(any_rtown: RTown) -> None:
    t = any_rtown
    room = t.room()
    live = t.book(t.anna, room.id, 3, "19:00", "20:00")
    before = counts(t.cg)
    with pytest.raises(commgov.ConflictError) as caught:
        t.cg.resources.close(
            t.clerk_a, room.id, starts_at=t.at(3, "08:00"), ends_at=t.at(4, "21:00"),
            reason="电路维修",
        )  # fmt: skip
    assert f"booking {live.id} (2026-12-03 19:00–20:00)" in str(caught.value)
    assert "cancel them first" in str(caught.value)
    assert counts(t.cg) == before
    with pytest.raises(commgov.PermissionDenied):
        t.cg.resources.close(
            t.worker_b, room.id, starts_at=t.at(3, "08:00"), ends_at=t.at(4, "21:00"), reason="x"
        )
    t.cg.resources.cancel(t.clerk_a, live.id, reason="场地维修")
    closure = t.cg.resources.close(
        t.clerk_a, room.id, starts_at=t.at(3, "08:00"), ends_at=t.at(4, "21:00"), reason="电路维修"
    )
    assert (closure.reason, closure.starts_at) == ("电路维修", t.at(3, "08:00"))
    assert t.cg.resources.get(t.anna, room.id).closures == [closure]
    before = counts(t.cg)
    with pytest.raises(commgov.ValidationError) as refused:
        t.book(t.anna, room.id, 4, "19:00", "20:00")
    assert refused.value.field == "starts_at" and refused.value.value == t.at(4, "19:00")
    assert "活动室 is closed 2026-12-03 08:00–2026-12-04 21:00 (电路维修)" in str(refused.value)
    assert counts(t.cg) == before
    assert t.book(t.anna, room.id, 7, "19:00", "20:00").state == "approved"


def test_a_recurring_booking_is_all_or_nothing(any_rtown: RTown) -> None:
    t = any_rtown
    room = t.room(capacity=2, horizon_days=60)
    t.book(t.clerk_a, room.id, 15, "19:00", "20:00", party_size=2)  # fills the third Tuesday
    before = counts(t.cg)
    with pytest.raises(commgov.ConflictError) as caught:
        t.cg.resources.book_recurring(
            t.anna, room.id, starts_at=t.at(1, "19:00"), ends_at=t.at(1, "20:00"), occurrences=5
        )
    assert str(caught.value).startswith(
        "occurrence 3 of 5 on 2026-12-15: 活动室 is full at 2026-12-15 19:00 (2 of 2 places booked)"
    )
    assert counts(t.cg) == before
    t.cg.resources.close(
        t.clerk_a, room.id, starts_at=t.at(22, "00:00"), ends_at=t.at(23, "00:00"), reason="元旦"
    )
    before = counts(t.cg)
    with pytest.raises(commgov.ValidationError, match=r"occurrence 2 of 3 on 2026-12-22: .*元旦"):
        t.cg.resources.book_recurring(
            t.anna, room.id, starts_at=t.at(15, "14:00"), ends_at=t.at(15, "15:00"),
            occurrences=3, party_size=1,
        )  # fmt: skip
    with pytest.raises(commgov.ValidationError, match=r"occurrence 4 of 10 on 2026-12-22: .*元旦"):
        t.cg.resources.book_recurring(
            t.anna, room.id, starts_at=t.at(1, "08:00"), ends_at=t.at(1, "09:00"),
            occurrences=10, repeat="weekly",
        )  # fmt: skip  # the tenth (2027-02-02) is beyond the horizon too: the first is named
    with pytest.raises(
        commgov.ValidationError, match=r"occurrence 10 of 10 on 2027-02-03: .*horizo"
    ):
        t.cg.resources.book_recurring(
            t.anna, room.id, starts_at=t.at(2, "08:00"), ends_at=t.at(2, "09:00"),
            occurrences=10,
        )  # fmt: skip
    assert counts(t.cg) == before
    made = t.cg.resources.book_recurring(
        t.anna, room.id, starts_at=t.at(1, "19:00"), ends_at=t.at(1, "20:00"), occurrences=2,
        purpose="每周合唱",
    )  # fmt: skip
    assert len({b.series_id for b in made}) == 1 and made[0].series_id is not None
    assert [b.starts_at for b in made] == [t.at(1, "19:00"), t.at(8, "19:00")]
    daily = t.cg.resources.book_recurring(
        t.anna, room.id, starts_at=t.at(2, "08:00"), ends_at=t.at(2, "08:30"), occurrences=3,
        repeat="daily",
    )  # fmt: skip
    assert [b.starts_at.astimezone(dt.UTC).day for b in daily] == [2, 3, 4]


def test_the_calendar_and_ones_own_bookings(any_rtown: RTown) -> None:
    t = any_rtown
    room = t.room(shared=True)
    mine = t.book(t.anna, room.id, 1, "19:00", "20:00")
    theirs = t.book(t.ben, room.id, 1, "20:00", "21:00")
    staff = t.book(t.clerk_a, room.id, 2, "09:00", "10:00")
    day = t.day(1)
    calendar = t.cg.resources.bookings(t.clerk_a, resource_id=room.id, start=day, end=day)
    assert [b.id for b in calendar] == [mine.id, theirs.id]
    week = t.cg.resources.bookings(
        t.clerk_a, resource_id=room.id, start=t.at(0, "00:00"), end=t.at(7, "00:00")
    )
    assert [b.id for b in week] == [mine.id, theirs.id, staff.id]
    assert [b.id for b in t.cg.resources.mine(t.anna)] == [mine.id]
    assert [b.id for b in t.cg.resources.mine(t.clerk_a)] == [staff.id]
    assert t.cg.resources.booking(t.ben, theirs.id).booked_by == "resident:刘本"
    assert t.cg.resources.mine(t.admin) == []
    assert HOURS["mon-fri"] == t.cg.resources.get(t.ben, room.id).hours["fri"]


def test_a_long_booking_clashing_on_its_last_slot_holds_nothing(any_rtown: RTown) -> None:
    t = any_rtown
    desk = t.room(name="共享工位", kind="equipment", capacity=1, slot_minutes=5,
                  hours={"daily": ["00:00-24:00"]}, longest_minutes=7 * 24 * 60)  # fmt: skip
    t.cg.resources.book(t.clerk_a, desk.id, starts_at=t.at(5, "23:55"), ends_at=t.at(6, "00:00"))
    before = counts(t.cg)
    with pytest.raises(commgov.ConflictError, match="共享工位 is full at 2026-12-05 23:55"):
        t.cg.resources.book(t.anna, desk.id, starts_at=t.at(2, "00:00"), ends_at=t.at(6, "00:00"))
    assert counts(t.cg) == before  # 1,152 slots in two statements: the first undone too
    made = t.cg.resources.book(
        t.anna, desk.id, starts_at=t.at(2, "00:00"), ends_at=t.at(5, "23:55")
    )
    assert len(t.used(desk.id)) == (made.ends_at - made.starts_at) // dt.timedelta(minutes=5) + 1
