"""Simulation rules read from a town plugin: ``RuleParams(rules="plugin:<name>")``.

The plugin's case and ledger hooks are asked once, when the run starts, for every category
the simulation draws (triage, deadlines) and for the points table; the answers become the
arrays the engine uses, so a town's rules cost nothing per simulated day."""

from __future__ import annotations

import math
from typing import Any, ClassVar, Final

import numpy as np

from commgov.capabilities import HOOKS
from commgov.cases.model.categories import CategorySpec
from commgov.cases.model.rules import CaseInfo, Deadlines
from commgov.errors import PluginError, ValidationError
from commgov.kernel.host import PluginHost
from commgov.sim.rules import CATEGORY_NAMES, COMMUNITY, GRID, LEVELS, TOWN, Rules
from commgov.sim.scenario import RuleParams

PREFIX: Final = "plugin:"
_SIM_LEVEL: Final = {"grid": GRID, "community": COMMUNITY, "town": TOWN, "county": TOWN}
_DAY_SECONDS: Final = 86_400


class PluginRules(Rules):
    """Triage, deadlines and points as the named plugin decides them (core defaults after)."""

    name: ClassVar[str] = "plugin"

    def __init__(self, params: RuleParams, plugin: str, host: PluginHost | None = None) -> None:
        super().__init__(params)
        host = host or PluginHost(HOOKS)
        try:
            hooks = host.rules_for([plugin])
        except PluginError as exc:
            raise ValidationError("rules", params.rules, str(exc)) from None
        specs = _categories(host)
        self.plugin = plugin
        self.levels = np.array(
            [_triage(hooks, code, specs.get(code)) for code in CATEGORY_NAMES], dtype=np.int8
        )
        self.deadline_table = np.array(
            [[_days(hooks, code, level) for level in LEVELS] for code in CATEGORY_NAMES],
            dtype=np.int32,
        )
        self.deadline_by_level = tuple(_days(hooks, None, level) for level in LEVELS)
        self.points = _points(hooks.commgov_points_table(), params.hours_per_service)

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


def _categories(host: PluginHost) -> dict[str, CategorySpec]:
    found: dict[str, CategorySpec] = {}
    for batch in reversed(host.registry.commgov_case_categories()):
        found.update({spec.code: spec for spec in batch})
    return found


def _triage(hooks: Any, code: str, spec: CategorySpec | None) -> int:
    case = CaseInfo(
        id=None,
        unit_code="",
        unit_path="",
        channel="resident",
        category=code,
        severity="normal",
        owner_level="grid",
    )
    answer = hooks.commgov_case_triage(case=case, category=spec)
    return _SIM_LEVEL[answer.owner_level]


def _days(hooks: Any, code: str | None, level: str) -> int:
    answer: Deadlines = hooks.commgov_case_deadlines(
        category=code, severity="normal", owner_level=level
    )
    return max(1, math.ceil(answer.resolve.total_seconds() / _DAY_SECONDS))


def _points(table: dict[str, Any], hours_per_day: int) -> dict[str, int]:
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
