"""Orders written at once by many threads on PostgreSQL: the order's row lock lets one of them
take each step, the others see the step already taken."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator

import pytest

import commgov
from commgov.orders.views import OrderView

from .conftest import SECRET, Clock, OrderTown, build

THREADS = 8


@pytest.fixture
def pg_town(pg_url: str) -> Iterator[OrderTown]:
    clock = Clock()
    with commgov.open(pg_url, secret_key=SECRET, clock=clock, discover_plugins=False) as cg:
        yield build(cg, clock)


def at_once(call: Callable[[], OrderView]) -> tuple[list[OrderView], list[Exception]]:
    """``call`` from ``THREADS`` threads started together."""
    barrier = threading.Barrier(THREADS, timeout=30)
    done: list[OrderView] = []
    failed: list[Exception] = []
    lock = threading.Lock()

    def run() -> None:
        barrier.wait()
        try:
            view = call()
        except commgov.CommgovError as exc:
            with lock:
                failed.append(exc)
        else:
            with lock:
                done.append(view)

    threads = [threading.Thread(target=run) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    return done, failed


def test_one_of_many_takes_each_step(pg_town: OrderTown) -> None:
    town, orders = pg_town, pg_town.cg.orders
    order = town.advice()

    assigned, lost = at_once(
        lambda: orders.assign(town.clerk, order.id, provider_kind="department", provider="T-civil")
    )
    assert len(assigned) == THREADS and not lost  # the same provider: each finds it assigned
    accepted, lost = at_once(lambda: orders.respond(town.officer, order.id, accept=True))
    assert len(accepted) == 1 and all(isinstance(e, commgov.StateError) for e in lost)
    orders.complete(town.officer, order.id, note="办好了")
    rated, lost = at_once(lambda: orders.rate(town.resident, order.id, rating=5))
    assert len(rated) == 1 and len(lost) == THREADS - 1

    events = [e.action for e in town.cg.cases.history(town.admin, order.id)]
    assert events.count("dispatch") == 1 and events.count("hand_over") == 0
    assert events.count("start") == events.count("visit") == events.count("close") == 1
    assert orders.get(town.admin, order.id).step == "closed"
