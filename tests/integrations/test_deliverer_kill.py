"""``commgov events deliver`` killed with SIGKILL in the middle of a stream and started again:
nothing is lost, nothing arrives out of order within an aggregate, and the only event sent
twice is the one in flight when it died (its acknowledgement was never recorded)."""

from __future__ import annotations

import datetime as dt
import json
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from sqlalchemy import select
from tests.conftest import SECRET

import commgov
from commgov.integrations.model import (
    DELIVERED,
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    verify_signature,
)
from commgov.integrations.tables import event_deliveries
from commgov.kernel.outbox import Event, OutboxRepository

AGGREGATES = 30
TRANSACTIONS = 8
PER_TRANSACTION = 40
KILL_AT = 100
"""The delivery the receiver holds unanswered until the deliverer has been killed."""
WAIT = 180.0  # seconds: a bound on waiting for the subprocess, not a timing under test


class Receiver(ThreadingHTTPServer):
    """Records every delivery as it arrives (checking its signature) and answers 200; the
    ``KILL_AT``-th waits until ``killed`` is set."""

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.secret = ""
        self.got: list[tuple[int, str]] = []
        self.bad_signatures = 0
        self.lock = threading.Lock()
        self.reached = threading.Event()
        self.killed = threading.Event()
        self.held: int | None = None


class Handler(BaseHTTPRequestHandler):
    server: Receiver

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        event = json.loads(body)
        server = self.server
        signed = verify_signature(
            server.secret,
            timestamp=self.headers[TIMESTAMP_HEADER],
            signature_header=self.headers[SIGNATURE_HEADER],
            body=body,
            now=dt.datetime.now(dt.UTC),
        )
        with server.lock:
            server.got.append((event["id"], event["aggregate"]))
            server.bad_signatures += not signed
            hold = len(server.got) == KILL_AT
            if hold:
                server.held = event["id"]
        if hold:
            server.reached.set()
            server.killed.wait(WAIT)
        try:
            self.send_response(200)
            self.end_headers()
        except OSError:
            pass  # the deliverer died waiting for this answer

    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.killed.set()
        server.shutdown()
        server.server_close()


def deliver(env: dict[str, str], log: Path, *args: str) -> subprocess.Popen[bytes]:
    command = [sys.executable, "-m", "commgov", "events", "deliver", *args]
    with log.open("ab") as out:
        return subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)


@pytest.mark.slow
@pytest.mark.postgres
def test_a_killed_deliverer_loses_nothing_and_keeps_order(
    pg_url: str, receiver: Receiver, tmp_path: Path
) -> None:
    with commgov.open(pg_url, secret_key=SECRET, discover_plugins=False) as cg:
        host, port = receiver.server_address[:2]
        made = cg.webhooks.add(commgov.Actor.system("ops"), url=f"http://{host!s}:{port}/hook")
        receiver.secret = made.secret
        for t in range(TRANSACTIONS):
            with cg.context.uow() as uow:
                events = [
                    Event("test.step", f"thing:{(t * 7 + i) % AGGREGATES}", {"t": t, "i": i})
                    for i in range(PER_TRANSACTION)
                ]
                uow.repo(OutboxRepository).add(cg.context.clock(), events)
        with cg.context.uow(readonly=True) as uow:
            written = {e.id: e.aggregate for e in uow.repo(OutboxRepository).after(0, limit=10_000)}
        assert len(written) == TRANSACTIONS * PER_TRANSACTION

        env = {**os.environ, "COMMGOV_SECRET_KEY": SECRET, "COMMGOV_DB_URL": pg_url}
        log = tmp_path / "deliver.log"
        first = deliver(env, log, "--poll", "0.1")
        try:
            assert receiver.reached.wait(WAIT), log.read_text()
        finally:
            os.kill(first.pid, signal.SIGKILL)
            first.wait(WAIT)
        receiver.killed.set()
        assert first.returncode == -signal.SIGKILL
        with cg.context.uow(readonly=True) as uow:
            acknowledged = set(
                uow.conn.execute(
                    select(event_deliveries.c.event_id).where(event_deliveries.c.state == DELIVERED)
                ).scalars()
            )
        assert KILL_AT - 1 <= len(acknowledged) < len(written)

        second = deliver(env, log, "--once")
        assert second.wait(WAIT) == 0, log.read_text()

    got = list(receiver.got)
    ids = [event_id for event_id, _ in got]
    assert set(ids) == set(written)  # nothing lost
    assert receiver.bad_signatures == 0
    for aggregate in set(written.values()):  # nothing out of order within an aggregate
        sent = [event_id for event_id, where in got if where == aggregate]
        assert sent == sorted(sent), aggregate
    twice = {i for i in ids if ids.count(i) > 1}
    assert twice == {receiver.held}  # only the delivery in flight at the kill came again
    assert not twice & acknowledged
    assert len(ids) == len(written) + 1
