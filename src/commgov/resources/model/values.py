"""A resource, its closed periods and its bookings as the store holds them."""

from __future__ import annotations

import datetime as dt

import attrs

from commgov.resources.model.hours import WeeklyHours
from commgov.resources.model.vocab import HOLDING


@attrs.frozen
class Resource:
    """Something a unit (``unit_id``) publishes for booking. ``scope_id`` is the community it
    belongs to (the owner itself when it is a community, village or has none above it): when
    the resource is not ``shared``, only people and staff of units under it may book."""

    id: int
    unit_id: int
    scope_id: int
    name: str
    kind: str
    capacity: int
    slot_minutes: int
    hours: WeeklyHours
    bookers: str
    shared: bool
    horizon_days: int
    longest_minutes: int
    approval: bool
    description: str
    created_at: dt.datetime
    created_by: str

    @property
    def slot(self) -> dt.timedelta:
        return dt.timedelta(minutes=self.slot_minutes)


@attrs.frozen
class Closure:
    """A closed period (maintenance, a holiday): no booking may overlap it."""

    id: int
    resource_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    reason: str
    created_at: dt.datetime
    created_by: str


@attrs.frozen
class Booking:
    """A booking of ``party_size`` places from ``starts_at`` to ``ends_at``. The party is a
    resident (``resident_id``, of ``household_id``) or a unit's staff (``staff_id``, when the
    booker was a staff member); ``unit_id`` is the party's unit: the resident's home, or the
    unit staff booked for. ``series_id`` links the occurrences of a recurring booking;
    ``released_from`` is where a no-show gave its places back."""

    id: int
    resource_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    party_size: int
    state: str
    series_id: int | None
    resident_id: int | None
    unit_id: int
    household_id: int | None = None
    staff_id: int | None = None
    booked_by: str = ""
    purpose: str = ""
    note: str | None = None
    decided_by: str | None = None
    decided_at: dt.datetime | None = None
    released_from: dt.datetime | None = None
    created_at: dt.datetime | None = None

    @property
    def held_until(self) -> dt.datetime | None:
        """Until when the booking holds its places (``None``: it holds none)."""
        if self.state in HOLDING:
            return self.ends_at
        if self.state == "no_show":
            return self.released_from or self.ends_at
        return None
