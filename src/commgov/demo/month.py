"""A simulated month of cases in the demo town, written through the case engine."""

from __future__ import annotations

import datetime as dt
from typing import Any

from commgov.facade import Commgov
from commgov.kernel.actors import Actor
from commgov.sim.run import SimulationResult, simulate
from commgov.sim.scenario import Scenario
from commgov.sim.store import town_from_store, write_cases

MONTH_START = dt.date(2025, 6, 1)


def simulate_month(
    cg: Commgov, town: str, *, seed: int, days: int = 30, rules: str = "default"
) -> SimulationResult:
    """Simulate ``days`` days of the town as the store holds it and store every case;
    ``rules`` names the simulation's rules (``plugin:<name>`` for a town plugin's)."""
    scenario = Scenario(
        name="Chengguan month", town=town_from_store(cg, town), days=days, seed=seed
    ).with_values({"rules.rules": rules})
    result = simulate(scenario, log_cases=True)
    write_cases(cg, result, town, start=MONTH_START)
    return result


def rates_rows(cg: Commgov, town: str, days: int = 30) -> list[dict[str, Any]]:
    """The three rates (接诉即办) per community, as the store computes them after the month."""
    as_of = dt.datetime.combine(MONTH_START + dt.timedelta(days=days), dt.time(), tzinfo=dt.UTC)
    rows = []
    for rates in cg.cases.rates(Actor.system("demo"), town, by="child", as_of=as_of):
        rows.append(
            {
                "community": rates.unit_name,
                "cases": rates.accepted,
                "response": rates.response_rate,
                "resolution": rates.resolution_rate,
                "satisfaction": rates.satisfaction_rate,
            }
        )
    return rows
