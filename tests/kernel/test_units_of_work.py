"""Hooks that write join the caller's unit of work, and ``Commgov.transaction()`` groups calls:
one transaction, all or nothing, on SQLite and PostgreSQL alike."""

from __future__ import annotations

from typing import Any

import pytest
from tests.conftest import NOW, SECRET, Town, build_town, row_counts

import commgov
from commgov.cases.model.rules import CaseInfo
from commgov.errors import StateError, ValidationError


class PointsForTrueReports:
    """A town's plugin: a case closed with a good rating pays its reporter's household head
    points; a rating of 3 makes the plugin fail after it has paid."""

    def __init__(self) -> None:
        self.cg: commgov.Commgov | None = None
        self.resident_id = 0

    @commgov.hookimpl
    def commgov_case_closed(self, case: CaseInfo, rating: int | None, actor: commgov.Actor) -> None:
        assert self.cg is not None
        self.cg.points.earn(
            commgov.Actor.system("points-plugin"),
            self.resident_id,
            "true_report",
            client_id=f"case-{case.id}",
        )
        if rating == 3:
            raise RuntimeError("the plugin failed after paying")


@pytest.fixture(params=["sqlite", "postgresql"])
def plugged(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Any:
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'store.db'}"
    else:
        url = request.getfixturevalue("pg_url")
    plugin = PointsForTrueReports()
    with commgov.open(
        url, secret_key=SECRET, discover_plugins=False, clock=lambda: NOW, plugins=[plugin]
    ) as cg:
        plugin.cg = cg
        town = build_town(cg)
        home = town.household(
            town.grid_a1, {"name": "张三", "birth_date": "1970-01-01", "sex": "M"}
        )
        plugin.resident_id = home.member_ids[0]
        yield town, plugin


def _close(town: Town, rating: int) -> int:
    cg = town.cg
    worker = town.worker(town.grid_a1)
    case = cg.cases.report(worker, text="楼道堆物", unit=town.grid_a1)
    steps: list[dict[str, Any]] = [
        {"action": "accept"},
        {"action": "triage"},
        {"action": "dispatch", "lead": f"staff:{worker.staff_id}"},
        {"action": "start"},
        {"action": "resolve", "note": "清理完毕"},
        {"action": "inform"},
        {"action": "visit", "rating": rating},
        {"action": "close"},
    ]
    cg.cases.apply_many(worker, [{"case_id": case.id, **step} for step in steps])
    return case.id


def _points(town: Town, resident_id: int) -> int:
    view = town.cg.points.balance(town.admin, resident_id)
    return 0 if view is None else view.balance


def test_a_hook_that_pays_points_commits_with_the_close(plugged: Any) -> None:
    town, plugin = plugged
    case_id = _close(town, rating=5)
    assert town.cg.cases.get(town.admin, case_id).state == "closed"
    assert _points(town, plugin.resident_id) == 5


def test_a_hook_that_fails_after_paying_leaves_neither_the_close_nor_the_points(
    plugged: Any,
) -> None:
    town, plugin = plugged
    with pytest.raises(RuntimeError, match="after paying"):
        _close(town, rating=3)
    assert _points(town, plugin.resident_id) == 0
    (case,) = town.cg.cases.under(town.admin, town.grid_a1)
    assert case.state == "reported"  # the whole batch of actions, the close included, undone


def test_calls_inside_a_transaction_commit_together_or_not_at_all(any_town: Town) -> None:
    cg, admin = any_town.cg, any_town.admin
    before = row_counts(cg)
    with pytest.raises(ValidationError), cg.transaction():
        home = cg.residents.add_household(admin, unit=any_town.grid_a1, address="1号楼")
        cg.residents.add_household(admin, unit=any_town.grid_a1, address="x" * 10_000)
    assert row_counts(cg) == before
    with cg.transaction():
        home = cg.residents.add_household(admin, unit=any_town.grid_a1, address="1号楼")
        cg.residents.add_resident(
            admin, household_id=home.id, name="李四", birth_date="1980-02-02", sex="F"
        )
    assert len(cg.residents.household(admin, home.id).member_ids) == 1


