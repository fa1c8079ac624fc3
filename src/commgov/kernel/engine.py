"""Creating engines: SQLite (embedded default) and PostgreSQL, each set up for safe writes;
``reach`` turns a database that cannot be opened into one clear ``ConfigurationError``."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Final

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import URL, make_url
from sqlalchemy.exc import DBAPIError, DisconnectionError
from sqlalchemy.pool import StaticPool

from commgov.errors import ConfigurationError

DEFAULT_SQLITE_FILE = "commgov.db"
CONNECT_TIMEOUT: Final = 10
"""Seconds to wait for a PostgreSQL server before giving up (unless the URL says otherwise)."""
IDLE_PING: Final = 1.0
"""Seconds a pooled PostgreSQL connection may sit idle before it is checked before use."""
_IDLE_SINCE: Final = "commgov_idle_since"


def normalise_url(url: str | Path | None) -> str:
    """``None`` -> ``./commgov.db``; a path -> a SQLite URL; ``postgresql://`` -> psycopg."""
    if url is None:
        return f"sqlite:///{DEFAULT_SQLITE_FILE}"
    text = str(url)
    if "://" not in text:
        return f"sqlite:///{text}"
    if text.startswith("postgresql://") or text.startswith("postgres://"):
        return "postgresql+psycopg://" + text.split("://", 1)[1]
    return text


def sqlite_file(url: str) -> Path | None:
    """The file behind a SQLite URL, or ``None`` for memory or other back ends."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or parsed.database in (None, "", ":memory:"):
        return None
    return Path(parsed.database)


def make_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except Exception as exc:
        raise ConfigurationError(f"store url {url!r} is not a database URL: {exc}") from None
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return _sqlite_engine(url)
    if backend == "postgresql":
        connect_args = (
            {} if "connect_timeout" in parsed.query else {"connect_timeout": CONNECT_TIMEOUT}
        )
        engine = create_engine(url, pool_size=10, max_overflow=20, connect_args=connect_args)
        _ping_when_idle(engine)
        return engine
    raise ConfigurationError(f"store url {url!r}: only sqlite and postgresql are supported")


def _ping_when_idle(engine: Engine) -> None:
    """Check a pooled connection before use when it sat idle for ``IDLE_PING`` seconds or
    more (a server restarted or a firewall dropped it meanwhile): a dead one is replaced
    before any work reaches it. Connections in steady use skip the round trip; one that dies
    in use fails its own transaction, and the pool then replaces every connection it holds."""

    @event.listens_for(engine.pool, "checkin")
    def _idle_from(_dbapi: Any, record: Any) -> None:
        if record is not None:
            record.info[_IDLE_SINCE] = time.monotonic()

    @event.listens_for(engine.pool, "checkout")
    def _check(dbapi: Any, record: Any, _proxy: Any) -> None:
        since = record.info.pop(_IDLE_SINCE, None)
        if since is None or time.monotonic() - since < IDLE_PING:
            return
        try:
            alive = engine.dialect.do_ping(dbapi)
        except Exception:  # any failure to answer: the connection is gone
            alive = False
        if not alive:
            raise DisconnectionError("an idle connection no longer answers")


def _sqlite_engine(url: str) -> Engine:
    kwargs: dict[str, Any] = {"connect_args": {"check_same_thread": False, "timeout": 30}}
    if sqlite_file(url) is None:
        kwargs["poolclass"] = StaticPool
    engine = create_engine(url, **kwargs)

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if sqlite_file(url) is not None:
            cursor.execute("PRAGMA journal_mode=WAL")
            cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        # One writer at a time: a write takes the lock up front instead of upgrading later.
        readonly = conn.get_execution_options().get("commgov_readonly", False)
        conn.exec_driver_sql("BEGIN" if readonly else "BEGIN IMMEDIATE")

    return engine


def where(url: str | URL) -> str:
    """The database behind ``url`` in words, without its password: ``PostgreSQL database
    'town' on db.example:5432 as user 'clerk'`` or ``SQLite file town.db``."""
    parsed = make_url(url) if isinstance(url, str) else url
    if parsed.get_backend_name() == "sqlite":
        return f"SQLite file {parsed.database}" if parsed.database else "SQLite in memory"
    host = parsed.host or "localhost"
    user = f" as user {parsed.username!r}" if parsed.username else ""
    return f"PostgreSQL database {parsed.database!r} on {host}:{parsed.port or 5432}{user}"


def reach(engine: Engine) -> None:
    """Open one connection to check the database can be used, or raise ``ConfigurationError``
    saying what failed and what to check (the host, the port, the database name; never the
    password)."""
    with database_errors(engine), engine.connect() as conn:
        conn.execution_options(commgov_readonly=True).exec_driver_sql("SELECT 1")


@contextmanager
def database_errors(engine: Engine) -> Iterator[None]:
    """Within the block, a driver error (server down, no such database, not a database file)
    becomes a ``ConfigurationError`` with the one-line message of ``unreachable``."""
    try:
        yield
    except DBAPIError as exc:
        raise ConfigurationError(unreachable(engine.url, exc)) from None


def unreachable(url: URL, exc: DBAPIError) -> str:
    """The one-line message for a database that cannot be opened."""
    reason = _reason(str(exc.orig), url.password)
    if url.get_backend_name() == "sqlite":
        hint = "check that the path is a commgov store and its folder is writable"
    elif "does not exist" in reason and "database" in reason:
        hint = "check the database name, or create the database first"
    elif "password" in reason or "authentication" in reason:
        hint = "check the user name and password"
    else:
        hint = "check the host, the port and that the server is running"
    return f"cannot open the {where(url)}: {reason}; {hint}"


def _reason(message: str, password: str | None) -> str:
    """The driver's message on one line: what comes after its last ``failed:``, without the
    ``FATAL:`` prefix, whitespace collapsed, and any password blanked out."""
    first = message.strip().splitlines()[0] if message.strip() else "unknown error"
    reason = first.rsplit("failed: ", 1)[-1] if "server at" in first else first
    reason = re.sub(r"^(FATAL|ERROR):\s*", "", reason.strip())
    reason = re.sub(r"\s+", " ", reason)
    if password:
        reason = reason.replace(password, "***")
    return reason or "unknown error"
