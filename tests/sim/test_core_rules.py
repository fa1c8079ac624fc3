"""The simulation's categories, default levels and deadlines are the case engine's; a town
plugin's answers reach the simulation only through checked calls.

Expected values are computed from ``commgov.cases`` here (its registry, its default hooks
through ``CaseRules``), never written down, so a change in the core shows in the simulation."""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pytest

import commgov
from commgov.capabilities import HOOKS
from commgov.cases.calls import CaseRules
from commgov.cases.model.categories import DEFAULT_CATEGORIES, CategorySpec, CategoryTree
from commgov.cases.model.rules import DEFAULT_DEADLINES
from commgov.errors import PluginError, ValidationError
from commgov.kernel.host import PluginHost
from commgov.sim import RuleParams, Rules, Scenario, TownModel, simulate
from commgov.sim.categories import CATEGORY_NAMES, CATEGORY_SHARES, LEVELS, REPORT_SHARES
from commgov.sim.plugin_rules import PluginRules

SMALL = Scenario(days=30, town={"residents": 4000, "grids": 20, "communities": 4})
DAY = dt.timedelta(days=1)


def core_rules() -> tuple[CaseRules, CategoryTree]:
    """The case engine's rules with no town plugin: the core's default answers."""
    host = PluginHost(HOOKS, discover_installed=False)
    batches = host.registry.commgov_case_categories()
    tree = CategoryTree.build(spec for batch in reversed(batches) for spec in batch)
    return CaseRules(host, tree), tree


def normal_case(code: str) -> commgov.CaseInfo:
    return commgov.CaseInfo(
        id=None,
        unit_code="",
        unit_path="",
        channel="resident",
        category=code,
        severity="normal",
        owner_level="grid",
    )


def core_level(code: str) -> str:
    rules, tree = core_rules()
    return rules.triage(normal_case(code), tree.get(code)).owner_level


def core_days(code: str, level: str) -> int:
    rules, _ = core_rules()
    return math.ceil(rules.deadlines("", code, "normal", level).resolve / DAY)


# -- the categories and the defaults are the core's --------------------------------------------


def test_the_simulated_categories_are_the_core_leaf_categories() -> None:
    _, tree = core_rules()
    reported = {s.code for s in DEFAULT_CATEGORIES}  # not `service`: orders, not reports
    leaves = [
        s.code for s in tree.by_code.values() if not tree.children(s.code) and s.code in reported
    ]
    assert sorted(CATEGORY_NAMES) == sorted(leaves)
    declared = [s.code for s in DEFAULT_CATEGORIES if s.code in leaves]
    assert list(CATEGORY_NAMES) == declared  # in the order the core declares them
    # only the report mix is the simulation's own, one positive share per category
    assert set(REPORT_SHARES) == set(CATEGORY_NAMES)
    assert all(share > 0 for share in REPORT_SHARES.values())
    assert CATEGORY_SHARES.shape == (len(CATEGORY_NAMES),)
    assert CATEGORY_SHARES.sum() == pytest.approx(1.0)


def test_default_rules_give_every_category_the_cores_level_and_deadlines() -> None:
    rules = TownModel(SMALL).rules
    assert type(rules) is Rules and SMALL.rules.rules == "default"
    index = np.arange(len(CATEGORY_NAMES))
    levels = [LEVELS[int(level)] for level in rules.triage(index)]
    assert levels == [core_level(code) for code in CATEGORY_NAMES]
    assert levels == [s.level for s in DEFAULT_CATEGORIES if s.code in CATEGORY_NAMES]
    for position, code in enumerate(CATEGORY_NAMES):
        for at, level in enumerate(LEVELS):
            days = rules.deadline_days(np.array([at]), np.array([position]))
            assert int(days[0]) == core_days(code, level), (code, level)
    normal = math.ceil(DEFAULT_DEADLINES["normal"].resolve / DAY)
    assert rules.deadline_by_level == tuple(normal for _ in LEVELS)


def test_a_default_run_triages_every_case_as_the_core_would() -> None:
    result = simulate(SMALL.with_values({"rules.p_report": 0.01}), log_cases=True)
    assert result.cases is not None and len(result.cases) > 100
    first = result.cases.groupby("category")["first_level"].unique()
    assert len(first) == len(CATEGORY_NAMES)  # every category is drawn
    for category, levels in first.items():
        code = CATEGORY_NAMES[int(category)]
        assert [LEVELS[int(level)] for level in levels] == [core_level(code)], code


