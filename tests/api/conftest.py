"""Fixtures for the HTTP API tests: the test town behind ``create_app`` served by uvicorn on
127.0.0.1 (real HTTP), a client for it, and API keys for its people."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import attrs
import httpx
import pytest
import uvicorn
from starlette.types import ASGIApp
from tests.conftest import Town

import commgov
from commgov.api import create_app


@attrs.frozen
class Api:
    """A town served over HTTP: ``client`` calls the app; ``headers(actor)`` makes a key."""

    town: Town
    client: httpx.Client

    @property
    def cg(self) -> commgov.Commgov:
        return self.town.cg

    def headers(
        self, actor: commgov.Actor, *, scopes: tuple[str, ...] = ("read", "write")
    ) -> dict[str, str]:
        """``Authorization`` for a new key of ``actor`` (a staff member, or a system actor)."""
        if actor.staff_id is not None:
            made = self.cg.api_keys.create(self.town.admin, staff_id=actor.staff_id, scopes=scopes)
        else:
            made = self.cg.api_keys.create(self.town.admin, system=actor.name, scopes=scopes)
        return {"Authorization": f"Bearer {made.secret}"}


@contextmanager
def live(app: ASGIApp) -> Iterator[str]:
    """Serve ``app`` with uvicorn on a free port of 127.0.0.1 in a thread; yields its URL."""
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


@contextmanager
def serving(town: Town) -> Iterator[Api]:
    """``town`` served live, with a client for it."""
    with live(create_app(town.cg)) as url, httpx.Client(base_url=url, timeout=30) as client:
        yield Api(town=town, client=client)


@pytest.fixture
def api(town: Town) -> Iterator[Api]:
    """The test town on SQLite, served."""
    with serving(town) as served:
        yield served


@pytest.fixture
def any_api(any_town: Town) -> Iterator[Api]:
    """The test town on a SQLite file and on PostgreSQL, served."""
    with serving(any_town) as served:
        yield served
