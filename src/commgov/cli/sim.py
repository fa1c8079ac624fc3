"""``commgov sim``: run a scenario, sweep parameters, run the reference model.

Each command imports the part of ``commgov.sim`` it needs when it runs (such imports cannot
make a cycle: nothing in ``commgov.sim`` imports the CLI), so that every other ``commgov``
command starts without loading NumPy and pandas."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from commgov.cli.common import console, fail, fitted_table, one_line_errors, progress_bar

if TYPE_CHECKING:
    from commgov.sim.scenario import Scenario

app = typer.Typer(
    help="Simulate towns and cities (scenarios, sweeps, the reference model).", no_args_is_help=True
)


def _load(path: Path) -> Scenario:
    """The scenario in ``path``; a bad file or field ends the command with one line."""
    from commgov.sim.scenario import Scenario

    with one_line_errors():
        return Scenario.from_yaml(path)


def _value(text: str) -> Any:
    """``true``/``false``, numbers, else the text."""
    lowered = text.strip().lower()
    if lowered in ("true", "false"):
        return lowered == "true"
    for kind in (int, float):
        try:
            return kind(text)
        except ValueError:
            pass
    return text


@app.command("run")
def run(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    out: Annotated[Path | None, typer.Option(help="Write the daily series as CSV.")] = None,
    describe: Annotated[bool, typer.Option(help="Print the ODD description first.")] = False,
) -> None:
    """Run one scenario and print its summary."""
    from commgov.sim.run import simulate

    spec = _load(scenario)
    if out is not None:
        _writable(out)
    if describe:
        console.print(spec.describe())
    with progress_bar() as update:
        result = simulate(spec, progress=lambda done, total: update("days", done, total))
    rows = [
        (key, f"{value:,.3f}" if isinstance(value, float) and value % 1 else f"{value:,.0f}")
        for key, value in result.summary().items()
    ]
    title = f"{spec.name}: {spec.days} days, seed {spec.seed}"
    console.print(fitted_table(["项目 figure", "数值 value"], rows, title=title))
    if out is not None:
        with one_line_errors():
            result.series.to_csv(out, index=False)
        console.print(f"daily series written to {out}")


@app.command("sweep")
def sweep_command(
    scenario: Annotated[Path, typer.Argument(help="Scenario YAML file.")],
    *,
    param: Annotated[
        list[str], typer.Option(help="name=v1,v2 (dotted, e.g. rules.points_enabled=true,false).")
    ],
    replications: Annotated[int, typer.Option(min=1)] = 3,
    workers: Annotated[
        int | None, typer.Option(min=1, help="Processes (default: one per core).")
    ] = None,
    scheduler: Annotated[
        str | None, typer.Option(help="A Dask scheduler address (tcp://host:8786) to run on.")
    ] = None,
    out: Annotated[Path | None, typer.Option(help="Write every run's series as CSV.")] = None,
) -> None:
    """Run a grid of parameters x replications on processes or a Dask cluster.

    Prints the last day's means for each combination of parameters."""
    from commgov.sim.sweep import plan, sweep

    grid: dict[str, list[Any]] = {}
    for item in param:
        name, _, values = item.partition("=")
        if not values.strip() or not name.strip():
            fail(f"--param {item!r}: expected name=v1,v2")
        grid[name.strip()] = [_value(v) for v in values.split(",")]
    spec = _load(scenario)
    if out is not None:
        _writable(out)
    with one_line_errors():
        for _ in plan(spec, grid, 1):  # a bad name or value fails before anything runs
            pass
    with one_line_errors(), _executor(workers, scheduler) as pool, progress_bar() as update:
        runs = sweep(
            spec, grid, replications=replications, executor=pool,
            progress=lambda done, total: update("runs", done, total),
        )  # fmt: skip
    last = runs[runs["day"] == runs["day"].max()]
    summary = last.groupby(list(grid))[
        ["resolved", "volunteers", "satisfaction_rate", "points_held"]
    ].mean()
    console.print(summary.to_string())
    if out is not None:
        with one_line_errors():
            runs.to_csv(out, index=False)
        console.print(f"{len(runs)} rows written to {out}")


def _writable(path: Path) -> None:
    """Fail now, before the work, when ``path`` cannot be written."""
    if path.is_dir():
        fail(f"--out {path}: a folder, not a file")
    if not path.parent.is_dir():
        fail(f"--out {path}: the folder {path.parent} does not exist")


@app.command("reference")
def reference(
    residents: Annotated[int, typer.Option(min=1)] = 10_000,
    days: Annotated[int, typer.Option(min=1)] = 30,
    seed: int = 1,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Run the benchmark's reference model: open, resolved, escalated, volunteers per day."""
    from commgov.sim.reference import ReferenceParams, run_reference

    with one_line_errors():
        series = run_reference(ReferenceParams(n_residents=residents, seed=seed), days)
    if as_json:
        print(json.dumps({"residents": residents, "days": days, "seed": seed, **series}))
        return
    rows = [[str(day), *(str(values[day]) for values in series.values())] for day in range(days)]
    console.print(fitted_table(["日 day", *series], rows, names=0))


@contextmanager
def _executor(workers: int | None, scheduler: str | None) -> Iterator[Any]:
    """Local processes, or the executor of a Dask client connected to ``scheduler``."""
    if scheduler is None:
        from concurrent.futures import ProcessPoolExecutor

        with ProcessPoolExecutor(max_workers=workers) as pool:
            yield pool
        return
    from distributed import Client

    with Client(scheduler) as client:  # type: ignore[no-untyped-call]
        yield client.get_executor()
