"""The deliverer: signed posts, in order per aggregate, at least once; retries with back-off,
an aggregate held behind its failing event, dead letters an operator lists and retries."""

from __future__ import annotations

import datetime as dt
import time

import attrs
import pytest
from sqlalchemy import text
from tests.integrations.conftest import POLICY, START, SYSTEM, Desk

from commgov.integrations.model import RetryPolicy, signature, webhook_subscriber
from commgov.integrations.repository import DeliveryRepository
from commgov.kernel.outbox import Event, OutboxRepository

MINUTE = dt.timedelta(minutes=1)


def floor(desk: Desk, subscriber: str) -> int | None:
    with desk.cg.context.uow(readonly=True) as uow:
        return uow.repo(DeliveryRepository).floor(subscriber)


def test_deliveries_are_signed_and_in_order(desk: Desk) -> None:
    hook = desk.webhook()
    ids = desk.emit(*[("case.reported", f"case:{i % 3}") for i in range(9)])
    with desk.deliverer() as deliverer:
        done = deliverer.deliver()
        assert (done.delivered, done.failed, done.dead, done.held) == (9, 0, 0, 0)
        assert desk.receiver.ids() == ids
        assert deliverer.deliver().delivered == 0  # nothing is sent twice
    got = desk.receiver.seen[0]
    assert got.url == "https://hooks.example/in"
    assert got.headers["content-type"] == "application/json"
    assert desk.receiver.signed(got, START)
    assert desk.receiver.signed(got, START + 4 * MINUTE)
    assert not desk.receiver.signed(got, START + 6 * MINUTE)  # too old to trust
    tampered = got.body.replace(b"case.reported", b"case.rejected")
    assert not desk.receiver.signed(attrs.evolve(got, body=tampered), START)
    timestamp = int(START.timestamp())
    assert got.headers["commgov-signature"] == signature(desk.receiver.secret, timestamp, got.body)
    if desk.cg.context.engine.dialect.name == "sqlite":  # one writer: every id is final at once
        assert floor(desk, webhook_subscriber(hook)) == ids[-1]


def test_a_failing_event_holds_back_its_aggregate_until_it_is_dead(desk: Desk) -> None:
    hook = desk.webhook()
    first, second, other = desk.emit(
        ("case.reported", "case:1"), ("case.accepted", "case:1"), ("case.reported", "case:2")
    )
    down = {first}
    desk.receiver.status = lambda got: 503 if got.event_id in down else 200
    subscriber = webhook_subscriber(hook)
    with desk.deliverer() as deliverer:
        done = deliverer.deliver()
        assert (done.delivered, done.failed, done.held) == (1, 1, 1)
        assert desk.receiver.ids() == [first, other]
        (failing,) = desk.cg.webhooks.deliveries(SYSTEM, state="failing")
        assert (failing.event_id, failing.attempts, failing.last_error) == (first, 1, "HTTP 503")
        assert failing.next_at == START + POLICY.first_wait
        assert deliverer.deliver().held == 2  # not yet due: nothing is sent
        assert desk.receiver.ids() == [first, other]
        desk.clock.advance(MINUTE)
        assert deliverer.deliver().failed == 1  # second failure: waits two minutes
        desk.clock.advance(MINUTE)
        assert deliverer.deliver().held == 2
        desk.clock.advance(MINUTE)
        done = deliverer.deliver()  # third failure: dead-lettered; the aggregate moves on
        assert (done.dead, done.delivered) == (1, 1)
        assert desk.receiver.ids() == [first, other, first, first, second]
        (dead,) = desk.cg.webhooks.deliveries(SYSTEM, subscriber=subscriber)
        assert (dead.event_id, dead.state, dead.attempts) == (first, "dead", 3)
        assert (dead.kind, dead.aggregate) == ("case.reported", "case:1")
        down.clear()
        assert desk.cg.webhooks.retry(SYSTEM, subscriber, event_ids=[first]) == 1
        assert desk.cg.webhooks.retry(SYSTEM, subscriber) == 0  # nothing else is dead
        assert deliverer.deliver().delivered == 1
    assert desk.receiver.ids()[-1] == first
    assert desk.cg.webhooks.deliveries(SYSTEM) == []
    assert desk.cg.webhooks.deliveries(SYSTEM, state="delivered", limit=10)[0].event_id == first


def test_a_receiver_that_is_down_is_left_until_the_next_pass(sqlite_desk: Desk) -> None:
    desk = sqlite_desk
    desk.webhook()
    desk.emit(*[("case.reported", f"case:{i}") for i in range(6)])
    desk.receiver.status = lambda _: 500
    with desk.deliverer() as deliverer:
        done = deliverer.deliver()
    assert (done.failed, done.delivered) == (3, 0)
    assert len(desk.receiver.seen) == 3


def test_unreachable_receivers_and_redirects_are_failures(sqlite_desk: Desk) -> None:
    desk = sqlite_desk
    desk.webhook()
    (event,) = desk.emit(("case.reported", "case:1"))

    def refuse(got: object) -> int:
        raise OSError("connection refused")

    desk.receiver.status = refuse
    with desk.deliverer() as deliverer:
        assert deliverer.deliver().failed == 1
        desk.receiver.status = lambda _: 302
        desk.clock.advance(MINUTE)
        assert deliverer.deliver().failed == 1
    (failing,) = desk.cg.webhooks.deliveries(SYSTEM, state="failing")
    assert (failing.event_id, failing.attempts, failing.last_error) == (event, 2, "HTTP 302")


