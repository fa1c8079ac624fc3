"""Running a scenario and what comes back."""

from __future__ import annotations

from collections.abc import Callable

import attrs
import pandas as pd

from commgov.sim.scenario import Scenario
from commgov.sim.town import TownModel


@attrs.frozen
class SimulationResult:
    """``series``: one row per day; ``communities``: one row per community per day."""

    scenario: Scenario
    series: pd.DataFrame
    communities: pd.DataFrame
    cases: pd.DataFrame | None = None

    def summary(self) -> dict[str, float]:
        """The last day's cumulative figures and rates, and the mean daily volunteers."""
        last = self.series.iloc[-1]
        keys = (
            "resolved", "escalated", "response_rate", "resolution_rate", "satisfaction_rate",
            "points_issued", "points_redeemed", "points_held", "hours_banked",
        )  # fmt: skip
        out = {k: float(last[k]) for k in keys}
        out["reported"] = float(self.series["reported"].sum())
        out["volunteers_per_day"] = float(self.series["volunteers"].mean())
        return out


def simulate(
    scenario: Scenario,
    *,
    log_cases: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> SimulationResult:
    """Run ``scenario`` for its horizon; the same scenario and seed give the same result.

    With ``log_cases`` the result also holds every case (one row each: grid, category, first
    owner level, day reported, day finished or -1, escalations, rating or 0), for
    ``write_cases`` to store."""
    model = TownModel(scenario, log_cases=log_cases).run(scenario.days, progress=progress)
    log = model.case_log() if log_cases else None
    cases = pd.DataFrame(log).sort_values("id", ignore_index=True) if log is not None else None
    series, communities = model.collector.series(), model.collector.table("communities")
    return SimulationResult(scenario, series, communities, cases)
