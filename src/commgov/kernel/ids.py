"""Reserving primary keys before inserting, so a batch can refer to rows it has not written."""

from __future__ import annotations

from sqlalchemy import Connection, Executable, Table, func, select, text

_QUERIES: dict[tuple[str, str], Executable] = {}
"""The statement for each table and back end, built once (building costs more than running)."""


def reserve_ids(conn: Connection, table: Table, n: int) -> list[int]:
    """``n`` fresh ids for ``table``: from its sequence on PostgreSQL; on SQLite, after the
    largest id, which is safe because a write holds the lock taken at ``BEGIN IMMEDIATE``."""
    if n <= 0:
        return []
    key = (table.name, conn.dialect.name)
    query = _QUERIES.get(key)
    if query is None:
        query = _QUERIES[key] = (
            text(
                f"SELECT nextval(pg_get_serial_sequence('{table.name}', 'id'))"
                " FROM generate_series(1, :n)"
            )
            if conn.dialect.name == "postgresql"
            else select(func.max(table.c.id))
        )
    if conn.dialect.name == "postgresql":
        return list(conn.execute(query, {"n": n}).scalars())
    top = conn.execute(query).scalar_one() or 0
    return list(range(top + 1, top + n + 1))
