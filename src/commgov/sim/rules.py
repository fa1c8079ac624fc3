"""Town rules for simulations, called once per decision batch (never per resident per day).

A ``Rules`` object answers for a whole batch at once: the day's new cases, the cases whose
deadline is being set, the day's resolutions. Subclass ``Rules`` and register it under a name
to run a town's way of working, or name an installed town plugin as ``plugin:<name>``.
"""

from __future__ import annotations

from typing import ClassVar

import numpy as np

from commgov.sim.scenario import RuleParams

GRID, COMMUNITY, TOWN = 0, 1, 2
LEVELS = ("grid", "community", "town")
# category (the case engine's codes), share of reports, owner level by default
# (小事不出网格, 大事不出社区)
CATEGORIES: tuple[tuple[str, float, int], ...] = (
    ("dispute.neighbour", 0.18, GRID),
    ("dispute.family", 0.08, GRID),
    ("dispute.property", 0.07, COMMUNITY),
    ("dispute.labour", 0.04, TOWN),
    ("safety.fire", 0.05, COMMUNITY),
    ("safety.building", 0.04, TOWN),
    ("safety.traffic", 0.04, COMMUNITY),
    ("environment", 0.22, GRID),
    ("facilities", 0.14, GRID),
    ("assistance", 0.08, GRID),
    ("order", 0.06, COMMUNITY),
)
CATEGORY_NAMES = tuple(c[0] for c in CATEGORIES)
CATEGORY_SHARES = np.array([c[1] for c in CATEGORIES]) / sum(c[1] for c in CATEGORIES)


class Rules:
    """The default rules: owner level by category, deadlines by level, points per service."""

    name: ClassVar[str] = "default"
    levels: np.ndarray = np.array([c[2] for c in CATEGORIES], dtype=np.int8)
    deadline_by_level: tuple[int, ...] = (3, 7, 15)

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
    levels: np.ndarray = np.zeros(len(CATEGORIES), dtype=np.int8)


REGISTRY: dict[str, type[Rules]] = {Rules.name: Rules, GridFirstRules.name: GridFirstRules}


def register_rules(rules: type[Rules]) -> type[Rules]:
    """Make a ``Rules`` subclass available to scenarios by its ``name`` (usable as decorator)."""
    REGISTRY[rules.name] = rules
    return rules


def make_rules(params: RuleParams) -> Rules:
    """The rules a scenario names: a registered class, or ``plugin:<name>`` for an installed
    town plugin (see ``commgov.sim.plugin_rules``)."""
    from commgov.sim.plugin_rules import plugin_rules

    from_plugin = plugin_rules(params)
    if from_plugin is not None:
        return from_plugin
    try:
        return REGISTRY[params.rules](params)
    except KeyError:
        from commgov.errors import ValidationError

        raise ValidationError(
            "rules", params.rules, f"known: {', '.join(sorted(REGISTRY))}"
        ) from None
