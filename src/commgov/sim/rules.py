"""Town rules for simulations, called once per decision batch (never per resident per day).

A ``Rules`` object answers for a whole batch at once: the day's new cases, the cases whose
deadline is being set, the day's resolutions. The default rules are the case engine's own
defaults (``commgov.sim.categories`` derives them); subclass ``Rules`` and register it under a
name (``commgov.sim.registry.register_rules``) to run a town's way of working, or name an
installed town plugin as ``plugin:<name>`` (``commgov.sim.plugin_rules``).
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from commgov.sim.categories import CATEGORY_NAMES, DEFAULT_DEADLINE_BY_LEVEL, DEFAULT_LEVELS
from commgov.sim.spec import RuleParams


class Rules:
    """The default rules: the core's owner level of each category (``CategorySpec.level``) and
    its deadlines for a normal case, and points per service."""

    name: ClassVar[str] = "default"
    levels: np.ndarray = DEFAULT_LEVELS
    """Owner level (0 grid, 1 community, 2 town) of each category in ``CATEGORY_NAMES``."""
    deadline_by_level: tuple[int, ...] = DEFAULT_DEADLINE_BY_LEVEL

    def __init__(self, params: RuleParams) -> None:
        self.params = params

    def triage(self, categories: np.ndarray) -> np.ndarray:
        """Owner level (0 grid, 1 community, 2 town) for each new case."""
        return np.asarray(self.levels[categories])

    def deadline_days(self, levels: np.ndarray, categories: np.ndarray) -> np.ndarray:
        """Days to resolve, for cases just assigned to ``levels``."""
        days: np.ndarray = np.asarray(self.deadline_by_level, dtype=np.int32)[levels]
        return days

    def points_for(self, activity: str) -> int:
        """Points a resident earns for one occurrence of ``activity``."""
        return {"volunteer_day": 10, "true_report": 5}.get(activity, 0)

    def satisfied_chance(self, waited_days: np.ndarray) -> np.ndarray:
        """Chance each resolved case's reporter rates it satisfied."""
        p = self.params
        return np.asarray(
            np.clip(p.base_satisfaction - p.satisfaction_decay * waited_days, 0.0, 1.0)
        )


class GridFirstRules(Rules):
    """Everything starts at the grid (小事不出网格 pushed to the limit)."""

    name: ClassVar[str] = "grid_first"
    levels: np.ndarray = np.zeros(len(CATEGORY_NAMES), dtype=np.int8)
