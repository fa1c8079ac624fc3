"""Plugin records: what a town plugin keeps beside the core's data (visit logs, meeting
minutes, partner agreements …), one JSON document per row, placed in a unit and a time.

Rows are written by ``commgov.records.service`` only; the kinds come from the
``commgov_record_kinds`` hook, so a plugin needs no table and no migration of its own."""

from __future__ import annotations

from sqlalchemy import JSON, Column, DateTime, ForeignKey, Index, Integer, String, Table

from commgov.kernel.tables import metadata

plugin_records = Table(
    "plugin_records",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("kind", String(64), nullable=False),
    Column("unit_id", Integer, ForeignKey("units.id"), nullable=False),
    Column("at", DateTime(timezone=True), nullable=False),
    Column("ref", String(120)),
    Column("actor", String(200), nullable=False),
    Column("data", JSON, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index(None, "kind", "unit_id", "at"),
    Index(None, "kind", "ref"),
)

__all__ = ["plugin_records"]
