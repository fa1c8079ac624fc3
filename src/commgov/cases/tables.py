"""Tables of the case engine: one row per case (its current state, with a version for
optimistic concurrency) and one immutable row per event."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
)

from commgov.kernel.tables import metadata

cases = Table(
    "cases",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("unit_id", Integer, ForeignKey("units.id"), nullable=False),
    Column("channel", String(32), nullable=False),
    Column("state", String(32), nullable=False),
    Column("category", String(100)),
    Column("severity", String(32), nullable=False),
    Column("owner_level", String(32), nullable=False),
    Column("lead", String(100)),
    Column("co_operators", JSON, nullable=False),
    Column("text", String(2000), nullable=False),
    Column("address", String(200)),
    Column("lat", Float),
    Column("lon", Float),
    Column("photos", JSON, nullable=False),
    Column("reporter", String(200), nullable=False),
    Column("household_id", Integer, ForeignKey("households.id")),
    Column("device_id", String(100)),
    Column("alarm_count", Integer, nullable=False),
    Column("last_alarm_at", DateTime(timezone=True)),
    Column("reported_at", DateTime(timezone=True), nullable=False),
    Column("response_due", DateTime(timezone=True), nullable=False),
    Column("resolve_due", DateTime(timezone=True), nullable=False),
    Column("responded_at", DateTime(timezone=True)),
    Column("resolved_at", DateTime(timezone=True)),
    Column("closed_at", DateTime(timezone=True)),
    Column("response_late", Boolean, nullable=False),
    Column("resolve_late", Boolean, nullable=False),
    Column("response_seconds", Integer),
    Column("resolve_seconds", Integer),
    Column("rating", Integer),
    Column("reopen_count", Integer, nullable=False),
    Column("escalations", Integer, nullable=False),
    Column("resolved_level", String(32)),
    Column("merged_into", Integer, ForeignKey("cases.id")),
    Column("merged_count", Integer, nullable=False),
    Column("duplicate_of", Integer),
    Column("reject_kind", String(32)),
    Column("version", Integer, nullable=False),
    Index(None, "unit_id", "reported_at"),
    Index(None, "device_id"),
)

case_events = Table(
    "case_events",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("case_id", Integer, ForeignKey("cases.id"), nullable=False),
    Column("seq", Integer, nullable=False),
    Column("action", String(32), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("from_state", String(32)),
    Column("to_state", String(32), nullable=False),
    Column("note", String(2000)),
    Column("attachments", JSON, nullable=False),
    Column("data", JSON, nullable=False),
    UniqueConstraint("case_id", "seq"),
)

__all__ = ["case_events", "cases"]
