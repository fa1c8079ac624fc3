"""On PostgreSQL: two workers racing on one case, and the metrics (SQL percentiles there)."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Iterator
from typing import Any

import pytest

import commgov
from commgov.cases.model.vocab import CASE_HANDLE
from commgov.kernel.access import Target

from .conftest import START, Clock, Town, build_town
from .test_case_metrics import _history

pytestmark = pytest.mark.postgres


class Gate:
    """A permission hook that, when armed, holds each case action until both threads are in."""

    commgov_plugin_name = "race-gate"

    def __init__(self) -> None:
        self.barrier: threading.Barrier | None = None

    @commgov.hookimpl
    def commgov_permission(self, actor: Any, action: str, target: Target, acts_as: str) -> None:
        if self.barrier is not None and action == CASE_HANDLE:
            self.barrier.wait()


@pytest.fixture
def pg_town(pg_url: str) -> Iterator[tuple[Town, Gate]]:
    gate, clock = Gate(), Clock()
    cg = commgov.open(
        pg_url,
        secret_key=commgov.new_secret_key(),
        clock=clock,
        plugins=[gate],
        discover_plugins=False,
    )
    try:
        yield build_town(cg, clock), gate
    finally:
        cg.close()


def test_two_workers_on_one_case_one_wins(pg_town: tuple[Town, Gate]) -> None:
    town, gate = pg_town
    case = town.report()
    worker, staff = town.workers[0], town.community_staff[0]
    results: dict[str, Any] = {}

    def act(name: str, call: Any) -> None:
        try:
            results[name] = call()
        except Exception as exc:
            results[name] = exc

    gate.barrier = threading.Barrier(2, timeout=20)
    threads = [
        threading.Thread(target=act, args=("accept", lambda: town.cases.accept(worker, case.id))),
        threading.Thread(
            target=act,
            args=(
                "reject",
                lambda: town.cases.reject(staff, case.id, kind="invalid", reason="prank"),
            ),
        ),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    gate.barrier = None
    errors = [r for r in results.values() if isinstance(r, Exception)]
    wins = [r for r in results.values() if not isinstance(r, Exception)]
    assert len(wins) == 1 and len(errors) == 1, results
    assert isinstance(errors[0], commgov.ConflictError) and f"case {case.id}" in str(errors[0])
    history = town.cases.history(town.admin, case.id)
    assert [e.seq for e in history] == [1, 2]
    assert history[1].to_state == wins[0].state and history[1].from_state == "reported"
    stored, replayed = town.cases.replayed(town.admin, case.id)
    assert stored == replayed and stored.version == 2


def test_metrics_on_postgres_match_the_worked_example(pg_town: tuple[Town, Gate]) -> None:
    town, _ = pg_town
    _history(town)
    (m,) = town.cases.metrics(town.admin, town.town, as_of=START + dt.timedelta(days=2))
    assert (m.cases, m.accepted, m.responded_on_time, m.response_owed, m.overdue) == (5, 3, 2, 3, 1)
    assert (m.respond_median_h, m.respond_p90_h) == pytest.approx((1.5, 1.9))
    assert (m.resolve_median_h, m.resolve_p90_h) == pytest.approx((7.5, 9.5))
    by_grid = town.cases.metrics(
        town.admin, town.town, by="grid", as_of=START + dt.timedelta(days=2)
    )
    assert [g.cases for g in by_grid] == [2, 1, 1, 1]
    assert by_grid[2].resolve_median_h == pytest.approx(10)


def test_batches_and_escalation_on_postgres(pg_town: tuple[Town, Gate]) -> None:
    town, _ = pg_town
    worker = town.workers[0]
    ids = town.cases.report_many(
        worker, [{"text": f"r{i}", "unit": town.grids[0]} for i in range(5)]
    )
    assert ids == sorted(ids) and len(set(ids)) == 5
    town.cases.apply_many(worker, [{"case_id": i, "action": "accept"} for i in ids])
    town.clock.advance(days=2)
    assert town.cases.escalate_overdue() == ids
    assert town.cases.escalate_overdue() == []
    for case_id in ids:
        stored, replayed = town.cases.replayed(town.admin, case_id)
        assert stored == replayed and stored.owner_level == "community"
