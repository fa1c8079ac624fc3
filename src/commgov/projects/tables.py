"""The project tables, on the shared metadata. Rows are written by ``commgov.projects.service``
only. Money is in fen; donated points in points."""

from __future__ import annotations

from sqlalchemy import Column, Date, ForeignKey, Index, Table

from commgov.kernel.actors import LABEL_MAX as ACTOR_MAX
from commgov.kernel.columns import BigInt, Int, Moment, Str
from commgov.kernel.tables import metadata
from commgov.projects.model.limits import CODE_MAX, NAME_MAX, NOTE_MAX, TEXT_MAX, TITLE_MAX

projects = Table(
    "projects",
    metadata,
    Column("id", Int, primary_key=True),
    Column("unit_id", Int, ForeignKey("units.id"), nullable=False),
    Column("title", Str(TITLE_MAX), nullable=False),
    Column("description", Str(TEXT_MAX), nullable=False),
    Column("state", Str(CODE_MAX), nullable=False),
    Column("budget", BigInt, nullable=False),
    Column("rollup", Str(CODE_MAX), nullable=False),
    Column("resolution_id", Int, ForeignKey("council_resolutions.id")),
    Column("created_by", Str(ACTOR_MAX), nullable=False),
    Column("created_at", Moment(), nullable=False),
    Column("started_at", Moment()),
    Column("finished_at", Moment()),
    Column("cancel_reason", Str(NOTE_MAX)),
    Index(None, "unit_id"),
)

project_funding = Table(
    "project_funding",
    metadata,
    Column("id", Int, primary_key=True),
    Column("project_id", Int, ForeignKey("projects.id"), nullable=False),
    Column("source", Str(CODE_MAX), nullable=False),
    Column("amount", BigInt, nullable=False),
    Column("funder", Str(NAME_MAX), nullable=False),
    Column("resident_id", Int, ForeignKey("residents.id")),
    Column("client_id", Str(CODE_MAX + NAME_MAX)),
    Column("at", Moment(), nullable=False),
    Index(None, "project_id"),
)
"""``resident_id`` and ``client_id`` (the ledger transfer's) are set for donated points."""

project_items = Table(
    "project_items",
    metadata,
    Column("id", Int, primary_key=True),
    Column("project_id", Int, ForeignKey("projects.id"), nullable=False),
    Column("parent_id", Int, ForeignKey("project_items.id")),
    Column("title", Str(TITLE_MAX), nullable=False),
    Column("weight", Int, nullable=False),
    Column("progress", Int, nullable=False),
    Column("rollup", Str(CODE_MAX), nullable=False),
    Column("due_on", Date),
    Column("position", Int, nullable=False),
    Index(None, "project_id"),
)
"""A leaf's ``progress`` is entered (0–100); a parent's is rolled up when read."""

project_events = Table(
    "project_events",
    metadata,
    Column("id", Int, primary_key=True),
    Column("project_id", Int, ForeignKey("projects.id"), nullable=False),
    Column("at", Moment(), nullable=False),
    Column("kind", Str(CODE_MAX), nullable=False),
    Column("item_id", Int, ForeignKey("project_items.id")),
    Column("progress", Int, nullable=False),
    Column("text", Str(NOTE_MAX), nullable=False),
    Column("actor", Str(ACTOR_MAX), nullable=False),
    Index(None, "project_id", "at"),
)

project_ratings = Table(
    "project_ratings",
    metadata,
    Column("project_id", Int, ForeignKey("projects.id"), primary_key=True),
    Column("household_id", Int, ForeignKey("households.id"), primary_key=True),
    Column("rating", Int, nullable=False),
    Column("comment", Str(NOTE_MAX)),
    Column("case_id", Int),
    Column("rated_at", Moment(), nullable=False),
)
"""One rating per household (the key); ``case_id`` the case a low rating opened."""

__all__ = ["project_events", "project_funding", "project_items", "project_ratings", "projects"]
