"""The outbox events of bookings (``docs/events.md``): written in the booking call's unit of
work while the booking's row is new or locked, so a booking's events are ordered
(``booking:<id>``). Ids, codes and times; not the booker's name, purpose or note."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Final

from commgov.kernel.outbox import Event, OutboxRepository
from commgov.kernel.uow import UnitOfWork
from commgov.resources.model.values import Booking

KINDS: Final = {
    "pending": "booking.requested",
    "approved": "booking.approved",
    "rejected": "booking.rejected",
    "cancelled": "booking.cancelled",
    "no_show": "booking.no_show",
    "attended": "booking.attended",
}
"""The outbox kind of a booking written in each state."""


def emit(
    uow: UnitOfWork, bookings: Iterable[Booking], *, party_unit: str, now: dt.datetime
) -> None:
    """Write an event for each booking as it stands now."""
    events = [
        Event(
            KINDS.get(b.state, f"booking.{b.state}"),
            f"booking:{b.id}",
            {
                "booking_id": b.id,
                "resource_id": b.resource_id,
                "state": b.state,
                "unit": party_unit,
                "starts_at": b.starts_at.isoformat(),
                "ends_at": b.ends_at.isoformat(),
                "party_size": b.party_size,
                "series_id": b.series_id,
                "released_from": None if b.released_from is None else b.released_from.isoformat(),
            },
        )
        for b in bookings
    ]
    uow.repo(OutboxRepository).add(now, events)
