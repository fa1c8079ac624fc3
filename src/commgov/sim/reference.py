"""The reference town model, exactly as the benchmark specifies it, vectorised.

Resident ``i`` lives in grid ``i % n_grids``. Each day each resident reports a case with
probability ``p_report * (1 - patrol_effect * share[g])`` (clamped at 0; ``share[g]`` is
yesterday's volunteers in the grid over its residents) and volunteers with probability
``base_volunteer + incentive_gain * min(points, points_cap) / points_cap`` (the second term only
with points on), earning ``points_per_day``. Each grid then resolves up to
``workers_per_grid * worker_capacity`` queued cases, oldest first; cases still queued at age
``sla_days`` or more leave as escalated.

Residents are laid out as a ``(rows, n_grids)`` matrix so that column ``g`` is grid ``g``: a
grid's probability broadcasts over its column and per-grid counts are column sums.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from pydantic import BaseModel, ConfigDict, Field

from commgov.sim.engine import Model

SERIES = ("open_cases", "resolved", "escalated", "volunteers")


class ReferenceParams(BaseModel):
    """The reference model's parameters and their defaults."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    n_residents: int = Field(10_000, ge=1)
    n_grids: int = Field(87, ge=1)
    seed: int = 1
    p_report: float = Field(0.002, ge=0, le=1)
    workers_per_grid: int = Field(1, ge=0)
    worker_capacity: int = Field(3, ge=0)
    base_volunteer: float = Field(0.01, ge=0, le=1)
    incentive_gain: float = Field(0.04, ge=0, le=1)
    points_enabled: bool = True
    points_per_day: int = Field(10, ge=0)
    points_cap: int = Field(200, ge=1)
    patrol_effect: float = Field(5.0, ge=0)
    sla_days: int = Field(3, ge=0)


class ReferenceModel(Model):
    processes = ("report", "volunteer", "resolve", "escalate")

    def __init__(self, params: ReferenceParams) -> None:
        super().__init__(params.seed)
        self.params = p = params
        g = p.n_grids
        self.rows = -(-p.n_residents // g)
        self.ghosts = self.rows * g - p.n_residents  # padding cells in the last row
        self.per_grid = np.full(g, self.rows, dtype=np.int64)
        if self.ghosts:
            self.per_grid[g - self.ghosts :] -= 1
        self.points = np.zeros((self.rows, g), dtype=np.int32)
        self.volunteer_p = np.full((self.rows, g), p.base_volunteer, dtype=np.float32)
        if self.ghosts:
            self.volunteer_p[-1, g - self.ghosts :] = 0.0
        self.queue = np.zeros((g, p.sla_days + 1), dtype=np.int64)  # column a: cases of age a
        self.share = np.zeros(g, dtype=np.float32)
        self.resolved = 0
        self.escalated = 0
        self.volunteers = 0
        for name in SERIES:
            self.collector.add_reporter(name, _attribute(name))

    def _uniform(self, stream: str) -> np.ndarray:
        draws = self.rng(stream).random((self.rows, self.params.n_grids), dtype=np.float32)
        if self.ghosts:
            draws[-1, self.params.n_grids - self.ghosts :] = 2.0  # never below a probability
        return draws

    def report(self) -> None:
        p = self.params
        chance = np.maximum(p.p_report * (1.0 - p.patrol_effect * self.share), 0.0)
        reports = (self._uniform("report") < chance.astype(np.float32)).sum(axis=0)
        self.queue[:, 1:] = self.queue[:, :-1]  # everyone already queued is a day older
        self.queue[:, 0] = reports

    def volunteer(self) -> None:
        p = self.params
        went = self._uniform("volunteer") < self.volunteer_p
        per_grid = went.sum(axis=0)
        self.volunteers = int(per_grid.sum())
        self.share = (per_grid / self.per_grid).astype(np.float32)
        if p.points_enabled and self.volunteers:
            flat = np.flatnonzero(went)
            points = self.points.reshape(-1)
            points[flat] += p.points_per_day
            capped = np.minimum(points[flat], p.points_cap).astype(np.float32)
            self.volunteer_p.reshape(-1)[flat] = (
                p.base_volunteer + p.incentive_gain * capped / p.points_cap
            )

    def resolve(self) -> None:
        """Each grid takes up to its capacity, oldest first: a cohort gets what the older
        cohorts before it (a cumulative sum over ages, oldest first) left of the capacity."""
        room = self.params.workers_per_grid * self.params.worker_capacity
        oldest_first = self.queue[:, ::-1]
        older = np.cumsum(oldest_first, axis=1) - oldest_first
        taken = np.clip(room - older, 0, oldest_first)
        self.queue -= taken[:, ::-1]
        self.resolved += int(taken.sum())

    def escalate(self) -> None:
        sla = self.params.sla_days
        self.escalated += int(self.queue[:, sla:].sum())
        self.queue[:, sla:] = 0

    @property
    def open_cases(self) -> int:
        return int(self.queue.sum())


def _attribute(name: str) -> Callable[[Model], float]:
    return lambda model: float(getattr(model, name))


def run_reference(params: ReferenceParams, days: int) -> dict[str, list[int]]:
    """Run the reference model; return its four daily series."""
    model = ReferenceModel(params).run(days)
    frame = model.collector.series()
    return {name: [int(v) for v in frame[name]] for name in SERIES}
