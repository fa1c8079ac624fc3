"""What the resource service hands out: resources with their rules, closed periods, bookings."""

from __future__ import annotations

import datetime as dt

from commgov.kernel.views import View


class ClosureView(View):
    """A closed period of a resource (maintenance, a holiday)."""

    id: int
    resource_id: int
    starts_at: dt.datetime
    ends_at: dt.datetime
    reason: str


class ResourceView(View):
    """A published resource: who owns it (``unit_code``) and which community it belongs to
    (``community_code``), what it is, its places, weekly opening hours in the store's zone
    (``{"mon": ["08:00-12:00", "14:00-21:00"], …}``, days closed left out) and its booking
    rules; ``closures``: its closed periods not yet over."""

    id: int
    unit_code: str
    community_code: str
    name: str
    kind: str
    kind_label: str
    capacity: int
    hours: dict[str, list[str]]
    slot_minutes: int
    bookers: str
    bookers_label: str
    shared: bool
    horizon_days: int
    longest_minutes: int
    approval: bool
    description: str
    created_at: dt.datetime
    closures: list[ClosureView]


class BookingView(View):
    """A booking of a resource. ``booked_by`` is the booker's label (``resident:张**`` with a
    resident's name masked unless the reader may see it); ``party_unit`` the unit booked for
    (the resident's home, or the staff's unit); ``note`` why it was rejected or cancelled."""

    id: int
    resource_id: int
    resource: str
    starts_at: dt.datetime
    ends_at: dt.datetime
    party_size: int
    state: str
    state_label: str
    series_id: int | None
    booked_by: str
    resident_id: int | None
    staff_id: int | None
    party_unit: str
    purpose: str
    note: str | None
    decided_by: str | None
    decided_at: dt.datetime | None
    released_from: dt.datetime | None
    created_at: dt.datetime
