"""The council tables, on the shared metadata: councils and their memberships. Rows are
written by ``commgov.councils.service`` only."""

from __future__ import annotations

from sqlalchemy import Column, Date, ForeignKey, Index, Table

from commgov.councils.model.limits import CODE_MAX, NAME_MAX, NOTE_MAX
from commgov.kernel.columns import Int, Moment, Str
from commgov.kernel.tables import metadata

councils = Table(
    "councils",
    metadata,
    Column("id", Int, primary_key=True),
    Column("unit_id", Int, ForeignKey("units.id"), nullable=False),
    Column("name", Str(NAME_MAX), nullable=False),
    Column("kind", Str(CODE_MAX), nullable=False),
    Column("created_at", Moment(), nullable=False),
    Column("dissolved_at", Moment()),
    Index(None, "unit_id"),
)

council_members = Table(
    "council_members",
    metadata,
    Column("id", Int, primary_key=True),
    Column("council_id", Int, ForeignKey("councils.id"), nullable=False),
    Column("seat", Str(CODE_MAX), nullable=False),
    Column("role", Str(CODE_MAX), nullable=False),
    Column("name", Str(NAME_MAX), nullable=False),
    Column("resident_id", Int, ForeignKey("residents.id")),
    Column("staff_id", Int, ForeignKey("staff.id")),
    Column("represents", Str(NOTE_MAX)),
    Column("term_start", Date, nullable=False),
    Column("term_end", Date, nullable=False),
    Column("ended_on", Date),
    Column("end_reason", Str(NOTE_MAX)),
    Index(None, "council_id"),
    Index(None, "resident_id"),
)
"""A person holding two seats has two rows; a vote's roll counts them once."""

__all__ = ["council_members", "councils"]
