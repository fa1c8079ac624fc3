"""On PostgreSQL: sixteen threads book the same slots at once. The store's CHECK on each slot,
taken under the row locks of one ordered upsert, lets exactly ``capacity`` places through;
every other booker is told ``ConflictError`` and nothing of theirs is held. Then rounds of
overlapping ranges of random lengths and sizes: no deadlock, no slot beyond capacity, every
slot holding exactly what the winners booked, and every loser facing a slot that is full."""

from __future__ import annotations

import datetime as dt
import random
import threading
from collections.abc import Iterator

import pytest
from tests.conftest import SECRET

import commgov

from .conftest import Clock, RTown, build

pytestmark = pytest.mark.postgres
THREADS = 16
CAPACITY = 3
ROUNDS = 6


@pytest.fixture
def pg_rtown(pg_url: str) -> Iterator[RTown]:
    clock = Clock()
    with commgov.open(pg_url, secret_key=SECRET, clock=clock, discover_plugins=False) as cg:
        yield build(cg, clock)


def bookers(t: RTown) -> list[commgov.Actor]:
    """Sixteen residents of community A, one household each, imported in one go."""
    rows = [
        {"unit": t.grid_a1, "address": f"并发路{i}号", "name": f"住户{i}",
         "birth_date": "1970-01-01", "sex": "男"}
        for i in range(THREADS)
    ]  # fmt: skip
    t.cg.imports.import_rows(t.admin, rows, source="bookers.csv")
    found = []
    for home in t.cg.residents.households_under(t.admin, t.grid_a1):
        if home.address.startswith("并发路"):
            (person,) = t.cg.residents.members(t.admin, home.id)
            found.append(commgov.Actor.resident(person.name, home.id, person.id))
    assert len(found) == THREADS
    return found


def race(
    t: RTown, people: list[commgov.Actor], resource_id: int,
    asks: list[tuple[dt.datetime, dt.datetime, int]],
) -> list[commgov.BookingView | BaseException]:  # fmt: skip
    """Each thread books its ask at the same moment; what each got."""
    barrier = threading.Barrier(THREADS, timeout=60)
    got: list[commgov.BookingView | BaseException] = [RuntimeError("not run")] * THREADS

    def run(index: int) -> None:
        start, end, size = asks[index]
        barrier.wait()
        try:
            got[index] = t.cg.resources.book(
                people[index], resource_id, starts_at=start, ends_at=end, party_size=size
            )
        except BaseException as exc:
            got[index] = exc

    threads = [threading.Thread(target=run, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return got


def test_sixteen_threads_book_the_same_slots(pg_rtown: RTown) -> None:
    t = pg_rtown
    people = bookers(t)
    room = t.room(capacity=CAPACITY)
    start, end = t.at(1, "19:00"), t.at(1, "20:00")
    got = race(t, people, room.id, [(start, end, 1)] * THREADS)
    won = [g for g in got if isinstance(g, commgov.BookingView)]
    lost = [g for g in got if not isinstance(g, commgov.BookingView)]
    assert len(won) == CAPACITY
    assert len(lost) == THREADS - CAPACITY
    assert all(isinstance(g, commgov.ConflictError) for g in lost), lost
    assert all("活动室 is full at 2026-12-01 19:" in str(g) for g in lost)
    assert t.used(room.id) == {start: CAPACITY, start + dt.timedelta(minutes=30): CAPACITY}
    calendar = t.cg.resources.bookings(t.clerk_a, resource_id=room.id, start=t.day(1), end=t.day(1))
    assert sorted(b.id for b in calendar) == sorted(b.id for b in won)


def test_overlapping_ranges_never_overflow_nor_deadlock(pg_rtown: RTown) -> None:
    t = pg_rtown
    people = bookers(t)
    rng = random.Random(20261130)
    half = dt.timedelta(minutes=30)
    for round_ in range(ROUNDS):
        room = t.room(name=f"活动室{round_}", capacity=CAPACITY)
        opens = t.at(1, "14:00")
        asks = []
        for _ in range(THREADS):
            first, length = rng.randrange(0, 8), rng.randrange(1, 5)
            asks.append((opens + first * half, opens + (first + length) * half, rng.choice((1, 2))))
        got = race(t, people, room.id, asks)
        held: dict[dt.datetime, int] = {}
        for ask, outcome in zip(asks, got, strict=True):
            if isinstance(outcome, commgov.BookingView):
                at = ask[0]
                while at < ask[1]:
                    held[at] = held.get(at, 0) + ask[2]
                    at += half
            else:
                assert isinstance(outcome, commgov.ConflictError), outcome
        used = t.used(room.id)
        assert used == {at: n for at, n in sorted(held.items()) if n}
        assert max(used.values()) <= CAPACITY
        for ask, outcome in zip(asks, got, strict=True):
            if not isinstance(outcome, commgov.BookingView):
                start, end, size = ask
                covered = [used.get(start + i * half, 0) for i in range((end - start) // half)]
                assert any(n + size > CAPACITY for n in covered), (ask, covered)
