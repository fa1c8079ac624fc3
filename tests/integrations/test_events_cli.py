"""``commgov webhook add|list|remove`` and ``commgov events deliver|dead|retry``, as an operator
runs them."""

from __future__ import annotations

import socket
from pathlib import Path

from typer.testing import CliRunner

import commgov
from commgov.cli import app
from commgov.kernel.outbox import Event, OutboxRepository

runner = CliRunner()


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port  # closed again when the test posts to it


def test_an_operator_adds_a_webhook_and_handles_its_dead_letters(tmp_path: Path) -> None:
    path = str(tmp_path / "store.db")
    commgov.open(path).close()
    url = f"http://127.0.0.1:{_closed_port()}/in"
    added = runner.invoke(app, ["webhook", "add", url, "--db", path, "--kind", "case"])
    assert added.exit_code == 0, added.output
    secret = added.output.strip().splitlines()[-1]
    assert secret.startswith("whsec_")
    listed = runner.invoke(app, ["webhook", "list", "--db", path])
    assert listed.exit_code == 0 and secret not in listed.output
    assert url.rsplit(":", 1)[-1].split("/", 1)[0] in listed.output  # the port: urls fold

    with commgov.open(path) as cg, cg.context.uow() as uow:
        events = [Event("case.reported", "case:1", {}), Event("case.closed", "case:1", {})]
        uow.repo(OutboxRepository).add(cg.context.clock(), events)
    deliver = ["events", "deliver", "--db", path, "--once", "--max-attempts", "1"]
    sent = runner.invoke(app, deliver)
    assert sent.exit_code == 0, sent.output
    assert "delivered 0, failed 0 (to retry), dead 2" in sent.output
    dead = runner.invoke(app, ["events", "dead", "--db", path])
    assert dead.exit_code == 0 and "webhook:1" in dead.output and "case.closed" in dead.output
    retried = runner.invoke(app, ["events", "retry", "webhook:1", "--db", path, "--event", "1"])
    assert retried.exit_code == 0 and "1 deliveries" in retried.output
    with commgov.open(path) as cg:
        waiting = cg.webhooks.deliveries(commgov.Actor.system("t"), state="failing")
        assert [(d.event_id, d.attempts) for d in waiting] == [(1, 0)]

    removed = runner.invoke(app, ["webhook", "remove", "1", "--db", path])
    assert removed.exit_code == 0 and "removed" in removed.output
    assert runner.invoke(app, deliver).exit_code == 0
    bad = runner.invoke(app, ["webhook", "add", "ftp://x", "--db", path])
    assert bad.exit_code == 1 and "url" in bad.output
