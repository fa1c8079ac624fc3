"""Simulations run with a town plugin's rules: ``rules="plugin:<name>"``."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest

import commgov
from commgov.capabilities import HOOKS
from commgov.cases.model.categories import CategorySpec
from commgov.errors import ValidationError
from commgov.kernel.host import PluginHost
from commgov.sim import RuleParams, Scenario, simulate
from commgov.sim.categories import CATEGORY_NAMES, COMMUNITY, GRID, LEVELS, TOWN
from commgov.sim.plugin_rules import PluginRules
from commgov.sim.registry import make_rules


class CommunityTown:
    """Disputes to the community, fire to the town, 7 points an hour, a 5-day deadline."""

    commgov_plugin_name = "community_town"

    @commgov.hookimpl
    def commgov_case_triage(
        self, case: commgov.CaseInfo, category: CategorySpec | None
    ) -> commgov.Triage | None:
        if (case.category or "").startswith("dispute"):
            return commgov.Triage(owner_level="community")
        if case.category == "safety.fire":
            return commgov.Triage(owner_level="county")
        return None

    @commgov.hookimpl
    def commgov_case_deadlines(
        self, category: str | None, severity: str, owner_level: str
    ) -> commgov.Deadlines | None:
        if owner_level == "community":
            return commgov.Deadlines(dt.timedelta(hours=2), dt.timedelta(days=4, hours=1))
        return None

    @commgov.hookimpl
    def commgov_points_table(self) -> dict[str, commgov.PointsRule]:
        return {
            "volunteer": commgov.PointsRule(7, per="hour", cap_per_day=100),
            "true_report": commgov.PointsRule(3),
        }


def rules_of(plugin: object, **params: object) -> PluginRules:
    host = PluginHost(HOOKS, [plugin], discover_installed=False)
    return PluginRules(RuleParams(rules="plugin:community_town", **params), "community_town", host)


def test_triage_deadlines_and_points_come_from_the_plugin() -> None:
    rules = rules_of(CommunityTown(), hours_per_service=3)
    index = {code: i for i, code in enumerate(CATEGORY_NAMES)}
    assert rules.levels[index["dispute.neighbour"]] == COMMUNITY
    assert rules.levels[index["safety.fire"]] == TOWN  # county work counts as the town's
    assert rules.levels[index["environment"]] == GRID  # the core default answers after
    days = rules.deadline_days(
        np.array([COMMUNITY, GRID]), np.array([index["dispute.family"], index["environment"]])
    )
    assert days.tolist() == [5, 7]  # 4 days 1 hour rounds up; the core's normal is 7 days
    assert rules.deadline_by_level[LEVELS.index("community")] == 5
    assert rules.points_for("volunteer_day") == 21 and rules.points_for("true_report") == 3


def test_a_daily_cap_limits_a_volunteering_day() -> None:
    assert rules_of(CommunityTown(), hours_per_service=20).points_for("volunteer_day") == 100


def test_an_unknown_plugin_is_a_validation_error_on_rules() -> None:
    with pytest.raises(ValidationError) as caught:
        make_rules(RuleParams(rules="plugin:no_such_town"))
    assert caught.value.field == "rules" and "no_such_town" in str(caught.value)


@pytest.mark.parametrize("plugin", ["yucheng7336", "xinhe"])
def test_an_installed_town_plugin_runs_reproducibly(plugin: str) -> None:
    scenario = Scenario(days=20, town={"residents": 3000, "grids": 12, "communities": 3})
    scenario = scenario.with_values({"rules.rules": f"plugin:{plugin}", "seed": 4})
    first, second = simulate(scenario), simulate(scenario)
    assert first.series.equals(second.series)
    assert first.summary() == second.summary()
