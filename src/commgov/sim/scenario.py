"""Scenarios: the town, the rules, the horizon and the seed, validated and serialisable, and
described in the spirit of the ODD protocol.

The fields live in ``commgov.sim.spec`` (below the rules and the town model, which take a
``ScenarioSpec``); ``Scenario`` adds ``describe()``, which needs the model above them."""

from __future__ import annotations

from commgov.sim.odd import describe
from commgov.sim.spec import RuleParams, ScenarioSpec, TownSpec

__all__ = ["RuleParams", "Scenario", "TownSpec"]


class Scenario(ScenarioSpec):
    """What a run needs. ``Scenario.from_yaml(path)``; ``scenario.to_yaml()``;
    ``scenario.with_values({"rules.points_enabled": False})``; ``scenario.describe()``."""

    def describe(self) -> str:
        """The model in the spirit of the ODD protocol (Overview, Design concepts, Details)."""
        return describe(self)
