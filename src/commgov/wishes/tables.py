"""The wish tables, on the shared metadata: one row per wish (want, offer or suggestion) with
its current state, and one row per match of an offer to a want.

``wishes.committed`` never exceeds ``wishes.quantity`` (a check constraint): an offer's
capacity cannot be over-committed, a want cannot be covered twice over, whatever the service
does; the service locks the rows it changes (``SELECT … FOR UPDATE``) before it decides."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Column, Date, Float, ForeignKey, Index, Table

from commgov.kernel.columns import Int, Json, Moment, Str
from commgov.kernel.tables import metadata
from commgov.wishes.model.limits import (
    ACTOR_MAX,
    ADDRESS_MAX,
    CODE_MAX,
    NAME_MAX,
    NOTE_MAX,
    REF_MAX,
    TEXT_MAX,
)

wishes = Table(
    "wishes",
    metadata,
    Column("id", Int, primary_key=True),
    Column("kind", Str(16), nullable=False),
    Column("state", Str(16), nullable=False),
    Column("unit_id", Int, ForeignKey("units.id"), nullable=False),
    Column("category", Str(CODE_MAX), nullable=False),
    Column("text", Str(TEXT_MAX), nullable=False),
    Column("author_kind", Str(16), nullable=False),
    Column("author_resident_id", Int, ForeignKey("residents.id")),
    Column("author_staff_id", Int, ForeignKey("staff.id")),
    Column("author_name", Str(NAME_MAX)),
    Column("author_ref", Str(REF_MAX)),
    Column("address", Str(ADDRESS_MAX)),
    Column("lat", Float),
    Column("lon", Float),
    Column("photos", Json, nullable=False),
    Column("wanted_by", Date),
    Column("quantity", Int, nullable=False),
    Column("committed", Int, nullable=False),
    Column("tier", Str(16)),
    Column("target", Date),
    Column("created_at", Moment(), nullable=False),
    Column("created_by", Str(ACTOR_MAX), nullable=False),
    Column("closed_at", Moment()),
    Column("closed_reason", Str(NOTE_MAX)),
    Column("rating", Int),
    Column("evidence", Json, nullable=False),
    Column("note", Str(NOTE_MAX)),
    Column("case_id", Int, ForeignKey("cases.id")),
    Column("referred_to", Str(16)),
    Column("reference", Str(REF_MAX)),
    Column("rewards", Json, nullable=False),
    CheckConstraint("committed >= 0 AND committed <= quantity", name="committed_within_quantity"),
    Index(None, "unit_id", "kind", "state"),
    Index(None, "author_resident_id"),
    Index(None, "author_staff_id"),
)

wish_matches = Table(
    "wish_matches",
    metadata,
    Column("id", Int, primary_key=True),
    Column("want_id", Int, ForeignKey("wishes.id"), nullable=False),
    Column("offer_id", Int, ForeignKey("wishes.id"), nullable=False),
    Column("quantity", Int, nullable=False),
    Column("score", Float, nullable=False),
    Column("reasons", Json, nullable=False),
    Column("state", Str(16), nullable=False),
    Column("proposed_by", Str(ACTOR_MAX), nullable=False),
    Column("proposed_at", Moment(), nullable=False),
    Column("decided_by", Str(ACTOR_MAX)),
    Column("decided_at", Moment()),
    Column("note", Str(NOTE_MAX)),
    Index(None, "want_id"),
    Index(None, "offer_id"),
)

__all__ = ["wish_matches", "wishes"]
