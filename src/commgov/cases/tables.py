"""Tables of the case engine: one row per case (its current state, with a version for
optimistic concurrency), one immutable row per event, and one counter per town and year from
which cases take their numbers (``2026-000123``) without gaps."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Float,
    ForeignKey,
    Index,
    LargeBinary,
    Table,
    UniqueConstraint,
)

from commgov.cases.model.limits import (
    ADDRESS_MAX,
    CODE_MAX,
    DEVICE_ID_MAX,
    NOTE_MAX,
    TEXT_MAX,
)
from commgov.kernel.columns import Int, Json, Moment, Str
from commgov.kernel.tables import metadata

cases = Table(
    "cases",
    metadata,
    Column("id", Int, primary_key=True),
    Column("unit_id", Int, ForeignKey("units.id"), nullable=False),
    Column("channel", Str(32), nullable=False),
    Column("state", Str(32), nullable=False),
    Column("category", Str(CODE_MAX)),
    Column("severity", Str(32), nullable=False),
    Column("owner_level", Str(32), nullable=False),
    Column("lead", Str(CODE_MAX)),
    Column("co_operators", Json, nullable=False),
    Column("text", Str(TEXT_MAX), nullable=False),
    Column("address", Str(ADDRESS_MAX)),
    Column("lat", Float),
    Column("lon", Float),
    Column("photos", Json, nullable=False),
    Column("reporter", Str(200), nullable=False),
    Column("household_id", Int, ForeignKey("households.id")),
    Column("device_id", Str(DEVICE_ID_MAX)),
    Column("alarm_count", Int, nullable=False),
    Column("last_alarm_at", Moment()),
    Column("reported_at", Moment(), nullable=False),
    Column("response_due", Moment(), nullable=False),
    Column("resolve_due", Moment(), nullable=False),
    Column("responded_at", Moment()),
    Column("resolved_at", Moment()),
    Column("closed_at", Moment()),
    Column("response_late", Boolean, nullable=False),
    Column("resolve_late", Boolean, nullable=False),
    Column("response_seconds", Int),
    Column("resolve_seconds", Int),
    Column("rating", Int),
    Column("reopen_count", Int, nullable=False),
    Column("escalations", Int, nullable=False),
    Column("resolved_level", Str(32)),
    Column("merged_into", Int, ForeignKey("cases.id")),
    Column("merged_count", Int, nullable=False),
    Column("duplicate_of", Int),
    Column("reject_kind", Str(32)),
    Column("version", Int, nullable=False),
    # the number: the town-level unit's id (no foreign key: SQLite cannot add one to a table
    # holding rows), the year in the store's zone, the place that year
    Column("town_id", Int, nullable=False),
    Column("year", Int, nullable=False),
    Column("seq", Int, nullable=False),
    Column("reporter_phone_cipher", LargeBinary),
    # the case's own time to resolve in seconds (a service order's time limit), or none
    Column("resolve_within_s", Int),
    Index(None, "unit_id", "reported_at"),
    Index(None, "device_id"),
    Index(None, "town_id", "year", "seq", unique=True),
)

case_counters = Table(
    "case_counters",
    metadata,
    Column("town_id", Int, ForeignKey("units.id"), primary_key=True),
    Column("year", Int, primary_key=True),
    Column("last", Int, nullable=False),
)
"""The last number each town gave each year: taken (and locked) in the transaction that
writes the cases, so a rolled-back report gives its number back."""

case_events = Table(
    "case_events",
    metadata,
    Column("id", Int, primary_key=True),
    Column("case_id", Int, ForeignKey("cases.id"), nullable=False),
    Column("seq", Int, nullable=False),
    Column("action", Str(32), nullable=False),
    Column("actor", Str(200), nullable=False),
    Column("at", Moment(), nullable=False),
    Column("from_state", Str(32)),
    Column("to_state", Str(32), nullable=False),
    Column("note", Str(NOTE_MAX)),
    Column("attachments", Json, nullable=False),
    Column("data", Json, nullable=False),
    UniqueConstraint("case_id", "seq"),
)

__all__ = ["case_counters", "case_events", "cases"]
