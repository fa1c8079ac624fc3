"""The resources tables, on the shared metadata: resources, their closed periods, bookings and
their series, and the per-slot usage that holds capacity. Rows are written by
``commgov.resources.service`` only.

``resource_slots`` is how the store enforces capacity: one row per resource and slot start
that any booking has covered, with the places it has (``capacity``) and those held
(``used``), and a CHECK that ``used`` stays within them. A booking adds its party to every
slot it covers in one upsert; the CHECK refuses the one that would overflow, whatever other
writers did meanwhile."""

from __future__ import annotations

from sqlalchemy import Boolean, CheckConstraint, Column, ForeignKey, Index, Table

from commgov.kernel.actors import LABEL_MAX as ACTOR_MAX
from commgov.kernel.columns import Int, Json, Moment, Str
from commgov.kernel.tables import metadata
from commgov.resources.model.limits import CODE_MAX, NAME_MAX, NOTE_MAX, TEXT_MAX

resources = Table(
    "resources",
    metadata,
    Column("id", Int, primary_key=True),
    Column("unit_id", Int, ForeignKey("units.id"), nullable=False),
    Column("scope_id", Int, ForeignKey("units.id"), nullable=False),
    Column("name", Str(NAME_MAX), nullable=False),
    Column("kind", Str(CODE_MAX), nullable=False),
    Column("capacity", Int, nullable=False),
    Column("slot_minutes", Int, nullable=False),
    Column("hours", Json, nullable=False),
    Column("bookers", Str(CODE_MAX), nullable=False),
    Column("shared", Boolean, nullable=False),
    Column("horizon_days", Int, nullable=False),
    Column("longest_minutes", Int, nullable=False),
    Column("approval", Boolean, nullable=False),
    Column("description", Str(TEXT_MAX), nullable=False),
    Column("created_at", Moment(), nullable=False),
    Column("created_by", Str(ACTOR_MAX), nullable=False),
    Index(None, "unit_id"),
)
"""``scope_id``: the community the resource belongs to (its unit, or the nearest community or
village above it); ``hours``: weekday number → ``[[start, end], …]`` in local minutes."""

resource_closures = Table(
    "resource_closures",
    metadata,
    Column("id", Int, primary_key=True),
    Column("resource_id", Int, ForeignKey("resources.id"), nullable=False),
    Column("starts_at", Moment(), nullable=False),
    Column("ends_at", Moment(), nullable=False),
    Column("reason", Str(NOTE_MAX), nullable=False),
    Column("created_at", Moment(), nullable=False),
    Column("created_by", Str(ACTOR_MAX), nullable=False),
    Index(None, "resource_id", "starts_at"),
)

resource_series = Table(
    "resource_series",
    metadata,
    Column("id", Int, primary_key=True),
    Column("resource_id", Int, ForeignKey("resources.id"), nullable=False),
    Column("repeat", Str(CODE_MAX), nullable=False),
    Column("occurrences", Int, nullable=False),
    Column("created_at", Moment(), nullable=False),
    Column("created_by", Str(ACTOR_MAX), nullable=False),
)
"""A recurring booking: its occurrences are bookings sharing its id as ``series_id``."""

resource_bookings = Table(
    "resource_bookings",
    metadata,
    Column("id", Int, primary_key=True),
    Column("resource_id", Int, ForeignKey("resources.id"), nullable=False),
    Column("series_id", Int, ForeignKey("resource_series.id")),
    Column("starts_at", Moment(), nullable=False),
    Column("ends_at", Moment(), nullable=False),
    Column("party_size", Int, nullable=False),
    Column("state", Str(CODE_MAX), nullable=False),
    Column("booked_by", Str(ACTOR_MAX), nullable=False),
    Column("resident_id", Int, ForeignKey("residents.id")),
    Column("household_id", Int, ForeignKey("households.id")),
    Column("staff_id", Int, ForeignKey("staff.id")),
    Column("unit_id", Int, ForeignKey("units.id"), nullable=False),
    Column("purpose", Str(NOTE_MAX), nullable=False),
    Column("note", Str(NOTE_MAX)),
    Column("decided_by", Str(ACTOR_MAX)),
    Column("decided_at", Moment()),
    Column("released_from", Moment()),
    Column("created_at", Moment(), nullable=False),
    Index(None, "resource_id", "starts_at"),
    Index(None, "resident_id"),
    Index(None, "staff_id"),
)
"""The party: a resident (``resident_id`` of ``household_id``) or a unit's staff; ``unit_id``
is the party's unit (the resident's home, or the unit staff booked for)."""

resource_slots = Table(
    "resource_slots",
    metadata,
    Column("resource_id", Int, ForeignKey("resources.id"), primary_key=True),
    Column("starts_at", Moment(), primary_key=True),
    Column("capacity", Int, nullable=False),
    Column("used", Int, nullable=False),
    CheckConstraint("used >= 0 AND used <= capacity", name="used_within_capacity"),
)
"""Places held per slot, by the bookings that hold them (pending, approved, attended, and a
no-show until it was marked)."""

__all__ = [
    "resource_bookings",
    "resource_closures",
    "resource_series",
    "resource_slots",
    "resources",
]
