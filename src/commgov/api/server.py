"""The app ``commgov serve`` runs: the store named by ``COMMGOV_DB_URL`` with its plugins, its
routes run on a bounded number of threads."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Final

import anyio.to_thread
from fastapi import FastAPI

from commgov.api.app import create_app
from commgov.facade import Commgov, open_store
from commgov.kernel.engine import normalise_url

_DB_ENV: Final = "COMMGOV_DB_URL"
_THREADS_ENV: Final = "COMMGOV_API_THREADS"
THREADS: Final = 8
"""Threads running routes at once in one process. The work is mostly the database's, and
past a few threads more of them only queue for the interpreter's lock while holding rows the
others wait for: measured with 64 clients on PostgreSQL (benchmarks/api.py), 8 threads
answered 160 reports a second where the default 40 answered 110."""


def served(cg: Commgov, *, threads: int = THREADS) -> FastAPI:
    """``create_app(cg)`` as ``commgov serve`` runs it: routes on at most ``threads``
    threads (set for the whole process when the server starts)."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = threads
        yield

    app = create_app(cg)
    app.router.lifespan_context = lifespan
    return app


def app_factory_env(db: str | None, threads: int = THREADS) -> None:
    """Name the store and the threads for ``app_from_env`` (each uvicorn worker opens its
    own store)."""
    os.environ[_DB_ENV] = normalise_url(db)
    os.environ[_THREADS_ENV] = str(threads)


def app_from_env() -> FastAPI:
    """The API over the store in ``COMMGOV_DB_URL`` (uvicorn's factory)."""
    cg = open_store(normalise_url(os.environ.get(_DB_ENV)))
    return served(cg, threads=int(os.environ.get(_THREADS_ENV, THREADS)))
