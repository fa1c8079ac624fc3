"""The participation capabilities' main events reach the outbox with their change: wishes,
bookings, votes and activities, each ordered within its own aggregate, with ids and codes."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import SECRET, build_town
from tests.organisations.conftest import END
from tests.organisations.conftest import Clock as ClubClock
from tests.organisations.conftest import furnish as furnish_club
from tests.resources.conftest import Clock as RoomClock
from tests.resources.conftest import build as build_rooms
from tests.votes.conftest import furnish as furnish_street
from tests.wishes.helpers import wish_town

import commgov
from commgov.kernel.outbox import OutboxRepository, StoredEvent


def events(cg: commgov.Commgov, aggregate: str) -> list[StoredEvent]:
    with cg.context.uow(readonly=True) as uow:
        return uow.repo(OutboxRepository).of(aggregate)


def everything(cg: commgov.Commgov) -> str:
    with cg.context.uow(readonly=True) as uow:
        found = uow.repo(OutboxRepository).after(0, limit=100_000)
    return json.dumps([e.body() for e in found], ensure_ascii=False)


def test_wish_events(store: commgov.Commgov) -> None:
    wt = wish_town(build_town(store))
    want = wt.want("li")
    offer = wt.offer("zhang")
    match = wt.wishes.propose(wt.worker, want.id, offer.id)
    wt.wishes.accept_match(wt.actor("li"), match.id)
    wt.wishes.fulfil(wt.actor("li"), want.id, rating=5)
    wt.wishes.withdraw(wt.actor("zhang"), offer.id, reason="搬家了")
    found = events(store, f"wish:{want.id}")
    assert [e.kind for e in found] == ["wish.posted", "wish.fulfilled"]
    assert found[-1].payload["state"] == "fulfilled" and found[-1].payload["rating"] == 5
    assert [e.kind for e in events(store, f"wish:{offer.id}")] == [
        "wish.posted",
        "wish.withdrawn",
    ]
    text = everything(store)
    for secret in ("水龙头漏水", "李秀英", "张伟", "搬家了"):
        assert secret not in text


def test_booking_events(tmp_path: Path) -> None:
    clock = RoomClock()
    url = f"sqlite:///{tmp_path / 'rooms.db'}"
    with commgov.open(url, secret_key=SECRET, clock=clock, discover_plugins=False) as cg:
        t = build_rooms(cg, clock)
        room = t.room(approval=True)
        booked = t.book(t.anna, room.id, 1, "19:00", "20:00", purpose="合唱排练")
        cg.resources.approve(t.clerk_a, booked.id)
        cg.resources.cancel(t.anna, booked.id, reason="下雨")
        found = events(cg, f"booking:{booked.id}")
        assert [e.kind for e in found] == [
            "booking.requested",
            "booking.approved",
            "booking.cancelled",
        ]
        assert found[0].payload["resource_id"] == room.id
        assert found[0].payload["unit"] == t.grid_a1
        assert "合唱排练" not in everything(cg) and "王安娜" not in everything(cg)


def test_vote_events(store: commgov.Commgov) -> None:
    street = furnish_street(build_town(store))
    admin = street.town.admin
    vote = store.votes.open(admin, question="是否加装电梯？", electorate="households",
                            unit=street.town.community_a)  # fmt: skip
    for voter in street.voters[:3]:
        store.votes.cast(voter, vote.id, choices=["yes"])
    store.votes.close(admin, vote.id)
    found = events(store, f"vote:{vote.id}")
    assert [e.kind for e in found] == ["vote.opened", "vote.closed"]  # ballots are no events
    closed = found[-1].payload
    assert (closed["state"], closed["ballots"], closed["secret"]) == ("closed", 3, True)
    assert closed["outcome"] in ("carried", "rejected", "no_quorum")
    assert "电梯" not in everything(store)


def test_activity_events(tmp_path: Path) -> None:
    clock = ClubClock()
    url = f"sqlite:///{tmp_path / 'club.db'}"
    with commgov.open(url, secret_key=SECRET, clock=clock, discover_plugins=False) as cg:
        club = furnish_club(build_town(cg), clock)
        activity = club.activity()
        cg.activities.sign_up(club.actors[1], activity.id)
        cg.activities.sign_up(club.actors[2], activity.id)
        clock.now = END
        came = club.residents[1:2]
        cg.activities.take_attendance(club.leader, activity.id, present=came)
        other = club.activity()
        cg.activities.cancel(club.leader, other.id, reason="天气")
        found = events(cg, f"activity:{activity.id}")
        assert [e.kind for e in found] == ["activity.published", "activity.attendance_taken"]
        assert (found[-1].payload["paid"], found[-1].payload["absent"]) == (1, 0)
        assert [e.kind for e in events(cg, f"activity:{other.id}")] == [
            "activity.published",
            "activity.cancelled",
        ]
        assert "敬老服务" not in everything(cg) and "天气" not in everything(cg)
