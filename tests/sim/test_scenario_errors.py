"""A bad scenario is a ``commgov.errors.ValidationError`` naming the field path and the value,
never pydantic's own error; the ``commgov sim`` commands say what is wrong in one line."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pydantic
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner, Result

from commgov.cli import app
from commgov.errors import ValidationError
from commgov.sim import RuleParams, Scenario, TownSpec

WIDE = {"COLUMNS": "300"}
TINY = Scenario(days=3, town={"residents": 200, "grids": 2, "communities": 1})


def refused(make: Any) -> ValidationError:
    with pytest.raises(ValidationError) as caught:
        make()
    assert not isinstance(caught.value, pydantic.ValidationError)
    return caught.value


@pytest.mark.parametrize(
    ("make", "field", "value"),
    [
        (lambda: Scenario(town={"grids": 0}), "town.grids", 0),
        (lambda: Scenario(days="soon"), "days", "soon"),
        (lambda: Scenario(rules={"p_report": 1.5}), "rules.p_report", 1.5),
        (lambda: Scenario(town={"grids": 3, "communities": 5}), "town.communities", 5),
        (lambda: Scenario(colour="red"), "colour", "red"),
        (lambda: Scenario(town=5), "town", 5),
        (lambda: TownSpec(residents=0), "residents", 0),
        (lambda: RuleParams(points_cap=0), "points_cap", 0),
        (lambda: TINY.with_values({"rules.redeem_chance": -1}), "rules.redeem_chance", -1),
        (lambda: Scenario.model_validate({"seed": "x"}), "seed", "x"),
        (lambda: Scenario.from_yaml("town:\n  elder_share: 2\n"), "town.elder_share", 2),
    ],
)
def test_a_bad_scenario_names_the_field_path_and_the_value(
    make: Any, field: str, value: object
) -> None:
    error = refused(make)
    assert (error.field, error.value) == (field, value)
    assert str(error).startswith(f"{field}={value!r}: ")


def test_several_bad_fields_name_the_first_and_count_the_rest() -> None:
    error = refused(lambda: Scenario(town={"grids": 0, "residents": 0}, days=0))
    assert error.field == "town.residents"
    assert "(and 2 more: town.grids, days)" in str(error)


BOUNDED = [
    (prefix, name, field.metadata)
    for prefix, model in (("town", TownSpec), ("rules", RuleParams))
    for name, field in model.model_fields.items()
    if any(hasattr(m, "ge") for m in field.metadata)
]


@pytest.mark.property
@settings(max_examples=60, deadline=None)
@given(choice=st.sampled_from(BOUNDED), below=st.integers(min_value=1, max_value=10**6))
def test_every_value_below_a_fields_bound_is_refused_with_its_path(
    choice: tuple[str, str, list[Any]], below: int
) -> None:
    prefix, name, metadata = choice
    bound = next(m.ge for m in metadata if hasattr(m, "ge"))
    value = bound - below
    error = refused(lambda: TINY.with_values({f"{prefix}.{name}": value}))
    assert (error.field, error.value) == (f"{prefix}.{name}", value)


def one_line(result: Result) -> str:
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.output
    return lines[0]


def test_a_yaml_syntax_error_is_one_line_naming_where(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("name: x\ntown: {grids: 3\ndays: 3\n", encoding="utf-8")
    line = one_line(CliRunner().invoke(app, ["sim", "run", str(path)], env=WIDE))
    assert "not YAML" in line and "at line" in line


@pytest.mark.parametrize(
    "args",
    [
        ["sim", "run", "missing.yaml"],
        ["sim", "run", "{scenario}", "--out", "{tmp}/no/such/folder/series.csv"],
        ["sim", "run", "{scenario}", "--out", "{tmp}"],
        ["sim", "sweep", "{scenario}", "--param", "days"],
        ["sim", "sweep", "{scenario}", "--param", "rules.no_such=1"],
        ["sim", "sweep", "{scenario}", "--param", "days=0,1"],
        ["sim", "sweep", "{scenario}", "--param", "seed=1", "--out", "{tmp}/no/runs.csv"],
    ],
    ids=lambda args: " ".join(args[1:]),
)
def test_bad_simulation_input_is_one_line(
    args: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    scenario = tmp_path / "tiny.yaml"
    scenario.write_text(TINY.to_yaml(), encoding="utf-8")
    filled = [a.format(scenario=scenario, tmp=tmp_path) for a in args]
    one_line(CliRunner().invoke(app, filled, env=WIDE))
    assert sorted(p.name for p in tmp_path.iterdir()) == ["tiny.yaml"]  # nothing written


def test_a_scenario_run_shows_its_progress_and_fits_80_columns(tmp_path: Path) -> None:
    scenario = tmp_path / "tiny.yaml"
    scenario.write_text(TINY.to_yaml(), encoding="utf-8")
    result = CliRunner().invoke(app, ["sim", "run", str(scenario)], env={"COLUMNS": "80"})
    assert result.exit_code == 0, result.output
    assert any(line.split()[:1] == ["days"] for line in result.stderr.splitlines())
    assert "…" not in result.output
