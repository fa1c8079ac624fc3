"""One process at a time for a job on a store (the events deliverer): a PostgreSQL advisory
lock held by a connection of its own, or, on a SQLite file, an exclusive lock on a file beside
it. A second process asking for the same job gets a ``ConflictError`` at once."""

from __future__ import annotations

import contextlib
import fcntl
import hashlib
from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import Engine, text

from commgov.errors import ConflictError
from commgov.kernel.engine import sqlite_file


def _lock_number(job: str) -> int:
    """A signed 64-bit number naming ``job`` for ``pg_try_advisory_lock``."""
    return int.from_bytes(hashlib.sha256(job.encode()).digest()[:8], "big", signed=True)


@contextmanager
def only_one(engine: Engine, job: str) -> Iterator[None]:
    """Hold the store's lock for ``job`` for the block; ``ConflictError`` if another process
    holds it. An in-memory SQLite store belongs to one process: nothing to lock."""
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            number = _lock_number(job)
            taken = conn.execute(text("SELECT pg_try_advisory_lock(:n)"), {"n": number}).scalar()
            conn.commit()
            if not taken:
                raise ConflictError(f"another process is running {job} on this store")
            try:
                yield
            finally:
                with contextlib.suppress(Exception):  # the connection may be gone already
                    conn.execute(text("SELECT pg_advisory_unlock(:n)"), {"n": number})
                    conn.commit()
        return
    path = sqlite_file(engine.url.render_as_string(hide_password=False))
    if path is None:
        yield
        return
    with open(f"{path}.{job}.lock", "w") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise ConflictError(f"another process is running {job} on this store") from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