def test_an_error_caught_inside_a_transaction_leaves_it_usable(any_town: Town) -> None:
    cg, admin = any_town.cg, any_town.admin
    with cg.transaction():
        first = cg.residents.add_household(admin, unit=any_town.grid_a1, address="2号楼")
        with pytest.raises(ValidationError):
            cg.residents.add_household(admin, unit=any_town.grid_a1, address="y\x00")
        second = cg.residents.add_household(admin, unit=any_town.grid_a1, address="3号楼")
    assert cg.residents.household(admin, first.id).address == "2号楼"
    assert cg.residents.household(admin, second.id).address == "3号楼"


def test_a_write_inside_a_read_only_unit_of_work_is_refused(town: Town) -> None:
    cg = town.cg
    with cg.context.uow(readonly=True), pytest.raises(StateError, match="read-only"):
        cg.residents.add_household(town.admin, unit=town.grid_a1, address="4号楼")


def test_on_commit_runs_only_for_what_committed(any_town: Town) -> None:
    """``on_commit`` callbacks run once the outermost transaction commits; none for a rolled-back
    one, nor for an inner unit of work that rolled back to its savepoint."""
    ctx = any_town.cg.context
    ran: list[str] = []
    with ctx.uow() as uow:
        uow.on_commit(lambda: ran.append("outer"))
        with pytest.raises(RuntimeError), ctx.uow() as inner:
            inner.on_commit(lambda: ran.append("failed inner"))
            raise RuntimeError("the hook broke")
        with ctx.uow() as inner:
            inner.on_commit(lambda: ran.append("inner"))
        assert ran == []  # nothing before the commit
    assert ran == ["outer", "inner"]
    with pytest.raises(RuntimeError), ctx.uow() as uow:
        uow.on_commit(lambda: ran.append("rolled back"))
        raise RuntimeError("the caller broke")
    assert ran == ["outer", "inner"]


def test_a_unit_of_work_opened_whole_keeps_nothing_when_a_call_inside_fails(
    any_town: Town,
) -> None:
    """``uow(whole=True)`` (an HTTP request's transaction): calls inside take no savepoint,
    and a failure inside undoes everything the request did, the calls that succeeded too."""
    cg, admin = any_town.cg, any_town.admin
    before = row_counts(cg)
    with pytest.raises(ValidationError), cg.context.uow(whole=True) as uow:
        cg.residents.add_household(admin, unit=any_town.grid_a1, address="5号楼")
        assert uow.conn.in_nested_transaction() is False  # the call took no savepoint
        cg.residents.add_household(admin, unit=any_town.grid_a1, address="z" * 10_000)
    assert row_counts(cg) == before
    with cg.context.uow(whole=True):
        made = cg.residents.add_household(admin, unit=any_town.grid_a1, address="6号楼")
    assert cg.residents.household(admin, made.id).address == "6号楼"


def test_units_read_twice_in_one_transaction_see_a_move_made_in_it(any_town: Town) -> None:
    """A unit found by code is remembered for the rest of its transaction, and forgotten when
    the transaction moves or retires units: later look-ups see the new code and the old one
    still finds the moved unit."""
    cg, admin = any_town.cg, any_town.admin
    grid = any_town.grid_a2
    with cg.transaction():
        before = cg.grids.get(grid)
        moved = cg.grids.move(admin, grid, new_parent=any_town.community_b)
        assert moved.code != grid and moved.parent_code == any_town.community_b
        assert cg.grids.get(moved.code).id == before.id
        assert cg.grids.get(grid).code == moved.code  # found by its former code
        assert not cg.grids.get(moved.code).retired
        cg.grids.retire(admin, moved.code, reason="merged")
        assert cg.grids.get(moved.code).retired
