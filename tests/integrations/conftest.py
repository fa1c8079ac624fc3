"""Stores for the webhook and deliverer tests, a clock they move by hand, and a receiver that
answers the deliverer's posts in memory (``httpx.MockTransport``)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import attrs
import httpx
import pytest
from tests.conftest import SECRET

import commgov
from commgov.integrations.model import (
    EVENT_HEADER,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    RetryPolicy,
    verify_signature,
)
from commgov.integrations.service.delivery import Deliverer
from commgov.kernel.outbox import Event, OutboxRepository

START = dt.datetime(2026, 3, 2, 8, 0, tzinfo=dt.UTC)
SYSTEM = commgov.Actor.system("ops")
POLICY = RetryPolicy(
    max_attempts=3, first_wait=dt.timedelta(minutes=1), longest_wait=dt.timedelta(minutes=5)
)


class Clock:
    """A clock tests move by hand."""

    def __init__(self, now: dt.datetime = START) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, delta: dt.timedelta) -> None:
        self.now += delta


@attrs.define
class Received:
    url: str
    event_id: int
    kind: str
    aggregate: str
    body: bytes
    headers: dict[str, str]


@attrs.define
class Receiver:
    """Records every post; answers with ``status(event)`` (200 by default)."""

    secret: str = ""
    status: Callable[[Received], int] = lambda _: 200
    seen: list[Received] = attrs.Factory(list)

    def handle(self, request: httpx.Request) -> httpx.Response:
        body = json.loads(request.content)
        got = Received(
            str(request.url),
            body["id"],
            body["kind"],
            body["aggregate"],
            request.content,
            dict(request.headers),
        )
        assert int(got.headers[EVENT_HEADER.lower()]) == got.event_id
        self.seen.append(got)
        return httpx.Response(self.status(got))

    def client(self) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(self.handle))

    def ids(self) -> list[int]:
        return [r.event_id for r in self.seen]

    def signed(self, got: Received, now: dt.datetime) -> bool:
        return verify_signature(
            self.secret,
            timestamp=got.headers[TIMESTAMP_HEADER.lower()],
            signature_header=got.headers[SIGNATURE_HEADER.lower()],
            body=got.body,
            now=now,
        )


@attrs.define
class Desk:
    """A store, its clock and the receiver the deliverer posts to."""

    cg: commgov.Commgov
    clock: Clock
    receiver: Receiver

    def emit(self, *events: tuple[str, str]) -> list[int]:
        """Write ``(kind, aggregate)`` events; their ids."""
        with self.cg.context.uow() as uow:
            repo = uow.repo(OutboxRepository)
            before = repo.last_id()
            repo.add(self.clock(), [Event(k, a, {"n": i}) for i, (k, a) in enumerate(events)])
            return [e.id for e in repo.after(before)]

    def deliverer(self, policy: RetryPolicy = POLICY, page: int = 500) -> Deliverer:
        return Deliverer(self.cg.context, client=self.receiver.client(), policy=policy, page=page)

    def webhook(self, url: str = "https://hooks.example/in", kinds: Sequence[str] = ()) -> int:
        made = self.cg.webhooks.add(SYSTEM, url=url, kinds=kinds)
        self.receiver.secret = made.secret
        return made.webhook.id


@pytest.fixture(params=["sqlite", "postgresql"])
def desk(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Desk]:
    """A store on a SQLite file and on PostgreSQL, with a receiver."""
    url = f"sqlite:///{tmp_path / 'events.db'}"
    if request.param == "postgresql":
        url = request.getfixturevalue("pg_url")
    clock = Clock()
    with commgov.open(url, secret_key=SECRET, clock=clock, discover_plugins=False) as cg:
        yield Desk(cg, clock, Receiver())


@pytest.fixture
def sqlite_desk(tmp_path: Path) -> Iterator[Desk]:
    clock = Clock()
    url = f"sqlite:///{tmp_path / 'events.db'}"
    with commgov.open(url, secret_key=SECRET, clock=clock, discover_plugins=False) as cg:
        yield Desk(cg, clock, Receiver())
