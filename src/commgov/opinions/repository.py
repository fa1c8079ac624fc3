"""Loading and saving service points and their visit log; the board's counts."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final, Literal

from sqlalchemy import and_, func, insert, select, update

from commgov.kernel.repository import Repository
from commgov.opinions.model.board import Tally
from commgov.opinions.model.values import Point, Visit
from commgov.opinions.tables import opinion_visits, service_points
from commgov.people.repository import path_under
from commgov.people.tables import residents, units

Lock = Literal["share", "update"] | None
LINKS: Final = ("case_id", "wish_id", "council_topic")
"""The outcome columns of a visit, each set once."""
_CHUNK: Final = 500


def _point(row: Any) -> Point:
    return Point(
        id=row.id,
        unit_id=row.unit_id,
        name=row.name,
        address=row.address,
        created_at=row.created_at,
        retired_at=row.retired_at,
        retired_reason=row.retired_reason,
    )


def _visit(row: Any) -> Visit:
    v = opinion_visits.c
    return Visit(**{c.name: row._mapping[c] for c in v if c.name != "created_at"})


class OpinionRepository(Repository):
    # -- points ----------------------------------------------------------------------------
    def add_point(self, values: Mapping[str, Any]) -> int:
        query = insert(service_points).returning(service_points.c.id)
        return int(self.conn.execute(query, dict(values)).scalar_one())

    def point(self, point_id: int, *, lock: Lock = None) -> Point | None:
        """The point, if any; ``lock`` holds its row (``share``: against retiring it while
        visits are logged; ``update``: to retire it)."""
        query = select(service_points).where(service_points.c.id == point_id)
        if lock is not None:
            query = query.with_for_update(read=lock == "share")
        row = self.conn.execute(query).first()
        return None if row is None else _point(row)

    def points(self, ids: Iterable[int]) -> dict[int, Point]:
        wanted = sorted(set(ids))
        found: dict[int, Point] = {}
        for start in range(0, len(wanted), _CHUNK):
            query = select(service_points).where(
                service_points.c.id.in_(wanted[start : start + _CHUNK])
            )
            found.update((row.id, _point(row)) for row in self.conn.execute(query))
        return found

    def points_under(self, path: str, *, include_retired: bool) -> list[Point]:
        """Points on the units under ``path``, by unit code and name."""
        p = service_points.c
        query = select(service_points).join(units, units.c.id == p.unit_id).where(path_under(path))
        if not include_retired:
            query = query.where(p.retired_at.is_(None))
        query = query.order_by(units.c.code, p.name, p.id)
        return [_point(row) for row in self.conn.execute(query)]

    def point_unit_ids(self, path: str) -> set[int]:
        """The units under ``path`` that have a service point (retired ones included)."""
        p = service_points.c
        query = (
            select(p.unit_id)
            .distinct()
            .join(units, units.c.id == p.unit_id)
            .where(path_under(path))
        )
        return {int(i) for i in self.conn.execute(query).scalars()}

    def retire_point(self, point_id: int, at: dt.datetime, reason: str) -> None:
        self.conn.execute(
            update(service_points)
            .where(service_points.c.id == point_id)
            .values(retired_at=at, retired_reason=reason)
        )

    # -- visits ----------------------------------------------------------------------------
    def add_visits(self, rows: Sequence[Mapping[str, Any]]) -> list[int]:
        """Insert checked rows in one multi-row statement; their ids in the order given."""
        if not rows:
            return []
        query = insert(opinion_visits).returning(opinion_visits.c.id, sort_by_parameter_order=True)
        return [int(i) for i in self.conn.execute(query, [dict(r) for r in rows]).scalars()]

    def visit(self, visit_id: int, *, lock: bool = False) -> Visit | None:
        query = select(opinion_visits).where(opinion_visits.c.id == visit_id)
        if lock:
            query = query.with_for_update()
        row = self.conn.execute(query).first()
        return None if row is None else _visit(row)

    def visits(self, ids: Sequence[int]) -> list[Visit]:
        """The visits ``ids``, in that order."""
        found: dict[int, Visit] = {}
        for start in range(0, len(ids), _CHUNK):
            chunk = list(ids[start : start + _CHUNK])
            query = select(opinion_visits).where(opinion_visits.c.id.in_(chunk))
            found.update((row.id, _visit(row)) for row in self.conn.execute(query))
        return [found[i] for i in ids]

    def visits_under(
        self,
        path: str,
        *,
        since: dt.datetime | None,
        until: dt.datetime | None,
        topic: str | None,
        point_id: int | None,
        after_id: int | None = None,
        limit: int | None = None,
    ) -> list[Visit]:
        """Visits at points under ``path``, oldest first; ``topic`` takes its sub-topics too.
        Paged (``after_id`` or ``limit`` given): by id, after ``after_id``, at most ``limit``."""
        v = opinion_visits.c
        conditions = [path_under(path)]
        if since is not None:
            conditions.append(v.at >= since)
        if until is not None:
            conditions.append(v.at < until)
        if topic is not None:
            conditions.append((v.topic == topic) | v.topic.startswith(f"{topic}.", autoescape=True))
        if point_id is not None:
            conditions.append(v.point_id == point_id)
        if after_id is not None:
            conditions.append(v.id > after_id)
        query = select(opinion_visits).join(units, units.c.id == v.unit_id).where(and_(*conditions))
        if after_id is None and limit is None:
            query = query.order_by(v.at, v.id)
        else:
            query = query.order_by(v.id).limit(limit)
        return [_visit(row) for row in self.conn.execute(query)]

    def link(self, visit_id: int, column: str, value: int | str) -> bool:
        """Set the outcome ``column`` of a visit that has none; whether it was set."""
        if column not in LINKS:
            raise ValueError(f"not an outcome column: {column!r}")
        c = opinion_visits.c
        query = (
            update(opinion_visits)
            .where(c.id == visit_id, c[column].is_(None))
            .values({column: value})
        )
        return self.conn.execute(query).rowcount == 1

    def residents(self, ids: Iterable[int]) -> dict[int, tuple[str, int, int]]:
        """For each resident: their name, household and unit."""
        wanted = sorted(set(ids))
        r = residents.c
        found: dict[int, tuple[str, int, int]] = {}
        for start in range(0, len(wanted), _CHUNK):
            query = select(r.id, r.name, r.household_id, r.unit_id).where(
                r.id.in_(wanted[start : start + _CHUNK])
            )
            found.update(
                (row.id, (row.name, row.household_id, row.unit_id))
                for row in self.conn.execute(query)
            )
        return found

    # -- the board -------------------------------------------------------------------------
    def tallies(
        self, path: str, start: dt.datetime, end: dt.datetime
    ) -> list[tuple[int, str, Tally]]:
        """Per unit under ``path`` and topic, what the visits of ``[start, end)`` count."""
        v = opinion_visits.c
        query = (
            select(
                v.unit_id,
                v.topic,
                func.count(),
                func.coalesce(func.sum(v.people), 0),
                func.count(v.case_id),
                func.count(v.wish_id),
                func.count(v.council_topic),
            )
            .join(units, units.c.id == v.unit_id)
            .where(path_under(path), v.at >= start, v.at < end)
            .group_by(v.unit_id, v.topic)
        )
        return [
            (int(unit_id), str(topic), Tally(*(int(n) for n in counts)))
            for unit_id, topic, *counts in self.conn.execute(query)
        ]
