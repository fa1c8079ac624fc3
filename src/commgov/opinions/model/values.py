"""Service points and logged visits as plain values, and one visit as a caller gives it."""

from __future__ import annotations

import datetime as dt

import attrs


@attrs.frozen
class Point:
    """A service point (服务点) as stored: a station in a grid (``unit_id``)."""

    id: int
    unit_id: int
    name: str
    address: str | None
    created_at: dt.datetime
    retired_at: dt.datetime | None = None
    retired_reason: str | None = None

    @property
    def retired(self) -> bool:
        return self.retired_at is not None


@attrs.frozen
class Visit:
    """A logged visit as stored, with the outcomes it led to (ids and references only)."""

    id: int
    point_id: int
    unit_id: int
    topic: str
    note: str
    at: dt.datetime
    people: int
    resident_id: int | None
    actor: str
    case_id: int | None = None
    wish_id: int | None = None
    council_topic: str | None = None


@attrs.frozen
class VisitEntry:
    """One visit or conversation to log (``cg.opinions.log_many``): at which point, under which
    topic, what was said or done, when (``None``: now), with which resident (optional) and how
    many people came."""

    point_id: int
    topic: str
    note: str
    at: dt.datetime | None = None
    resident_id: int | None = None
    people: int = 1


VISIT_FIELDS = tuple(a.name for a in attrs.fields(VisitEntry))
"""The fields a visit given as a mapping may have."""
