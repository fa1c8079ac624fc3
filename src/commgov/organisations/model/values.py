"""Organisations, their members, activities and sign-ups as plain values."""

from __future__ import annotations

import datetime as dt

import attrs


@attrs.frozen
class Organisation:
    """A registered organisation, group or team, or a party organisation, with its home unit;
    ``parent_id`` places it in a tree (a branch under a committee)."""

    id: int
    name: str
    kind: str
    unit_id: int
    parent_id: int | None
    contact_name: str | None
    contact_phone: bytes | None
    """The contact's phone, encrypted with the store's key."""
    created_at: dt.datetime
    dissolved_at: dt.datetime | None


@attrs.frozen
class Member:
    """A resident's membership of an organisation."""

    organisation_id: int
    resident_id: int
    role: str
    joined_at: dt.datetime
    left_at: dt.datetime | None


@attrs.frozen
class Activity:
    """An activity an organisation publishes: where (a unit, optionally a booking of a shared
    resource), when, how many places, and what attending earns."""

    id: int
    organisation_id: int
    title: str
    kind: str
    unit_id: int
    booking_id: int | None
    starts_at: dt.datetime
    ends_at: dt.datetime
    places: int
    points_activity: str | None
    """The entry of the town's points table attending pays (``None``: no points)."""
    bank_time: bool
    """Whether attending banks the activity's minutes in the time bank."""
    state: str
    note: str

    @property
    def minutes(self) -> int:
        return int((self.ends_at - self.starts_at).total_seconds() // 60)


@attrs.frozen
class Signup:
    """A resident's place on an activity (or on its waiting list) and their attendance: what
    the current payment round paid."""

    activity_id: int
    resident_id: int
    state: str
    signed_at: dt.datetime
    attended: bool | None
    """``None`` until attendance is taken."""
    points: int
    minutes: int
    paid_round: int
    """How many times attendance was paid (a correction reverses and a new round pays again)."""
