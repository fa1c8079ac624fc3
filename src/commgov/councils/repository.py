"""Loading and saving councils and their memberships."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sqlalchemy import insert, select, update

from commgov.councils.model.values import Council, Membership
from commgov.councils.tables import council_members, councils
from commgov.kernel.repository import Repository


def _council(row: Any) -> Council:
    return Council(
        id=row.id,
        unit_id=row.unit_id,
        name=row.name,
        kind=row.kind,
        created_at=row.created_at,
        dissolved_at=row.dissolved_at,
    )


def _member(row: Any) -> Membership:
    return Membership(
        id=row.id,
        council_id=row.council_id,
        seat=row.seat,
        role=row.role,
        name=row.name,
        resident_id=row.resident_id,
        staff_id=row.staff_id,
        represents=row.represents,
        term_start=row.term_start,
        term_end=row.term_end,
        ended_on=row.ended_on,
    )


class CouncilRepository(Repository):
    def add(self, values: Mapping[str, Any]) -> int:
        query = insert(councils).returning(councils.c.id)
        return int(self.conn.execute(query, dict(values)).scalar_one())

    def get(self, council_id: int, *, lock: bool = False) -> Council | None:
        """The council, if any; ``lock`` holds its row while its members change."""
        query = select(councils).where(councils.c.id == council_id)
        if lock:
            query = query.with_for_update()
        row = self.conn.execute(query).first()
        return None if row is None else _council(row)

    def of_unit(self, unit_id: int) -> list[Council]:
        query = select(councils).where(councils.c.unit_id == unit_id).order_by(councils.c.id)
        return [_council(row) for row in self.conn.execute(query)]

    def dissolve(self, council_id: int, values: Mapping[str, Any]) -> None:
        self.conn.execute(update(councils).where(councils.c.id == council_id).values(**values))

    def add_member(self, values: Mapping[str, Any]) -> int:
        query = insert(council_members).returning(council_members.c.id)
        return int(self.conn.execute(query, dict(values)).scalar_one())

    def member(self, member_id: int) -> Membership | None:
        query = select(council_members).where(council_members.c.id == member_id)
        row = self.conn.execute(query).first()
        return None if row is None else _member(row)

    def members(self, council_id: int) -> list[Membership]:
        """Every membership the council has had, by term and id."""
        m = council_members.c
        query = (
            select(council_members).where(m.council_id == council_id).order_by(m.term_start, m.id)
        )
        return [_member(row) for row in self.conn.execute(query)]

    def end_member(self, member_id: int, values: Mapping[str, Any]) -> None:
        m = council_members.c
        self.conn.execute(update(council_members).where(m.id == member_id).values(**values))
