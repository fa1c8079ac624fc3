"""Statements run on PostgreSQL's driver (psycopg) directly, for the few hot paths where
SQLAlchemy's own handling costs more than the statement: rows read as plain tuples, and
statements sent without waiting for their answers (psycopg's pipeline mode), so the server
runs one while Python prepares the next and the answers, with any error, are read when the
pipeline closes. A batch of a thousand transfers is written in parts this way, so checking a
part costs no time the server was not busy anyway.

Both run in the SQLAlchemy connection's own transaction. An error the driver raises is raised
as SQLAlchemy raises driver errors (``DBAPIError``, its ``orig`` the driver's), and a
connection found dead is dropped from the pool, as if the statement had run through
SQLAlchemy."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

Send = Callable[[str, Mapping[str, Any]], None]
"""Send one statement (PostgreSQL's text, psycopg's placeholders) with its parameters."""


@contextmanager
def driver_errors(conn: Connection) -> Iterator[Any]:
    """The driver's connection under ``conn``, its errors raised as SQLAlchemy's."""
    dialect = conn.dialect
    try:
        yield conn.connection.driver_connection
    except dialect.loaded_dbapi.Error as exc:
        dead = dialect.is_disconnect(exc, conn.connection.dbapi_connection, None)
        if dead:
            conn.invalidate(exc)
        raise DBAPIError.instance(
            None, None, exc, dialect.loaded_dbapi.Error, connection_invalidated=dead
        ) from exc


def fetch_rows(conn: Connection, statement: str, params: Mapping[str, Any]) -> list[Any]:
    """The rows of a PostgreSQL query as the driver's tuples, read in binary."""
    with driver_errors(conn) as driver, driver.cursor(binary=True) as cursor:
        cursor.execute(statement, params)
        rows: list[Any] = cursor.fetchall()
        return rows


@contextmanager
def pipelined(conn: Connection) -> Iterator[Send]:
    """A ``Send`` for PostgreSQL statements in ``conn``'s transaction, pipelined until the
    block ends (then every answer is read and the first error raised)."""
    with driver_errors(conn) as driver, driver.pipeline(), driver.cursor() as cursor:

        def send(statement: str, params: Mapping[str, Any]) -> None:
            cursor.execute(statement, params)

        yield send


__all__ = ["Send", "driver_errors", "fetch_rows", "pipelined"]
