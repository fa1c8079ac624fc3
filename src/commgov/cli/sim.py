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
from pydantic import ValidationError as PydanticValidationError
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from commgov.errors import ValidationError

if TYPE_CHECKING:
    from commgov.sim.scenario import Scenario

app = typer.Typer(
    help="Simulate towns and cities (scenarios, sweeps, the reference model).", no_args_is_help=True
)
console = Console()
err_console = Console(stderr=True)


@contextmanager
def _bad_input() -> Iterator[None]:
    """A bad scenario or parameter: one message naming the field, exit code 2."""
    try:
        yield
    except ValidationError as exc:
        err_console.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False)
        raise typer.Exit(2) from None
    except PydanticValidationError as exc:
        for error in exc.errors():
            field = ".".join(str(part) for part in error["loc"])
            message = f"{field}={error.get('input')!r}: {error['msg']}"
            err_console.print(f"[red]error:[/red] {escape(message)}", highlight=False)
        raise typer.Exit(2) from None


def _load(path: Path) -> Scenario:
    from commgov.sim.scenario import Scenario

    with _bad_input():
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
    if describe:
        console.print(spec.describe())
    result = simulate(spec)
    table = Table("figure", "value", title=f"{spec.name}: {spec.days} days, seed {spec.seed}")
    for key, value in result.summary().items():
        table.add_row(
            key, f"{value:,.3f}" if isinstance(value, float) and value % 1 else f"{value:,.0f}"
        )
    console.print(table)
    if out is not None:
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
    from rich.progress import Progress

    from commgov.sim.sweep import plan, sweep

    grid: dict[str, list[Any]] = {}
    for item in param:
        name, _, values = item.partition("=")
        if not values:
            raise typer.BadParameter(f"{item!r}: expected name=v1,v2", param_hint="--param")
        grid[name.strip()] = [_value(v) for v in values.split(",")]
    spec = _load(scenario)
    with _bad_input():
        for _ in plan(spec, grid, 1):  # a bad name or value fails before anything runs
            pass
    with _executor(workers, scheduler) as pool, Progress(console=err_console) as bar:
        task = bar.add_task("runs", total=None)
        runs = sweep(
            spec, grid, replications=replications, executor=pool,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )  # fmt: skip
    last = runs[runs["day"] == runs["day"].max()]
    summary = last.groupby(list(grid))[
        ["resolved", "volunteers", "satisfaction_rate", "points_held"]
    ].mean()
    console.print(summary.to_string())
    if out is not None:
        runs.to_csv(out, index=False)
        console.print(f"{len(runs)} rows written to {out}")


@app.command("reference")
def reference(
    residents: Annotated[int, typer.Option(min=1)] = 10_000,
    days: Annotated[int, typer.Option(min=1)] = 30,
    seed: int = 1,
    as_json: Annotated[bool, typer.Option("--json", help="Print one JSON object.")] = False,
) -> None:
    """Run the benchmark's reference model: open, resolved, escalated, volunteers per day."""
    from commgov.sim.reference import ReferenceParams, run_reference

    series = run_reference(ReferenceParams(n_residents=residents, seed=seed), days)
    if as_json:
        print(json.dumps({"residents": residents, "days": days, "seed": seed, **series}))
        return
    table = Table("day", *series)
    for day in range(days):
        table.add_row(str(day), *(str(values[day]) for values in series.values()))
    console.print(table)


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
