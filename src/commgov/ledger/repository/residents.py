"""The residents the ledger serves, read from the people's tables: one row (locked for a
write, so a life event and a ledger write on the same person queue), several rows at once, and
the records merged into others."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import bindparam, select

from commgov.kernel.repository import Repository
from commgov.people.tables import residents

_ROW = select(residents).where(residents.c.id == bindparam("id"))
_ROW_LOCKED = _ROW.with_for_update()


class ResidentLookup(Repository):
    def row(self, resident_id: int, *, lock: bool = False) -> Any | None:
        """The resident's row (``None`` when there is none), locked for update with ``lock``
        (on PostgreSQL; SQLite's writer holds the database lock already)."""
        query = _ROW_LOCKED if lock and self.dialect == "postgresql" else _ROW
        return self.conn.execute(query, {"id": resident_id}).one_or_none()

    def rows(self, resident_ids: Iterable[int]) -> dict[int, Any]:
        """The rows of these residents, by id."""
        wanted = sorted(set(resident_ids))
        found: dict[int, Any] = {}
        for start in range(0, len(wanted), 900):
            query = select(residents).where(residents.c.id.in_(wanted[start : start + 900]))
            found.update({row.id: row for row in self.conn.execute(query)})
        return found

    def merged_into(self, resident_ids: Iterable[int]) -> dict[int, int | None]:
        """Where each of these records was merged (``None``: it was not), following merges of
        merges: the map holds every record on the way."""
        out: dict[int, int | None] = {}
        wanted = set(resident_ids)
        while wanted:
            ids = sorted(wanted)
            found: dict[int, int | None] = {}
            for start in range(0, len(ids), 900):
                query = select(residents.c.id, residents.c.merged_into).where(
                    residents.c.id.in_(ids[start : start + 900])
                )
                found.update(
                    {int(i): None if m is None else int(m) for i, m in self.conn.execute(query)}
                )
            out.update(found)
            wanted = {m for m in found.values() if m is not None and m not in out}
        return out

    def merged_from(self, resident_id: int) -> set[int]:
        """The records merged into ``resident_id``, directly or through another merged one."""
        out: set[int] = set()
        frontier = {resident_id}
        while frontier:
            query = select(residents.c.id).where(residents.c.merged_into.in_(sorted(frontier)))
            found = {int(i) for i in self.conn.execute(query).scalars()} - out - {resident_id}
            out |= found
            frontier = found
        return out
