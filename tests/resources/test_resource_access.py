"""Who sees which resources, who may book across communities, and whose name is shown."""

from __future__ import annotations

import pytest

import commgov

from .conftest import RTown


def test_shared_resources_take_other_communities(any_rtown: RTown) -> None:
    t = any_rtown
    hall = t.room(name="多功能厅", capacity=40, shared=True)
    from_b = t.book(t.ben, hall.id, 1, "19:00", "20:00", party_size=12)
    assert (from_b.party_unit, from_b.state) == (t.grid_b1, "approved")
    staff_b = t.book(t.clerk_b, hall.id, 1, "19:00", "20:00", party_size=20, purpose="社区合唱")
    assert staff_b.party_unit == t.community_b
    grids = t.worker_a.units | t.worker_b.units  # two grids: neither is the hall's unit
    several = commgov.Actor(role="grid_worker", name="两个网格", units=grids)
    with pytest.raises(commgov.ValidationError) as caught:
        t.book(several, hall.id, 2, "19:00", "20:00")
    assert (caught.value.field, caught.value.value) == ("for_unit", None)
    town_admin = t.admin
    for_b = t.book(town_admin, hall.id, 2, "19:00", "20:00", for_unit=t.community_b)
    assert for_b.party_unit == t.community_b
    with pytest.raises(commgov.PermissionDenied):
        t.book(t.clerk_a, hall.id, 2, "19:00", "20:00", for_unit=t.community_b)


def test_who_sees_which_resources(any_rtown: RTown) -> None:
    t = any_rtown
    room_a = t.room()
    gym_b = t.room(name="健身房", kind="ground", unit=t.community_b, by=t.clerk_b)
    hall_b = t.room(name="礼堂", unit=t.community_b, by=t.clerk_b, shared=True)
    school_places = t.room(name="幼儿园学位", kind="places", capacity=30, unit=t.grid_a1,
                           by=t.worker_a, longest_minutes=480)  # fmt: skip
    listed = t.cg.resources.list(t.admin, under=t.town)
    assert [r.id for r in listed] == [room_a.id, gym_b.id, hall_b.id, school_places.id]
    assert [r.id for r in t.cg.resources.list(t.anna, under=t.town)] == [
        room_a.id, hall_b.id, school_places.id,
    ]  # fmt: skip
    assert [r.id for r in t.cg.resources.list(t.worker_a, under=t.town)] == [
        room_a.id, hall_b.id, school_places.id,
    ]  # fmt: skip
    assert [r.id for r in t.cg.resources.list(t.clerk_b, under=t.community_b)] == [
        gym_b.id, hall_b.id,
    ]  # fmt: skip
    bookable = t.cg.resources.list(t.anna, under=t.community_a, bookable_by=t.grid_a1)
    assert [r.id for r in bookable] == [room_a.id, hall_b.id, school_places.id]  # by id
    assert [r.id for r in t.cg.resources.list(t.admin, under=t.community_b,
                                               bookable_by=t.grid_a1)] == [hall_b.id]  # fmt: skip
    assert t.cg.resources.get(t.ben, hall_b.id).name == "礼堂"
    with pytest.raises(commgov.PermissionDenied):
        t.cg.resources.get(t.anna, gym_b.id)
    with pytest.raises(commgov.PermissionDenied):
        t.cg.resources.bookings(t.anna, resource_id=gym_b.id, start=t.day(1), end=t.day(1))


def test_a_residents_name_is_masked_for_those_who_may_not_read_it(any_rtown: RTown) -> None:
    t = any_rtown
    hall = t.room(name="多功能厅", capacity=40, shared=True)
    mine = t.book(t.elder, hall.id, 1, "19:00", "20:00")
    assert mine.booked_by == "resident:李秀英"  # the booker sees their own name
    day = t.day(1)

    def shown(actor: commgov.Actor) -> str:
        (seen,) = t.cg.resources.bookings(actor, resource_id=hall.id, start=day, end=day)
        return seen.booked_by

    assert shown(t.elder) == "resident:李秀英"
    assert shown(t.clerk_a) == "resident:李秀英"  # may read her household's personal data
    assert shown(t.clerk_b) == "resident:李**"  # another community's staff
    assert shown(t.ben) == "resident:李**"
    assert shown(t.anna) == "resident:李**"
    assert t.cg.resources.booking(t.clerk_a, mine.id).booked_by == "resident:李秀英"
    with pytest.raises(commgov.PermissionDenied):
        t.cg.resources.booking(t.clerk_b, mine.id)
    approved = t.cg.resources.cancel(t.clerk_a, mine.id, reason="场地调整")
    assert approved.booked_by == "resident:李秀英"
