"""Metrics on a hand-made history whose figures are worked out in the comments."""

from __future__ import annotations

import datetime as dt

import pytest

from .conftest import START, Town


def _history(town: Town) -> dict[str, int]:
    """A: grid 0, answered in 1 h, resolved at grid level in 5 h, rated 5.
    B: grid 0, never handled. C: grid 1, rejected. E: grid 3, withdrawn.
    D: grid 2, escalated to the community, answered in 2 h, resolved in 5 h, rated 1
    (reopened), resolved again at 10 h, rated 4."""
    c, clock = town.cases, town.clock
    w0, w2 = town.workers[0], town.workers[2]
    a, b = c.report(w0, text="A", unit=town.grids[0]), c.report(w0, text="B", unit=town.grids[0])
    rejected = c.report(town.workers[1], text="C", unit=town.grids[1])
    d = c.report(w2, text="D", unit=town.grids[2])
    e = c.report(town.residents[3], text="E")
    c.reject(town.workers[1], rejected.id, kind="invalid", reason="test call")
    c.withdraw(town.residents[3], e.id)
    for case, worker in ((a, w0), (d, w2)):
        c.accept(worker, case.id)
        c.triage(worker, case.id, category="facilities")
    clock.advance(hours=1)
    c.dispatch(w0, a.id, lead=f"staff:{w0.staff_id}")
    c.escalate(w2, d.id)
    clock.advance(hours=1)
    c.dispatch(town.community_staff[1], d.id)
    for case, worker in ((a, w0), (d, town.community_staff[1])):
        c.start(worker, case.id)
    clock.advance(hours=3)
    for case, worker, rating in ((a, w0, 5), (d, town.community_staff[1], 1)):
        c.resolve(worker, case.id, outcome="done")
        c.inform(worker, case.id)
        c.visit(worker, case.id, rating=rating)
    c.close(w0, a.id)
    clock.advance(hours=5)
    c.resolve(town.community_staff[1], d.id, outcome="done again")
    c.inform(town.community_staff[1], d.id)
    c.visit(town.community_staff[1], d.id, rating=4)
    c.close(town.community_staff[1], d.id)
    return {"A": a.id, "B": b.id, "C": rejected.id, "D": d.id, "E": e.id}


def test_town_metrics(town: Town) -> None:
    _history(town)
    as_of = START + dt.timedelta(days=2)
    (m,) = town.cases.metrics(town.admin, town.town, as_of=as_of)
    assert (m.cases, m.accepted, m.residents) == (5, 3, 8)
    assert (m.responded_on_time, m.response_owed) == (2, 3)  # B's 24 h passed unanswered
    assert (m.resolved, m.resolution_owed) == (2, 2)  # B still has 7 days
    assert (m.satisfied, m.rated) == (2, 2)
    assert m.response_rate == pytest.approx(2 / 3) and m.resolution_rate == m.satisfaction_rate == 1
    assert (m.respond_median_h, m.respond_p90_h) == pytest.approx((1.5, 1.9))
    assert (m.resolve_median_h, m.resolve_p90_h) == pytest.approx((7.5, 9.5))
    assert m.overdue == 1 and m.per_1000 == 625
    assert (m.resolved_at_grid, m.grid_share) == (1, 0.5)
    assert (m.reopened, m.ever_resolved, m.reopen_rate) == (1, 2, 0.5)
    (early,) = town.cases.metrics(town.admin, town.town, as_of=START + dt.timedelta(hours=12))
    assert (early.response_owed, early.overdue) == (2, 0)


def test_grouped_metrics_add_up(town: Town) -> None:
    _history(town)
    as_of = START + dt.timedelta(days=2)
    by_community = town.cases.metrics(town.admin, town.town, by="child", as_of=as_of)
    assert [m.unit_code for m in by_community] == town.communities
    assert [(m.cases, m.accepted, m.overdue) for m in by_community] == [(3, 2, 1), (2, 1, 0)]
    by_grid = town.cases.metrics(town.admin, town.town, by="grid", as_of=as_of)
    assert [m.cases for m in by_grid] == [2, 1, 1, 1]
    assert by_grid[2].resolve_median_h == pytest.approx(10) and by_grid[3].response_rate is None
    rates = town.cases.rates(town.admin, town.town, by="grid", as_of=as_of)
    assert [r.response_rate for r in rates] == [m.response_rate for m in by_grid]
    (grid,) = town.cases.metrics(town.admin, town.grids[0], as_of=as_of)
    assert grid.cases == 2 and grid.per_1000 == 1000


def test_period_filters_by_report_time(town: Town) -> None:
    _history(town)
    later = town.clock.advance(days=1)
    town.cases.report(town.workers[0], text="F", unit=town.grids[0])
    (m,) = town.cases.metrics(town.admin, town.town, start=later)
    assert m.cases == 1 and m.response_rate is None
    (m,) = town.cases.metrics(town.admin, town.town, end=later)
    assert m.cases == 5


def test_metrics_frame(town: Town) -> None:
    pytest.importorskip("pandas")
    _history(town)
    frame = town.cases.metrics_frame(town.admin, town.town, by="child")
    assert list(frame["unit_code"]) == town.communities
    assert {"response_rate", "resolution_rate", "satisfaction_rate", "per_1000"} <= set(
        frame.columns
    )
    assert frame["cases"].sum() == 5
