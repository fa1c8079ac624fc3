"""A simulated run written into a store through the case engine, and a town read from one."""

from __future__ import annotations

import datetime as dt

import pytest
from tests.conftest import Town, build_town

import commgov
from commgov.sim import Scenario, simulate
from commgov.sim.store import town_from_store, write_cases

AS_OF = dt.datetime(2025, 7, 1, tzinfo=dt.UTC)


def staffed(town: Town) -> Town:
    for grid in (town.grid_a1, town.grid_a2, town.grid_b1):
        town.worker(grid)
    for community in (town.community_a, town.community_b):
        town.worker(community, role="community_staff")
    town.worker(town.town, role="town_admin")
    return town


def test_town_from_store_counts_what_the_store_holds(town: Town) -> None:
    staffed(town)
    town.household(town.grid_a1, {"name": "甲", "birth_date": "1950-01-01", "sex": "M"})
    spec = town_from_store(town.cg, town.town, worker_capacity=5)
    assert (spec.residents, spec.grids, spec.communities) == (1, 3, 2)
    assert (spec.workers_per_grid, spec.worker_capacity) == (1, 5)


def test_written_cases_match_the_run(store: commgov.Commgov) -> None:
    town = staffed(build_town(store))
    scenario = Scenario(
        days=20, town={"residents": 3000, "grids": 3, "communities": 2, "worker_capacity": 2},
        rules={"p_report": 0.004},
    )  # fmt: skip
    result = simulate(scenario, log_cases=True)
    assert result.cases is not None
    written = write_cases(store, result, town.town, start=dt.date(2025, 6, 1))
    assert written == len(result.cases) == result.series["reported"].sum()
    admin = commgov.Actor.system("test")
    (rates,) = store.cases.rates(admin, town.town, as_of=AS_OF)
    assert rates.accepted == written
    finished = result.cases[(result.cases["rating"] > 0) & (result.cases["escalations"] == 0)]
    assert rates.rated >= len(finished)
    assert rates.satisfied == int((result.cases["rating"] >= 3).sum())
    closed = [c for c in store.cases.under(admin, town.town) if c.state == "closed"]
    assert len(closed) == rates.satisfied  # a satisfied reporter's case is closed


def test_write_needs_a_case_log(store: commgov.Commgov) -> None:
    town = build_town(store)
    with pytest.raises(ValueError, match="log_cases"):
        write_cases(
            store,
            simulate(Scenario(days=2, town={"residents": 100, "grids": 3, "communities": 1})),
            town.town,
            start=dt.date(2025, 6, 1),
        )
