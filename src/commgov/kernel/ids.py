"""Reserving primary keys before inserting, so a batch can refer to rows it has not written."""

from __future__ import annotations

import threading

from sqlalchemy import Connection, Executable, Table, func, select

from commgov.kernel.driver import fetch_rows

_QUERIES: dict[str, Executable] = {}
"""SQLite's statement for each table, built once (building costs more than running)."""


_NEXT_IDS = (
    "SELECT array_agg(nextval(CAST(%(sequence)s AS regclass))) FROM generate_series(1, %(n)s)"
)


def _sequence(conn: Connection, table: Table) -> str:
    """The name of ``table``'s id sequence, looked up once per database connection (its
    search path never changes) and kept in the connection's ``info``."""
    key = f"commgov.sequence.{table.name}"
    found = conn.info.get(key)
    if found is None:
        query = "SELECT pg_get_serial_sequence(%(table)s, 'id')"
        found = conn.info[key] = conn.exec_driver_sql(query, {"table": table.name}).scalar_one()
    return str(found)


def reserve_ids(conn: Connection, table: Table, n: int) -> list[int]:
    """``n`` fresh ids for ``table``: from its sequence on PostgreSQL (as one array, so a
    thousand ids are one row); on SQLite, after the largest id, which is safe because a write
    holds the lock taken at ``BEGIN IMMEDIATE``."""
    if n <= 0:
        return []
    if conn.dialect.name == "postgresql":
        params = {"sequence": _sequence(conn, table), "n": n}
        taken: list[int] = fetch_rows(conn, _NEXT_IDS, params)[0][0]
        return taken
    key = table.name
    found = _QUERIES.get(key)
    if found is None:
        found = _QUERIES[key] = select(func.max(table.c.id))
    top = conn.execute(found).scalar_one() or 0
    return list(range(top + 1, top + n + 1))


class IdBlocks:
    """Ids for ``table`` taken from PostgreSQL's sequence a block at a time and handed out
    from memory, so a write of one row needs no round trip for its id. A sequence never gives
    the same value twice, committed or not, so ids stay unique across threads and processes
    (with gaps, and not in commit order across processes). SQLite numbers rows under its write
    lock and takes no blocks. Keep one per store and table (a service holds it)."""

    def __init__(self, table: Table, block: int = 64) -> None:
        self.table = table
        self.block = block
        self._free: list[int] = []
        self._lock = threading.Lock()

    def take(self, conn: Connection, n: int) -> list[int]:
        """``n`` fresh ids (a batch as big as a block or bigger goes to the sequence itself)."""
        if conn.dialect.name != "postgresql" or n >= self.block:
            return reserve_ids(conn, self.table, n)
        with self._lock:
            if len(self._free) < n:
                self._free.extend(reserve_ids(conn, self.table, self.block))
            taken, self._free = self._free[:n], self._free[n:]
        return taken
