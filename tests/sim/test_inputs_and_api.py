"""Bad input names its field; the public surface; the package stands on its own."""

from __future__ import annotations

import ast
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import commgov.sim
from commgov.cli.sim import app
from commgov.errors import ValidationError
from commgov.sim import Scenario, TownModel, plot_series, sweep

TINY = Scenario(days=5, town={"residents": 1000, "grids": 5, "communities": 1})
SIM_SOURCES = Path(commgov.sim.__file__).parent


def test_all_is_sorted_and_resolves() -> None:
    names = commgov.sim.__all__
    assert names == sorted(names, key=lambda n: (0 if n[0].isupper() else 1, n))
    for name in names:
        assert hasattr(commgov.sim, name), name


# The bridges out of the simulation, each reaching only as far as it needs: the case engine's
# categories and deadlines, a town plugin's hooks through checked calls, and the store.
BRIDGES = {
    "categories.py": ("commgov.cases.model",),
    "plugin_calls.py": ("commgov.cases.model", "commgov.kernel"),
    "plugin_rules.py": (
        "commgov.capabilities",
        "commgov.cases.calls",
        "commgov.cases.model",
        "commgov.kernel",
        "commgov.ledger.calls",
        "commgov.ledger.model",
    ),
    "store.py": ("commgov.facade", "commgov.kernel.actors"),
}


def test_simulation_modules_import_no_other_part_of_commgov() -> None:
    """Only ``commgov.errors`` and ``commgov.sim`` itself, but for the bridges in ``BRIDGES``
    (to the case engine, to the plugins, to the store), each within its own reach."""
    assert {path.name for path in SIM_SOURCES.glob("*.py")} >= set(BRIDGES)
    for path in SIM_SOURCES.glob("*.py"):
        allowed = ("commgov.errors", "commgov.sim", *BRIDGES.get(path.name, ()))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                if name == "commgov" or name.startswith("commgov."):
                    assert name.startswith(allowed), f"{path.name} imports {name}"


def test_scenario_files_that_cannot_be_read_name_the_problem(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="scenario"):
        Scenario.from_yaml(tmp_path / "missing.yaml")
    with pytest.raises(ValidationError, match="not YAML"):
        Scenario.from_yaml("town: [1, 2\n")
    with pytest.raises(ValidationError, match="mapping"):
        Scenario.from_yaml("- 1\n- 2\n")
    named = tmp_path / "scenario.txt"  # any existing file, whatever its suffix
    named.write_text("days: 7\n", encoding="utf-8")
    assert Scenario.from_yaml(str(named)).days == 7


def test_sweeps_refuse_empty_plans() -> None:
    with pytest.raises(ValidationError) as caught:
        sweep(TINY, {"seed": [1]}, replications=0)
    assert caught.value.field == "replications"
    with pytest.raises(ValidationError) as caught:
        sweep(TINY, {"rules.points_enabled": []})
    assert caught.value.field == "rules.points_enabled"


def test_sweep_progress_bar_does_not_change_the_result() -> None:
    with ThreadPoolExecutor(1) as pool:
        quiet = sweep(TINY, {"town.worker_capacity": [1, 2]}, executor=pool)
    with ThreadPoolExecutor(1) as pool:
        shown = sweep(TINY, {"town.worker_capacity": [1, 2]}, executor=pool, progress=True)
    assert shown.equals(quiet)


def test_custom_reporters_join_the_series() -> None:
    model = TownModel(TINY)
    model.collector.add_reporter("mean_points", lambda m: float(model.points.mean()))
    series = model.run(5).collector.series()
    assert (series["mean_points"] * 1000 == series["points_held"]).all()


def test_plots_name_a_missing_column(tmp_path: Path) -> None:
    frame = pd.DataFrame({"day": [0, 1], "volunteers": [3, 4]})
    with pytest.raises(ValidationError) as caught:
        plot_series(frame, ["nope"], tmp_path / "x.png")
    assert caught.value.value == "nope"
    assert not (tmp_path / "x.png").exists()


def test_cli_reports_a_bad_scenario_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text("town:\n  grids: 0\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["run", str(path)], env={"COLUMNS": "300"})
    assert result.exit_code == 1
    assert isinstance(result.exception, SystemExit)
    assert result.output.strip().splitlines() == [
        "error: town.grids=0: Input should be greater than or equal to 1"
    ]


def test_cli_reports_a_yaml_syntax_error_in_one_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("town:\n  grids: [1, 2\ndays: 3\n", encoding="utf-8")
    result = CliRunner().invoke(app, ["run", str(path)], env={"COLUMNS": "300"})
    assert result.exit_code == 1 and isinstance(result.exception, SystemExit)
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    assert lines[0].startswith("error: scenario=") and "not YAML" in lines[0]
    assert "line 3, column" in lines[0]


def test_sweep_cli_runs_on_processes_and_writes_every_run(tmp_path: Path) -> None:
    path = tmp_path / "tiny.yaml"
    path.write_text(TINY.to_yaml(), encoding="utf-8")
    out = tmp_path / "runs.csv"
    args = ["sweep", str(path), "--param", "rules.points_enabled=true,false"]
    result = CliRunner().invoke(
        app, [*args, "--replications", "2", "--workers", "1", "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    runs = pd.read_csv(out)
    assert len(runs) == 2 * 2 * TINY.days
    assert set(runs["rules.points_enabled"]) == {True, False}
    bad = CliRunner().invoke(app, ["sweep", str(path), "--param", "rules.no_such=1"])
    assert bad.exit_code == 1 and "rules.no_such" in bad.output
