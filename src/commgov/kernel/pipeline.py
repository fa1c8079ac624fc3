"""Statements sent to PostgreSQL without waiting for their answers (psycopg's pipeline mode):
the server runs one while Python prepares the next, and the answers, with any error, are read
when the pipeline closes. A batch of a thousand transfers is written in parts this way, so
checking a part costs no time the server was not busy anyway.

Only for statements whose answer nobody reads (inserts, updates). An error the driver raises
is raised as SQLAlchemy raises driver errors (``DBAPIError``), and a connection found dead is
dropped from the pool, as if the statements had run through SQLAlchemy."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection
from sqlalchemy.exc import DBAPIError

Send = Callable[[str, Mapping[str, Any]], None]
"""Send one statement (PostgreSQL's text, psycopg's placeholders) with its parameters."""


@contextmanager
def pipelined(conn: Connection) -> Iterator[Send]:
    """A ``Send`` for PostgreSQL statements in ``conn``'s transaction, pipelined until the
    block ends (then every answer is read and the first error raised)."""
    dialect = conn.dialect
    driver: Any = conn.connection.driver_connection
    try:
        with driver.pipeline(), driver.cursor() as cursor:

            def send(statement: str, params: Mapping[str, Any]) -> None:
                cursor.execute(statement, params)

            yield send
    except dialect.loaded_dbapi.Error as exc:
        dead = dialect.is_disconnect(exc, conn.connection.dbapi_connection, None)
        if dead:
            conn.invalidate(exc)
        raise DBAPIError.instance(
            None, None, exc, dialect.loaded_dbapi.Error, connection_invalidated=dead
        ) from exc


__all__ = ["Send", "pipelined"]
