"""Loading and saving plugin records."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import and_, insert, or_, select

from commgov.kernel.repository import Repository
from commgov.people.tables import units
from commgov.records.tables import plugin_records
from commgov.records.views import RecordView


class RecordRepository(Repository):
    def add(self, rows: Sequence[Mapping[str, Any]], unit_codes: Sequence[str]) -> list[RecordView]:
        """Insert checked rows in one multi-row statement; views back in the order given."""
        if not rows:
            return []
        query = insert(plugin_records).returning(plugin_records.c.id, sort_by_parameter_order=True)
        ids = self.conn.execute(query, [dict(r) for r in rows]).scalars().all()
        return [
            _view({**values, "id": int(i)}, code)
            for values, i, code in zip(rows, ids, unit_codes, strict=True)
        ]

    def exists(self, record_id: int) -> bool:
        query = select(plugin_records.c.id).where(plugin_records.c.id == record_id)
        return self.conn.execute(query).first() is not None

    def find(
        self,
        kind: str,
        path: str,
        *,
        since: dt.datetime | None,
        until: dt.datetime | None,
        ref: str | None,
        after_id: int | None = None,
        limit: int | None = None,
    ) -> list[RecordView]:
        """Records of ``kind`` on the units under ``path``, oldest first (by time, then id);
        ``after_id`` continues after that record, ``limit`` caps the rows."""
        r = plugin_records
        conditions = [r.c.kind == kind, units.c.path.like(f"{path}%")]
        if since is not None:
            conditions.append(r.c.at >= since)
        if until is not None:
            conditions.append(r.c.at < until)
        if ref is not None:
            conditions.append(r.c.ref == ref)
        if after_id is not None:
            last = select(r.c.at).where(r.c.id == after_id).scalar_subquery()
            conditions.append(or_(r.c.at > last, and_(r.c.at == last, r.c.id > after_id)))
        query = (
            select(r, units.c.code.label("unit_code"))
            .join(units, units.c.id == r.c.unit_id)
            .where(and_(*conditions))
            .order_by(r.c.at, r.c.id)
            .limit(limit)
        )
        return [_view(dict(row._mapping), row.unit_code) for row in self.conn.execute(query)]


def _view(row: Mapping[str, Any], unit_code: str) -> RecordView:
    at = row["at"]
    return RecordView(
        id=row["id"],
        kind=row["kind"],
        unit_code=unit_code,
        at=at,
        ref=row["ref"],
        actor=row["actor"],
        data=dict(row["data"]),
    )
