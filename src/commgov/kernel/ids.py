"""Reserving primary keys before inserting, so a batch can refer to rows it has not written."""

from __future__ import annotations

from sqlalchemy import Connection, Table, func, select, text


def reserve_ids(conn: Connection, table: Table, n: int) -> list[int]:
    """``n`` fresh ids for ``table``: from its sequence on PostgreSQL; on SQLite, after the
    largest id, which is safe because a write holds the lock taken at ``BEGIN IMMEDIATE``."""
    if n <= 0:
        return []
    if conn.dialect.name == "postgresql":
        query = text(
            f"SELECT nextval(pg_get_serial_sequence('{table.name}', 'id'))"
            " FROM generate_series(1, :n)"
        )
        return list(conn.execute(query, {"n": n}).scalars())
    top = conn.execute(select(func.max(table.c.id))).scalar_one() or 0
    return list(range(top + 1, top + n + 1))
