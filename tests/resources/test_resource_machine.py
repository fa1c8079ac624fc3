"""Random runs of bookings (book random ranges and party sizes, approve, reject, cancel) on
two resources — one that needs approval, one that does not — against a plain model of the
places each slot holds: after every step the store holds exactly the model's places on every
slot, none beyond capacity, every booking is in the model's state, and a booking is taken
exactly when the model says it fits."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

import commgov

from .conftest import Clock, RTown, build

pytestmark = pytest.mark.property
SLOTS = 8  # 08:00-12:00 in half hours
HALF = dt.timedelta(minutes=30)
CAPACITIES = (3, 2)
HOLDING = {"pending", "approved"}


@dataclass
class Booked:
    """The model of one booking."""

    which: int  # the resource's index
    first: int  # its first slot
    length: int  # its slots
    size: int
    state: str
    by_staff: bool


class BookingMachine(RuleBasedStateMachine):
    def __init__(self) -> None:
        super().__init__()
        clock = Clock()
        self.cg = commgov.open("sqlite:///:memory:", clock=clock, discover_plugins=False)
        self.t: RTown = build(self.cg, clock)
        hours = {"daily": ["08:00-12:00"]}
        self.resources = [
            self.t.room(name="需审核", capacity=CAPACITIES[0], hours=hours, approval=True).id,
            self.t.room(name="即订即用", capacity=CAPACITIES[1], hours=hours).id,
        ]
        self.opens = self.t.at(1, "08:00")
        self.used = [[0] * SLOTS for _ in self.resources]
        self.bookings: dict[int, Booked] = {}

    def teardown(self) -> None:
        self.cg.close()

    def _pick(self, pick: int) -> int:
        ids = sorted(self.bookings)
        return ids[pick % len(ids)]

    def _hold(self, booking_id: int, sign: int) -> None:
        b = self.bookings[booking_id]
        for slot in range(b.first, b.first + b.length):
            self.used[b.which][slot] += sign * b.size

    def _move(self, booking_id: int, allowed: set[str], to: str,
              call: Callable[[], commgov.BookingView]) -> None:  # fmt: skip
        if self.bookings[booking_id].state not in allowed:
            with pytest.raises(commgov.StateError):
                call()
            return
        assert call().state == to
        if to in ("rejected", "cancelled"):
            self._hold(booking_id, -1)
        self.bookings[booking_id].state = to

    @rule(
        which=st.integers(0, 1), first=st.integers(0, SLOTS - 1), length=st.integers(1, 4),
        size=st.integers(1, 3), staff=st.booleans(),
    )  # fmt: skip
    def book(self, which: int, first: int, length: int, size: int, staff: bool) -> None:
        length = min(length, SLOTS - first)
        actor = self.t.clerk_a if staff else self.t.anna
        start = self.opens + first * HALF
        fits = size <= CAPACITIES[which] and all(
            self.used[which][s] + size <= CAPACITIES[which] for s in range(first, first + length)
        )
        call = lambda: self.cg.resources.book(  # noqa: E731
            actor, self.resources[which], starts_at=start, ends_at=start + length * HALF,
            party_size=size,
        )  # fmt: skip
        if not fits:
            error = commgov.ValidationError if size > CAPACITIES[which] else commgov.ConflictError
            with pytest.raises(error):
                call()
            return
        made = call()
        assert made.state == ("pending" if which == 0 else "approved")
        self.bookings[made.id] = Booked(which, first, length, size, made.state, staff)
        self._hold(made.id, +1)

    @precondition(lambda self: bool(self.bookings))
    @rule(pick=st.integers(0, 999))
    def approve(self, pick: int) -> None:
        booking_id = self._pick(pick)
        call = lambda: self.cg.resources.approve(self.t.clerk_a, booking_id)  # noqa: E731
        self._move(booking_id, {"pending"}, "approved", call)

    @precondition(lambda self: bool(self.bookings))
    @rule(pick=st.integers(0, 999))
    def reject(self, pick: int) -> None:
        booking_id = self._pick(pick)
        call = lambda: self.cg.resources.reject(self.t.clerk_a, booking_id, reason="满")  # noqa: E731
        self._move(booking_id, {"pending"}, "rejected", call)

    @precondition(lambda self: bool(self.bookings))
    @rule(pick=st.integers(0, 999), by_staff=st.booleans())
    def cancel(self, pick: int, by_staff: bool) -> None:
        booking_id = self._pick(pick)
        actor = self.t.clerk_a if by_staff else self.t.anna
        call = lambda: self.cg.resources.cancel(actor, booking_id, reason="不去了")  # noqa: E731
        if not by_staff and self.bookings[booking_id].by_staff:
            with pytest.raises(commgov.PermissionDenied):
                call()  # a resident cancels only their own
            return
        self._move(booking_id, HOLDING, "cancelled", call)

    @invariant()
    def slots_hold_what_the_model_holds(self) -> None:
        for which, resource_id in enumerate(self.resources):
            held = self.t.used(resource_id)
            expected = {self.opens + s * HALF: n for s, n in enumerate(self.used[which]) if n}
            assert held == expected
            assert all(n <= CAPACITIES[which] for n in held.values())

    @invariant()
    def bookings_are_in_the_models_states(self) -> None:
        seen = {}
        for resource_id in self.resources:
            day = self.t.day(1)
            for b in self.cg.resources.bookings(
                self.t.clerk_a, resource_id=resource_id, start=day, end=day
            ):
                seen[b.id] = b.state
        assert seen == {i: b.state for i, b in self.bookings.items()}


BookingMachine.TestCase.settings = settings(max_examples=25, stateful_step_count=20, deadline=None)
TestBookingMachine = BookingMachine.TestCase
