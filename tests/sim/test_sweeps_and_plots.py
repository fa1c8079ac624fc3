"""Sweeps on processes and on Dask, and the plots."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from commgov.sim import Scenario, plot_compare, plot_series, replication_seed, simulate, sweep

TINY = Scenario(days=15, town={"residents": 2000, "grids": 10, "communities": 2})
GRID = {"rules.points_enabled": [True, False]}


def test_sweep_gathers_every_run_with_parameters_as_columns() -> None:
    seen: list[int] = []
    with ThreadPoolExecutor(2) as pool:
        runs = sweep(
            TINY, GRID, replications=2, executor=pool, progress=lambda d, t: seen.append(d)
        )
    assert len(runs) == 2 * 2 * 15
    assert list(runs.columns[:2]) == ["rules.points_enabled", "replication"]
    assert sorted(seen) == [1, 2, 3, 4]
    off = runs[~runs["rules.points_enabled"]]
    assert off["points_issued"].max() == 0
    one = runs[(runs["rules.points_enabled"]) & (runs["replication"] == 1)].reset_index(drop=True)
    again = simulate(TINY.with_values({"seed": replication_seed(TINY.seed, 1)})).series
    assert one.drop(columns=["rules.points_enabled", "replication"]).equals(again)


def test_sweep_on_processes_by_default() -> None:
    runs = sweep(TINY, {"town.workers_per_grid": [1]}, replications=2)
    assert set(runs["replication"]) == {0, 1}
    first, second = (runs[runs["replication"] == r]["volunteers"].to_numpy() for r in (0, 1))
    assert (first != second).any()  # replications draw independently


def test_sweep_on_a_dask_cluster() -> None:
    distributed = pytest.importorskip("distributed")
    with (
        distributed.LocalCluster(
            n_workers=1, threads_per_worker=2, processes=False, dashboard_address=None
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        runs = sweep(TINY, GRID, replications=1, executor=client.get_executor())
    local = sweep(TINY, GRID, replications=1, executor=ThreadPoolExecutor(1))
    assert runs.equals(local)  # where it ran does not change what it computed


def test_plots_write_images(tmp_path: Path) -> None:
    result = simulate(TINY)
    one = plot_series(result.series, ["open_cases", "volunteers"], tmp_path / "series.png")
    with ThreadPoolExecutor(2) as pool:
        runs = sweep(TINY, GRID, replications=2, executor=pool)
    two = plot_compare(runs, "rules.points_enabled", "volunteers", tmp_path / "compare.png")
    for path in (one, two):
        assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
