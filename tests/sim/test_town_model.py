"""The town model, scenarios, streams, the collector and the ODD description."""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from commgov.cli.sim import app
from commgov.errors import ValidationError
from commgov.sim import (
    GridFirstRules,
    Model,
    Rules,
    Scenario,
    Streams,
    TownModel,
    register_rules,
    simulate,
)

SMALL = Scenario(days=40, town={"residents": 4000, "grids": 20, "communities": 4})


def test_cases_are_conserved_and_rates_are_rates() -> None:
    model = TownModel(SMALL.with_values({"rules.p_report": 0.01, "town.worker_capacity": 1}))
    model.run(40)
    t = model.totals
    finished = t["resolved"] - t["reopened"] + t["escalated_out"]
    assert t["reported"] == finished + model.cases["grid"].size
    series = model.collector.series()
    for rate in ("response_rate", "resolution_rate", "satisfaction_rate"):
        values = series[rate].dropna()
        assert ((values >= 0) & (values <= 1)).all(), rate
    assert t["escalated"] > 0 and t["reopened"] > 0


def test_points_and_time_bank_totals_add_up() -> None:
    result = simulate(SMALL.with_values({"rules.redeem_threshold": 20, "rules.reward_price": 20}))
    last = result.series.iloc[-1]
    assert last["points_held"] == last["points_issued"] - last["points_redeemed"]
    assert last["points_redeemed"] > 0 and last["hours_banked"] > 0
    off = simulate(
        SMALL.with_values({"rules.points_enabled": False, "rules.time_bank_enabled": False})
    )
    assert off.series.iloc[-1][["points_issued", "points_held", "hours_banked"]].sum() == 0


def test_community_table_sums_to_the_town() -> None:
    result = simulate(SMALL)
    per_day = result.communities.groupby("day")[["reported", "resolved", "volunteers"]].sum()
    assert (per_day["reported"].to_numpy() == result.series["reported"].to_numpy()).all()
    assert (per_day["volunteers"].to_numpy() == result.series["volunteers"].to_numpy()).all()
    assert set(result.communities["community"]) == {0, 1, 2, 3}


def test_reproducible_by_seed() -> None:
    a, b = simulate(SMALL).series, simulate(SMALL).series
    assert a.equals(b)
    assert not a.equals(simulate(SMALL.with_values({"seed": 2})).series)


def test_streams_are_independent_of_each_other() -> None:
    first = Streams(5)
    reports = first("report").random(5)
    second = Streams(5)
    second("a new process").random(1000)  # a process added before: must not shift "report"
    assert np.array_equal(second("report").random(5), reports)


def test_adding_a_process_leaves_the_others_draws_alone() -> None:
    class Plain(Model):
        processes = ("count",)

        def __init__(self, seed: int) -> None:
            super().__init__(seed)
            self.collector.add_reporter("x", lambda m: float(m.rng("count").random()))

        def count(self) -> None:
            self.rng("count")

    class WithExtra(Plain):
        processes = ("extra", "count")

        def extra(self) -> None:
            self.rng("extra").random(50)

    assert (
        Plain(3).run(5).collector.series()["x"].equals(WithExtra(3).run(5).collector.series()["x"])
    )


def test_events_run_within_their_day_in_time_order() -> None:
    seen: list[tuple[int, str]] = []
    model = Model(1)
    model.schedule(0.75, lambda m: seen.append((m.day, "evening")))
    model.schedule(0.25, lambda m: seen.append((m.day, "morning")))
    model.schedule(2.5, lambda m: seen.append((m.day, "day two")))
    model.run(3)
    assert seen == [(0, "morning"), (0, "evening"), (2, "day two")]
    with pytest.raises(ValueError, match="at=1"):
        model.schedule(1, lambda m: None)


def test_rules_are_replaceable_by_name() -> None:
    @register_rules
    class EverythingToTown(Rules):
        name = "everything_to_town"
        levels = np.full(11, 2, dtype=np.int8)

    town = TownModel(
        SMALL.with_values({"rules.rules": "everything_to_town", "rules.p_report": 0.01})
    )
    town.step()
    assert (town.cases["level"] == 2).all() or town.cases["grid"].size == 0
    grid_first = TownModel(SMALL.with_values({"rules.rules": GridFirstRules.name}))
    assert (grid_first.rules.triage(np.arange(11)) == 0).all()
    with pytest.raises(ValidationError) as caught:
        TownModel(SMALL.with_values({"rules.rules": "nope"}))
    assert caught.value.field == "rules"


def test_scenario_round_trips_through_yaml_and_names_bad_fields(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(SMALL.to_yaml(), encoding="utf-8")
    assert Scenario.from_yaml(path) == SMALL
    with pytest.raises(ValueError, match="grids"):
        Scenario.from_yaml("town:\n  grids: 0\n")
    with pytest.raises(ValidationError) as caught:
        SMALL.with_values({"rules.no_such_thing": 1})
    assert caught.value.field == "rules.no_such_thing"


def test_describe_states_entities_processes_and_parameters() -> None:
    text = SMALL.with_values({"rules.points_enabled": False}).describe()
    assert "4000 residents" in text and "points off" in text
    for process in TownModel.processes:
        assert process in text


def test_run_cli(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    path.write_text(SMALL.with_values({"days": 10}).to_yaml(), encoding="utf-8")
    out = tmp_path / "series.csv"
    result = CliRunner().invoke(
        app, ["run", str(path), "--out", str(out), "--describe"], env={"COLUMNS": "120"}
    )
    assert result.exit_code == 0, result.output
    assert "satisfaction_rate" in result.output and "Process overview" in result.output
    assert len(out.read_text().splitlines()) == 11


def test_rates_are_nan_before_any_case() -> None:
    quiet = simulate(SMALL.with_values({"rules.p_report": 0.0, "days": 3}))
    assert math.isnan(quiet.series["satisfaction_rate"].iloc[0])
