"""Plugin records: what a town plugin keeps beside the core's data (visit logs, meeting
minutes, partner agreements …), one Json document per row, placed in a unit and a time.

Rows are written by ``commgov.records.service`` only; the kinds come from the
``commgov_record_kinds`` hook, so a plugin needs no table and no migration of its own."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Table

from commgov.kernel.columns import Int, Json, Moment, Str
from commgov.kernel.tables import metadata
from commgov.records.model import KIND_MAX, REF_MAX

plugin_records = Table(
    "plugin_records",
    metadata,
    Column("id", Int, primary_key=True),
    Column("kind", Str(KIND_MAX), nullable=False),
    Column("unit_id", Int, ForeignKey("units.id"), nullable=False),
    Column("at", Moment(), nullable=False),
    Column("ref", Str(REF_MAX)),
    Column("actor", Str(200), nullable=False),
    Column("data", Json, nullable=False),
    Column("created_at", Moment(), nullable=False),
    Index(None, "kind", "unit_id", "at"),
    Index(None, "kind", "ref"),
)

__all__ = ["plugin_records"]
