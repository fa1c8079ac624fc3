"""The ``commgov_event`` hook: a plugin forwards the outbox's events, called by the deliverer
once per event, in order, and again later when it raised."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.conftest import SECRET
from tests.integrations.conftest import POLICY, SYSTEM, Clock, Desk, Receiver

import commgov
from commgov.kernel.outbox import StoredEvent


class Forwarder:
    """Forwards events to a list; refuses the events of ``refused`` (a queue that is down)."""

    commgov_plugin_name = "forwarder"

    def __init__(self) -> None:
        self.got: list[StoredEvent] = []
        self.refused: set[int] = set()

    @commgov.hookimpl
    def commgov_event(self, event: StoredEvent) -> None:
        if event.id in self.refused:
            raise ConnectionError("queue is down")
        self.got.append(event)


@pytest.fixture
def forwarded(tmp_path: Path) -> Iterator[tuple[Desk, Forwarder]]:
    plugin = Forwarder()
    clock = Clock()
    url = f"sqlite:///{tmp_path / 'events.db'}"
    with commgov.open(
        url, secret_key=SECRET, clock=clock, plugins=[plugin], discover_plugins=False
    ) as cg:
        yield Desk(cg, clock, Receiver()), plugin


def test_hook_commgov_event(forwarded: tuple[Desk, Forwarder]) -> None:
    desk, plugin = forwarded
    ids = desk.emit(*[("case.reported", f"case:{i % 2}") for i in range(4)])  # before any pass
    with desk.deliverer() as deliverer:
        assert deliverer.deliver().delivered == 4
        assert [e.id for e in plugin.got] == ids  # every event, once, in order
        assert plugin.got[0].kind == "case.reported" and plugin.got[0].payload == {"n": 0}
        assert deliverer.deliver().delivered == 0
        later = desk.emit(("case.closed", "case:0"), ("case.closed", "case:1"))
        plugin.refused = {later[0]}
        done = deliverer.deliver()
        assert (done.delivered, done.failed) == (1, 1)
        assert [e.id for e in plugin.got][-1] == later[1]
        (failing,) = desk.cg.webhooks.deliveries(SYSTEM, state="failing")
        assert failing.subscriber == "plugin:forwarder"
        assert failing.last_error == "ConnectionError: queue is down"
        plugin.refused.clear()
        desk.clock.advance(POLICY.first_wait)
        assert deliverer.deliver().delivered == 1
    assert [e.id for e in plugin.got] == [*ids, later[1], later[0]]


def test_the_hook_and_a_webhook_are_separate_subscribers(
    forwarded: tuple[Desk, Forwarder],
) -> None:
    desk, plugin = forwarded
    desk.webhook()
    ids = desk.emit(("case.reported", "case:1"), ("case.accepted", "case:1"))
    plugin.refused = {ids[0]}
    with desk.deliverer() as deliverer:
        done = deliverer.deliver()
    assert (done.delivered, done.failed, done.held) == (2, 1, 1)
    assert desk.receiver.ids() == ids  # the webhook is not held back by the plugin
    assert plugin.got == []  # the plugin's second event waits behind its first
