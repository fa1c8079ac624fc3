"""The reference model: conservation, the rules it states, and reproducibility."""

from __future__ import annotations

import json

import numpy as np
import pytest
from typer.testing import CliRunner

from commgov.cli.sim import app
from commgov.sim import ReferenceModel, ReferenceParams, run_reference


def test_every_case_is_open_resolved_or_escalated() -> None:
    params = ReferenceParams(n_residents=5000, p_report=0.01, worker_capacity=1)
    model = ReferenceModel(params)
    reported = 0
    for _ in range(40):
        before = model.open_cases + model.resolved + model.escalated
        model.step()
        after = model.open_cases + model.resolved + model.escalated
        reported += after - before
        assert model.queue[:, params.sla_days :].sum() == 0  # nothing stays past the SLA
    assert reported > 0
    assert model.escalated > 0  # capacity 1 per grid cannot keep up with 50 reports a day


def test_no_capacity_means_every_case_escalates_after_sla_days() -> None:
    params = ReferenceParams(n_residents=3000, workers_per_grid=0, sla_days=2, p_report=0.01)
    series = run_reference(params, 10)
    assert series["resolved"][-1] == 0
    assert series["escalated"][0] == series["escalated"][1] == 0  # ages 0 and 1 stay queued
    assert series["escalated"][2] > 0


def test_points_off_keeps_volunteering_at_the_base_rate() -> None:
    off = ReferenceModel(ReferenceParams(n_residents=20_000, points_enabled=False)).run(20)
    assert off.points.sum() == 0
    assert np.allclose(off.volunteer_p[off.volunteer_p > 0], 0.01)
    on = ReferenceModel(ReferenceParams(n_residents=20_000)).run(20)
    assert on.points.sum() > 0
    assert (
        on.collector.series()["volunteers"].iloc[-5:].mean()
        > off.collector.series()["volunteers"].iloc[-5:].mean()
    )


def test_grid_layout_counts_every_resident_once() -> None:
    model = ReferenceModel(ReferenceParams(n_residents=1000, n_grids=87))
    assert model.per_grid.sum() == 1000
    assert list(model.per_grid[:2]) == [12, 12] and model.per_grid[-1] == 11  # 1000 = 87*11 + 43
    assert (model.volunteer_p > 0).sum() == 1000  # padding cells never volunteer


def test_same_seed_same_series_other_seed_other_series() -> None:
    a = run_reference(ReferenceParams(n_residents=5000, seed=7), 15)
    b = run_reference(ReferenceParams(n_residents=5000, seed=7), 15)
    c = run_reference(ReferenceParams(n_residents=5000, seed=8), 15)
    assert a == b
    assert a != c


def test_bad_parameters_name_the_field() -> None:
    with pytest.raises(ValueError, match="p_report"):
        ReferenceParams(p_report=1.5)


def test_reference_cli_prints_the_four_series() -> None:
    result = CliRunner().invoke(
        app, ["reference", "--residents", "2000", "--days", "5", "--seed", "3", "--json"]
    )
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert set(data) >= {"open_cases", "resolved", "escalated", "volunteers"}
    assert (
        data["volunteers"]
        == run_reference(ReferenceParams(n_residents=2000, seed=3), 5)["volunteers"]
    )


def test_each_grid_resolves_its_oldest_cases_first_up_to_capacity() -> None:
    model = ReferenceModel(ReferenceParams(n_residents=200, n_grids=2, worker_capacity=3))
    model.queue[:] = [[2, 1, 4, 0], [1, 0, 1, 1]]  # column a: cases of age a
    model.resolve()
    assert model.queue.tolist() == [[2, 1, 1, 0], [0, 0, 0, 0]]
    assert model.resolved == 3 + 3
    model.resolve()
    assert model.queue.tolist() == [[1, 0, 0, 0], [0, 0, 0, 0]]
