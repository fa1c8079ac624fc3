"""A simulated month of cases in the demo town, written through the case engine."""

from __future__ import annotations

import datetime as dt
from typing import Any

from commgov.facade import Commgov
from commgov.kernel.actors import Actor
from commgov.people.service.importing import Progress
from commgov.sim.run import SimulationResult, simulate
from commgov.sim.scenario import Scenario
from commgov.sim.store import town_from_store, write_cases

MONTH_START = dt.date(2025, 6, 1)


def simulate_month(
    cg: Commgov,
    town: str,
    *,
    seed: int,
    days: int = 30,
    rules: str = "default",
    progress: Progress | None = None,
) -> SimulationResult:
    """Simulate ``days`` days of the town as the store holds it and store every case;
    ``rules`` names the simulation's rules (``plugin:<name>`` for a town plugin's).
    ``progress(phase, done, total)`` follows the days simulated, then the days stored."""
    report = progress or (lambda phase, done, total: None)
    scenario = Scenario(
        name="Chengguan month", town=town_from_store(cg, town), days=days, seed=seed
    ).with_values({"rules.rules": rules})
    result = simulate(
        scenario, log_cases=True, progress=lambda done, total: report("simulate", done, total)
    )
    write_cases(
        cg, result, town, start=MONTH_START,
        progress=lambda done, total: report("store", done, total),
    )  # fmt: skip
    return result


def month_window(cg: Commgov, days: int = 30) -> tuple[dt.datetime, dt.datetime]:
    """The simulated month, from its first midnight to the midnight after its last day, in
    the store's time zone (as a town's monthly report counts it)."""
    first = dt.datetime.combine(MONTH_START, dt.time(), tzinfo=cg.time_zone)
    end = dt.datetime.combine(MONTH_START + dt.timedelta(days=days), dt.time(), tzinfo=cg.time_zone)
    return first, end


def rates_rows(cg: Commgov, town: str, days: int = 30) -> list[dict[str, Any]]:
    """The three rates (接诉即办) per community for the cases reported in the month (counted
    in the store's time zone), as the store computes them now: the same call and period as
    the 7336 monthly report, so both tables agree."""
    start, end = month_window(cg, days)
    rows = []
    for rates in cg.cases.rates(Actor.system("demo"), town, by="child", start=start, end=end):
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
