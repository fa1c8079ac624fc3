"""The opinion tables, on the shared metadata: service points (服务点) and their visit log.

A visit keeps the outcomes it led to as ids and references only: ``case_id`` (a case of the
case loop, one visit per case), ``wish_id`` (a micro-wish) and ``council_topic`` (a
deliberation council's topic). Rows are written by ``commgov.opinions.service`` only."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Table, UniqueConstraint

from commgov.kernel.actors import LABEL_MAX
from commgov.kernel.columns import Int, Moment, Str
from commgov.kernel.tables import metadata
from commgov.opinions.model.limits import (
    ADDRESS_MAX,
    NOTE_MAX,
    POINT_NAME_MAX,
    REASON_MAX,
    REF_MAX,
    TOPIC_MAX,
)

service_points = Table(
    "service_points",
    metadata,
    Column("id", Int, primary_key=True),
    Column("unit_id", Int, ForeignKey("units.id"), nullable=False),
    Column("name", Str(POINT_NAME_MAX), nullable=False),
    Column("address", Str(ADDRESS_MAX)),
    Column("created_at", Moment(), nullable=False),
    Column("retired_at", Moment()),
    Column("retired_reason", Str(REASON_MAX)),
    Index(None, "unit_id"),
)

opinion_visits = Table(
    "opinion_visits",
    metadata,
    Column("id", Int, primary_key=True),
    Column("point_id", Int, ForeignKey("service_points.id"), nullable=False),
    Column("unit_id", Int, ForeignKey("units.id"), nullable=False),
    Column("topic", Str(TOPIC_MAX), nullable=False),
    Column("note", Str(NOTE_MAX), nullable=False),
    Column("at", Moment(), nullable=False),
    Column("people", Int, nullable=False),
    Column("resident_id", Int, ForeignKey("residents.id")),
    Column("actor", Str(LABEL_MAX), nullable=False),
    Column("created_at", Moment(), nullable=False),
    Column("case_id", Int),
    Column("wish_id", Int),
    Column("council_topic", Str(REF_MAX)),
    UniqueConstraint("case_id"),
    Index(None, "unit_id", "at"),
    Index(None, "point_id", "at"),
    Index(None, "resident_id"),
)
"""``unit_id`` repeats the point's grid, so the board counts a unit's visits by path and
month without joining the points."""

__all__ = ["opinion_visits", "service_points"]
