"""Wishes when people leave or move (``WishHandOver``), through the people's life events, one
test per departure kind."""

from __future__ import annotations

import pytest

import commgov
from commgov.capabilities import OPEN_WORK
from commgov.wishes.service.handover import WishHandOver

from .helpers import WishTown, counts


def test_wishes_are_an_open_work_of_the_store() -> None:
    assert any(isinstance(w, WishHandOver) and w.name == "wishes" for w in OPEN_WORK)


@pytest.mark.parametrize("reason", ["died", "moved_out"])
def test_resident_left_withdraws_their_wants_and_offers(wt: WishTown, reason: str) -> None:
    want = wt.want()
    offer = wt.offer("li", quantity=2)
    idea = wt.wishes.post(wt.actor("li"), kind="suggestion", category="culture", text="办读书会",
                          resident_id=wt.rid("li"))  # fmt: skip
    others = wt.want("zhang")
    match = wt.wishes.propose(wt.worker, others.id, offer.id)
    wt.wishes.accept_match(wt.actor("zhang"), match.id)
    helper = wt.offer("zhang")
    wt.wishes.propose(wt.worker, want.id, helper.id)
    event = wt.cg.residents.leave(wt.admin, wt.rid("li"), reason=reason)  # type: ignore[arg-type]
    assert event is not None
    for wish_id in (want.id, offer.id):
        gone = wt.wishes.get(wt.worker, wish_id)
        assert gone.state == "withdrawn" and reason in (gone.closed_reason or "")
    assert wt.wishes.get(wt.worker, idea.id).state == "open"  # the community's idea stays
    back = wt.wishes.get(wt.worker, others.id)
    assert (back.state, back.committed) == ("open", 0)
    assert wt.wishes.get(wt.worker, helper.id).committed == 0
    assert {m.state for m in wt.wishes.matches(wt.worker, offer.id)} == {"cancelled"}


def test_resident_merged_repoints_their_wishes(wt: WishTown) -> None:
    home = wt.town.household(
        wt.town.grid_a1, {"name": "李秀英", "birth_date": "1960-01-01", "sex": "F"}
    )
    duplicate = home.member_ids[0]
    want = wt.wishes.post(wt.worker, kind="want", category="elder", text="x", resident_id=duplicate)
    wt.cg.residents.merge(wt.admin, duplicate, into=wt.rid("li"))
    moved = wt.wishes.get(wt.worker, want.id)
    assert (moved.state, moved.author_id) == ("open", wt.rid("li"))
    assert wt.wishes.withdraw(wt.actor("li"), want.id, reason="自己撤回").state == "withdrawn"


def test_resident_moved_keeps_their_wishes(wt: WishTown) -> None:
    want = wt.want()
    new_home = wt.town.household(wt.town.grid_a2)
    wt.cg.residents.move(wt.admin, wt.rid("li"), household_id=new_home.id)
    kept = wt.wishes.get(wt.worker, want.id)
    assert (kept.state, kept.author_id, kept.unit_code) == ("open", wt.rid("li"), wt.town.grid_a1)
    moved = commgov.Actor.resident("李秀英", new_home.id)
    assert wt.wishes.withdraw(moved, want.id, reason="搬家了").state == "withdrawn"


def test_staff_left_hands_their_wishes_to_the_successor(wt: WishTown) -> None:
    offer = wt.wishes.post(
        wt.worker, kind="offer", category="study", text="周末辅导", unit=wt.town.grid_a1
    )
    done = wt.wishes.post(
        wt.worker, kind="offer", category="study", text="旧的", unit=wt.town.grid_a1
    )
    wt.wishes.withdraw(wt.worker, done.id, reason="不做了")
    gone = wt.worker.staff_id
    taker = wt.staff_a.staff_id
    assert gone is not None and taker is not None
    before = counts(wt.cg)
    with pytest.raises(commgov.ValidationError, match="authored 1 open wish") as caught:
        wt.cg.staff.deactivate(wt.admin, gone, reason="调离")
    assert caught.value.field == "hand_over_to"
    assert counts(wt.cg) == before
    wt.cg.staff.deactivate(wt.admin, gone, reason="调离", hand_over_to=taker)
    assert wt.wishes.get(wt.admin, offer.id).author_id == taker
    assert wt.wishes.get(wt.admin, done.id).author_id == gone  # closed work stays as it was


def test_staff_moved_hands_over_the_wishes_in_the_units_they_leave(wt: WishTown) -> None:
    staff = wt.town.worker(wt.town.community_a, "community_staff")
    assert staff.staff_id is not None and wt.staff_a.staff_id is not None
    here = wt.wishes.post(staff, kind="offer", category="study", text="A1", unit=wt.town.grid_a1)
    wt.cg.staff.reassign(wt.admin, staff.staff_id, units=[wt.town.community_b],
                         hand_over_to=wt.staff_a.staff_id)  # fmt: skip
    assert wt.wishes.get(wt.admin, here.id).author_id == wt.staff_a.staff_id
