"""Rows for several tables written in one round trip: on PostgreSQL one statement of
data-modifying CTEs (``WITH a AS (INSERT …), b AS (INSERT …) INSERT …``), built once per set of
tables and columns, when each table has one row (a statement of many rows would be compiled
anew each time: it costs more than the round trips it saves); otherwise, and on SQLite, which
runs in the process, one statement per table. A one-case report's last rows (the case, its
event, the event's outbox row and the audit row) then cost one round trip instead of four.

PostgreSQL checks foreign keys at the end of the statement, so a row may refer to one inserted
beside it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy import Connection, Insert, Table, bindparam, insert

Rows = Sequence[Mapping[str, Any]]
Shape = tuple[tuple[str, tuple[str, ...]], ...]
"""Each table's name and the columns its row gives."""
_BUILT: dict[Shape, Insert] = {}
_SINGLE: dict[str, Insert] = {}


def insert_together(conn: Connection, parts: Sequence[tuple[Table, Rows]]) -> None:
    """Insert each table's rows (tables without rows are skipped), in one statement where
    that saves round trips."""
    given = [(table, list(rows)) for table, rows in parts if rows]
    if conn.dialect.name != "postgresql" or len(given) < 2 or any(len(r) > 1 for _, r in given):
        for table, rows in given:
            conn.execute(_single(table), rows[0] if len(rows) == 1 else rows)
        return
    shape = tuple((table.name, tuple(sorted(rows[0]))) for table, rows in given)
    statement = _BUILT.get(shape)
    if statement is None:
        statement = _BUILT[shape] = _build([table for table, _ in given], shape)
    params = {
        _name(i, column): value
        for i, (_, rows) in enumerate(given)
        for column, value in rows[0].items()
    }
    conn.execute(statement, params)


def _single(table: Table) -> Insert:
    found = _SINGLE.get(table.name)
    if found is None:
        found = _SINGLE[table.name] = insert(table)
    return found


def _name(part: int, column: str) -> str:
    return f"t{part}_{column}"


def _build(tables: Sequence[Table], shape: Shape) -> Insert:
    inserts = [
        insert(table).values({c: bindparam(_name(i, c), type_=table.c[c].type) for c in columns})
        for i, (table, (_, columns)) in enumerate(zip(tables, shape, strict=True))
    ]
    *first, last = inserts
    return last.add_cte(*(stmt.cte(f"w{i}") for i, stmt in enumerate(first)))