def test_a_plugins_category_registry_changes_the_default_triage_level() -> None:
    class EnvironmentAtCommunity:
        commgov_plugin_name = "environment_at_community"

        @commgov.hookimpl
        def commgov_case_categories(self) -> list[CategorySpec]:
            return [CategorySpec("environment", "环境卫生", "city_management", "community")]

    rules = plugin_rules(EnvironmentAtCommunity())
    levels = dict(zip(CATEGORY_NAMES, (LEVELS[int(at)] for at in rules.levels), strict=True))
    assert levels["environment"] == "community"
    assert levels["facilities"] == core_level("facilities")


# -- a plugin's answers go through checked calls -----------------------------------------------


def plugin_rules(plugin: object) -> PluginRules:
    name = commgov_name(plugin)
    host = PluginHost(HOOKS, [plugin], discover_installed=False)
    return PluginRules(RuleParams(rules=f"plugin:{name}"), name, host)


def commgov_name(plugin: object) -> str:
    return str(plugin.commgov_plugin_name)  # type: ignore[attr-defined]


def broken(hook: str, answer: Any) -> object:
    """A plugin whose ``hook`` answers ``answer``, whatever it is asked."""

    class Broken:
        commgov_plugin_name = "broken"

    def triage(case: commgov.CaseInfo, category: CategorySpec | None) -> Any:
        return answer

    def deadlines(category: str | None, severity: str, owner_level: str) -> Any:
        return answer

    def points() -> Any:
        return answer

    def categories() -> Any:
        return answer

    implementations = {
        "commgov_case_triage": triage,
        "commgov_case_deadlines": deadlines,
        "commgov_points_table": points,
        "commgov_case_categories": categories,
    }
    setattr(Broken, hook, staticmethod(commgov.hookimpl(implementations[hook])))
    return Broken()


@pytest.mark.parametrize(
    ("hook", "answer"),
    [
        ("commgov_case_triage", "community"),
        ("commgov_case_triage", {"owner_level": "community"}),
        ("commgov_case_triage", commgov.Triage(owner_level="province_hall")),
        ("commgov_case_deadlines", dt.timedelta(days=3)),
        ("commgov_case_deadlines", 3),
        ("commgov_points_table", [("volunteer", 10)]),
        ("commgov_points_table", {"volunteer": 10}),
        ("commgov_case_categories", {"environment": "community"}),
        ("commgov_case_categories", ["environment"]),
    ],
)
def test_a_wrong_answer_is_a_plugin_error_naming_the_hook(hook: str, answer: Any) -> None:
    with pytest.raises(PluginError, match=hook):
        plugin_rules(broken(hook, answer))


def test_hooks_are_asked_once_at_the_start_never_per_day() -> None:
    asked: dict[str, int] = {}

    class Counting:
        commgov_plugin_name = "counting"

        @commgov.hookimpl
        def commgov_case_triage(
            self, case: commgov.CaseInfo, category: CategorySpec | None
        ) -> commgov.Triage | None:
            asked["triage"] = asked.get("triage", 0) + 1
            return None

        @commgov.hookimpl
        def commgov_case_deadlines(
            self, category: str | None, severity: str, owner_level: str
        ) -> commgov.Deadlines | None:
            asked["deadlines"] = asked.get("deadlines", 0) + 1
            return None

    rules = plugin_rules(Counting())
    # once per category, and once per category and level (plus the level defaults)
    expected = {
        "triage": len(CATEGORY_NAMES),
        "deadlines": (len(CATEGORY_NAMES) + 1) * len(LEVELS),
    }
    assert asked == expected
    model = TownModel(SMALL.with_values({"rules.p_report": 0.01}))
    model.rules = rules
    model.run(SMALL.days)
    assert model.totals["escalated"] + model.totals["resolved"] > 0
    assert asked == expected  # a month of cases asked nothing more
    # the core answered for the plugin, so the plugin run is the default run
    assert (rules.levels == Rules(SMALL.rules).levels).all()


def test_a_plugin_that_is_not_installed_names_the_rules_field() -> None:
    host = PluginHost(HOOKS, discover_installed=False)
    with pytest.raises(ValidationError) as caught:
        PluginRules(RuleParams(rules="plugin:nowhere"), "nowhere", host)
    assert caught.value.field == "rules" and "nowhere" in str(caught.value)
