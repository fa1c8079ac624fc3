"""Simulation rules read from a town plugin: ``RuleParams(rules="plugin:<name>")``.

The plugin's case and ledger hooks are asked once, when the run starts, for every category
the simulation draws (triage, deadlines) and for the points table; the answers become the
arrays the engine uses, so a town's rules cost nothing per simulated day. Every answer goes
through the checked calls of the case engine (``CaseRules``, ``categories``) and of the ledger
(``points_table``): a plugin answering the wrong type is a ``PluginError`` naming the hook."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar, Final

import numpy as np

from commgov.capabilities import HOOKS
from commgov.cases.calls import CaseRules, categories
from commgov.cases.model.categories import CategoryTree
from commgov.cases.model.rules import CaseInfo
from commgov.errors import PluginError, ValidationError
from commgov.kernel.host import PluginHost
from commgov.ledger.calls import points_table
from commgov.ledger.model.rules import PointsRule
from commgov.sim.categories import CATEGORY_NAMES, LEVEL_INDEX, LEVELS, SEVERITY, resolve_days
from commgov.sim.plugin_calls import EVERYWHERE, for_plugin
from commgov.sim.rules import Rules
from commgov.sim.spec import RuleParams

PREFIX: Final = "plugin:"


class PluginRules(Rules):
    """Triage, deadlines and points as the named plugin decides them (core defaults after).

    ``host`` holds the plugins to choose from (by default every installed one); the category
    registry is read over all of them, as the store does."""

    name: ClassVar[str] = "plugin"

    def __init__(self, params: RuleParams, plugin: str, host: PluginHost | None = None) -> None:
        super().__init__(params)
        available = host or PluginHost(HOOKS)
        try:
            town = for_plugin(available, plugin)
        except PluginError as exc:
            raise ValidationError("rules", params.rules, str(exc)) from None
        tree = categories(available)
        rules = CaseRules(town, tree)
        self.plugin = plugin
        self.levels = np.array(
            [_triage(rules, code, tree) for code in CATEGORY_NAMES], dtype=np.int8
        )
        self.deadline_table = np.array(
            [[_days(rules, code, level) for level in LEVELS] for code in CATEGORY_NAMES],
            dtype=np.int32,
        )
        self.deadline_by_level = tuple(_days(rules, None, level) for level in LEVELS)
        self.points = _points(points_table(town, EVERYWHERE), params.hours_per_service)

    def deadline_days(self, levels: np.ndarray, categories: np.ndarray) -> np.ndarray:
        days: np.ndarray = self.deadline_table[categories, levels]
        return days

    def points_for(self, activity: str) -> int:
        return self.points.get(activity, 0)


def plugin_rules(params: RuleParams) -> PluginRules | None:
    """The plugin's rules when ``params.rules`` is ``plugin:<name>``, else ``None``."""
    if not params.rules.startswith(PREFIX):
        return None
    return PluginRules(params, params.rules.removeprefix(PREFIX))


def _triage(rules: CaseRules, code: str, tree: CategoryTree) -> int:
    """The simulated owner level of a new normal case of category ``code``."""
    case = CaseInfo(
        id=None,
        unit_code="",
        unit_path=EVERYWHERE,
        channel="resident",
        category=code,
        severity=SEVERITY,
        owner_level=LEVELS[0],
    )
    return LEVEL_INDEX[rules.triage(case, tree.by_code.get(code)).owner_level]


def _days(rules: CaseRules, code: str | None, level: str) -> int:
    """Whole days to resolve a normal case of category ``code`` at ``level``."""
    return resolve_days(rules.deadlines(EVERYWHERE, code, SEVERITY, level))


def _points(table: Mapping[str, PointsRule], hours_per_day: int) -> dict[str, int]:
    """Points per simulated occurrence: a volunteering day of ``hours_per_day`` hours (at least
    one) and a report that proved true."""
    out: dict[str, int] = {}
    volunteer = table.get("volunteer")
    if volunteer is not None:
        hours = max(1, hours_per_day) if volunteer.per == "hour" else 1
        earned = volunteer.points * hours
        if volunteer.cap_per_day is not None:
            earned = min(earned, volunteer.cap_per_day)
        out["volunteer_day"] = earned
    report = table.get("true_report")
    if report is not None:
        out["true_report"] = report.points
    return out
