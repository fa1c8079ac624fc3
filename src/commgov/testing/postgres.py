"""A throw-away PostgreSQL schema per test, for tests that must run on a real server."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Final

from sqlalchemy import create_engine, text

from commgov.kernel.engine import normalise_url

PG_ENV: Final = "COMMGOV_TEST_PG_URL"


@contextmanager
def fresh_pg_schema(base: str) -> Iterator[str]:
    """A PostgreSQL URL whose search_path is a new schema, dropped on exit."""
    base = normalise_url(base)  # a plain postgresql:// URL means psycopg here too
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as conn:  # fails (does not skip) when the server is unreachable
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in base else "?"
    try:
        yield f"{base}{sep}options=-csearch_path%3D{schema}"
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def pg_base_url() -> str | None:
    """The server named by ``COMMGOV_TEST_PG_URL``, if set."""
    return os.environ.get(PG_ENV) or None