def test_a_webhook_takes_its_kinds_from_when_it_was_added(sqlite_desk: Desk) -> None:
    desk = sqlite_desk
    desk.emit(("case.reported", "case:1"))  # before the webhook: never sent to it
    desk.webhook(kinds=["case", "points.earned"])
    taken = desk.emit(
        ("case.closed", "case:1"),
        ("transfer.posted", "accounts:1-2"),
        ("points.earned", "accounts:1-2"),
        ("cases.other", "x:1"),
    )
    with desk.deliverer() as deliverer:
        deliverer.deliver()
    assert desk.receiver.ids() == [taken[0], taken[2]]
    assert [r.kind for r in desk.receiver.seen] == ["case.closed", "points.earned"]


def test_many_pages_and_many_subscribers(sqlite_desk: Desk) -> None:
    desk = sqlite_desk
    first = desk.webhook("https://a.example/in")
    second = desk.webhook("https://b.example/in", kinds=["case.closed"])
    ids = desk.emit(*[("case.closed" if i % 2 else "case.reported", f"case:{i}") for i in range(7)])
    with desk.deliverer(page=2) as deliverer:
        assert deliverer.deliver().delivered == 7 + 3
    to_a = [r.event_id for r in desk.receiver.seen if r.url.startswith("https://a.")]
    to_b = [r.event_id for r in desk.receiver.seen if r.url.startswith("https://b.")]
    assert (to_a, to_b) == (ids, ids[1::2])
    assert floor(desk, webhook_subscriber(first)) == floor(desk, webhook_subscriber(second))
    desk.cg.webhooks.remove(SYSTEM, first)
    more = desk.emit(("case.closed", "case:9"))
    with desk.deliverer() as deliverer:
        deliverer.deliver()
    assert desk.receiver.ids()[-1:] == more and len(desk.receiver.seen) == 11


@pytest.mark.postgres
def test_an_event_committed_late_with_a_lower_id_is_still_delivered(pg_url: str) -> None:
    """PostgreSQL numbers an event when it is written: a transaction committing later may hold
    a lower id. The deliverer neither skips it nor raises the floor past it."""
    from tests.conftest import SECRET
    from tests.integrations.conftest import Clock, Receiver

    import commgov

    clock = Clock()
    with commgov.open(pg_url, secret_key=SECRET, clock=clock, discover_plugins=False) as cg:
        desk = Desk(cg, clock, Receiver())
        hook = desk.webhook()
        with cg.context.engine.connect() as slow:
            outbox = OutboxRepository(slow)
            slow.begin()
            outbox.add(START, [Event("case.reported", "case:1", {})])  # numbered, not committed
            (late,) = [e.id for e in outbox.after(0)]
            (early,) = desk.emit(("case.reported", "case:2"))
            assert early > late
            with desk.deliverer() as deliverer:
                assert deliverer.deliver().delivered == 1
                assert floor(desk, webhook_subscriber(hook)) < late  # not settled: no rise
                slow.commit()
                assert deliverer.deliver().delivered == 1
        assert desk.receiver.ids() == [early, late]


@pytest.mark.postgres
def test_a_probe_is_settled_once_the_transactions_running_at_it_end(pg_url: str) -> None:
    from tests.conftest import SECRET

    import commgov

    with commgov.open(pg_url, secret_key=SECRET, discover_plugins=False) as cg:
        engine = cg.context.engine
        with engine.connect() as writer:
            writer.begin()
            writer.execute(text("SELECT pg_current_xact_id()"))  # it holds a transaction id
            with cg.context.uow(readonly=True) as uow:
                probe = uow.repo(DeliveryRepository).probe()
            with cg.context.uow(readonly=True) as uow:
                assert probe.xid is not None and not uow.repo(DeliveryRepository).settled(probe)
            writer.rollback()
        # Transaction ids are the server's: other tests' transactions running at the probe
        # (another worker's, perhaps long) must end too, so wait for them, within a minute.
        deadline = time.monotonic() + 60
        while True:
            with cg.context.uow(readonly=True) as uow:
                if uow.repo(DeliveryRepository).settled(probe):
                    break
            if time.monotonic() > deadline:
                pytest.fail("the probe never settled")
            time.sleep(0.05)


def test_retry_policy_doubles_its_wait_up_to_the_longest() -> None:
    policy = RetryPolicy(max_attempts=5, first_wait=MINUTE, longest_wait=5 * MINUTE)
    assert [policy.wait(n) for n in range(1, 6)] == [MINUTE, 2 * MINUTE, 4 * MINUTE] + [
        5 * MINUTE
    ] * 2
    assert policy.wait(1000) == 5 * MINUTE
    assert not policy.dead(4) and policy.dead(5)
    with pytest.raises(ValueError, match="max_attempts"):
        RetryPolicy(max_attempts=0)
    with pytest.raises(ValueError, match="first_wait"):
        RetryPolicy(first_wait=dt.timedelta(0))


def test_run_passes_until_stopped_and_waits_when_idle(sqlite_desk: Desk) -> None:
    desk = sqlite_desk
    desk.webhook()
    ids = desk.emit(("case.reported", "case:1"))
    waits: list[float] = []
    with desk.deliverer() as deliverer:
        deliverer.run(poll=0.5, stop=lambda: len(waits) >= 2, sleep=waits.append)
    assert desk.receiver.ids() == ids and waits == [0.5, 0.5]  # the first pass sent: no wait
