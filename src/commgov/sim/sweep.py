"""Sweeps: a grid of parameters x replications through any ``concurrent.futures`` executor.

Processes by default; a Dask cluster with ``executor=client.get_executor()``. Every run's
seed is derived from the scenario's seed and the replication number, so a sweep is
reproducible and replications are independent.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor, as_completed
from contextlib import contextmanager
from typing import Any

import numpy as np
import pandas as pd
from rich.progress import Progress

from commgov.errors import ValidationError
from commgov.sim.run import simulate
from commgov.sim.scenario import Scenario


def replication_seed(seed: int, replication: int) -> int:
    """An independent seed for each replication (drawn from the scenario's seed sequence)."""
    sequence = np.random.SeedSequence(seed, spawn_key=(replication,))
    return int(sequence.generate_state(1, dtype=np.uint32)[0])


def plan(
    scenario: Scenario, grid: Mapping[str, Sequence[Any]], replications: int
) -> Iterator[tuple[dict[str, Any], int, Scenario]]:
    """Every (parameter values, replication, scenario) the sweep will run."""
    names = list(grid)
    for values in itertools.product(*(grid[n] for n in names)):
        point = dict(zip(names, values, strict=True))
        for rep in range(replications):
            seed = replication_seed(scenario.seed, rep)
            yield point, rep, scenario.with_values({**point, "seed": seed})


def _run_one(point: dict[str, Any], rep: int, scenario: Scenario) -> pd.DataFrame:
    frame = simulate(scenario).series
    frame.insert(0, "replication", rep)
    for position, (name, value) in enumerate(point.items()):
        frame.insert(position, name, value)
    return frame


def sweep(
    scenario: Scenario,
    grid: Mapping[str, Sequence[Any]],
    *,
    replications: int = 1,
    executor: Executor | None = None,
    progress: bool | Callable[[int, int], None] = False,
) -> pd.DataFrame:
    """Run every combination of ``grid`` (dotted field names → values) ``replications`` times.

    Returns the daily series of every run in one DataFrame, with the parameters and the
    replication number as columns, ordered as the plan (not as runs finish). ``progress=True``
    shows a rich progress bar; a callable receives ``(done, total)`` instead."""
    if replications < 1:
        raise ValidationError("replications", replications, "must be at least 1")
    for name, values in grid.items():
        if isinstance(values, str) or len(values) == 0:
            raise ValidationError(name, values, "give a non-empty list of values")
    jobs = list(plan(scenario, grid, replications))  # every point is validated before any run
    own = executor is None
    pool = executor or ProcessPoolExecutor()
    try:
        with _reporter(progress, len(jobs)) as report:
            futures = {pool.submit(_run_one, *job): index for index, job in enumerate(jobs)}
            frames: dict[int, pd.DataFrame] = {}
            for done, future in enumerate(as_completed(futures), 1):
                frames[futures[future]] = future.result()
                report(done, len(jobs))
    finally:
        if own:
            pool.shutdown()
    return pd.concat([frames[i] for i in range(len(jobs))], ignore_index=True)


@contextmanager
def _reporter(
    progress: bool | Callable[[int, int], None], total: int
) -> Iterator[Callable[[int, int], None]]:
    """The caller's callback, a rich progress bar, or nothing."""
    if callable(progress):
        yield progress
    elif progress:
        with Progress(transient=False) as bar:
            task = bar.add_task("runs", total=total)
            yield lambda done, _total: bar.update(task, completed=done)
    else:
        yield lambda done, _total: None
