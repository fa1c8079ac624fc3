"""Views built from what a call read or wrote."""

from __future__ import annotations

from collections.abc import Sequence

from commgov.resources.model.values import Booking, Closure
from commgov.resources.model.vocab import BOOKERS, BOOKING_STATES, KINDS, label
from commgov.resources.repository import Placed
from commgov.resources.views import BookingView, ClosureView, ResourceView


def closure_view(closure: Closure) -> ClosureView:
    return ClosureView(
        id=closure.id, resource_id=closure.resource_id, starts_at=closure.starts_at,
        ends_at=closure.ends_at, reason=closure.reason,
    )  # fmt: skip


def resource_view(placed: Placed, closures: Sequence[Closure]) -> ResourceView:
    r = placed.resource
    return ResourceView(
        id=r.id, unit_code=placed.owner.code, community_code=placed.scope.code, name=r.name,
        kind=r.kind, kind_label=label(KINDS, r.kind), capacity=r.capacity, hours=r.hours.shown(),
        slot_minutes=r.slot_minutes, bookers=r.bookers, bookers_label=label(BOOKERS, r.bookers),
        shared=r.shared, horizon_days=r.horizon_days, longest_minutes=r.longest_minutes,
        approval=r.approval, description=r.description, created_at=r.created_at,
        closures=[closure_view(c) for c in closures],
    )  # fmt: skip


def booking_view(booking: Booking, resource: str, party_code: str, booked_by: str) -> BookingView:
    """The booking as a reader sees it (``booked_by`` masked for them already)."""
    assert booking.created_at is not None
    return BookingView(
        id=booking.id, resource_id=booking.resource_id, resource=resource,
        starts_at=booking.starts_at, ends_at=booking.ends_at, party_size=booking.party_size,
        state=booking.state, state_label=label(BOOKING_STATES, booking.state),
        series_id=booking.series_id, booked_by=booked_by, resident_id=booking.resident_id,
        staff_id=booking.staff_id, party_unit=party_code, purpose=booking.purpose,
        note=booking.note, decided_by=booking.decided_by, decided_at=booking.decided_at,
        released_from=booking.released_from, created_at=booking.created_at,
    )  # fmt: skip
