"""Calling the case hooks: the category registry (``categories``, cached per store by the
service) and, for one town, triage, routing, deadlines, the business clock, duplicates,
locating points and closing (``CaseRules``). Each answer is checked before it is used."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any, Final

from commgov.cases.model.case import stamp
from commgov.cases.model.categories import CategorySpec, CategoryTree
from commgov.cases.model.rules import Candidate, CaseInfo, Deadlines, Routing, Triage
from commgov.cases.model.vocab import LEVELS, SEVERITIES
from commgov.errors import PluginError
from commgov.kernel.actors import Actor
from commgov.kernel.calls import expect, merge_specs, registry
from commgov.kernel.host import PluginHost

CATEGORIES: Final = "commgov_case_categories"


def categories(plugins: PluginHost) -> CategoryTree:
    """Every case category in the store, from ``commgov_case_categories`` (a later plugin may
    replace a code), checked: dotted codes under existing parents, known levels."""
    specs = merge_specs(registry(plugins, CATEGORIES), CategorySpec, lambda s: s.code, CATEGORIES)
    return CategoryTree.build(specs.values())


class CaseRules:
    """The rule hooks as the services use them, with small caches for batches."""

    def __init__(self, plugins: PluginHost, categories: CategoryTree) -> None:
        self._plugins = plugins
        self.categories = categories
        self._deadlines: dict[tuple[str, str | None, str, str], Deadlines] = {}
        self._hooks: dict[str, Any] = {}

    def hooks(self, unit_path: str) -> Any:
        found = self._hooks.get(unit_path)
        if found is None:
            found = self._hooks[unit_path] = self._plugins.rules(unit_path)
        return found

    def locate(self, lat: float, lon: float) -> str | None:
        code = self._plugins.registry.commgov_locate(lat=lat, lon=lon)
        return None if code is None else expect(code, str, "commgov_locate")

    def duplicate(self, info: CaseInfo, recent: Callable[[], list[CaseInfo]]) -> int | None:
        found = self.hooks(info.unit_path).commgov_case_duplicate(case=info, recent=recent)
        return None if found is None else expect(found, int, "commgov_case_duplicate")

    def triage(self, info: CaseInfo, category: CategorySpec | None) -> Triage:
        answer = self.hooks(info.unit_path).commgov_case_triage(case=info, category=category)
        triage = expect(answer, Triage, "commgov_case_triage")
        if triage.owner_level not in LEVELS or triage.severity not in (None, *SEVERITIES):
            raise PluginError(f"commgov_case_triage returned {triage!r}: unknown level/severity")
        return triage

    def routing(
        self, info: CaseInfo, candidates: list[Candidate], department: str | None
    ) -> Routing | None:
        answer = self.hooks(info.unit_path).commgov_case_routing(
            case=info, candidates=candidates, department=department
        )
        return None if answer is None else expect(answer, Routing, "commgov_case_routing")

    def deadlines(
        self, unit_path: str, category: str | None, severity: str, level: str
    ) -> Deadlines:
        key = (unit_path, category, severity, level)
        found = self._deadlines.get(key)
        if found is None:
            answer = self.hooks(unit_path).commgov_case_deadlines(
                category=category, severity=severity, owner_level=level
            )
            found = expect(answer, Deadlines, "commgov_case_deadlines")
            self._deadlines[key] = found
        return found

    def allowed(
        self,
        unit_path: str,
        category: str | None,
        severity: str,
        level: str,
        resolve_within: dt.timedelta | None,
    ) -> Deadlines:
        """The rule's deadlines, with the case's own time to resolve when it has one."""
        rule = self.deadlines(unit_path, category, severity, level)
        if resolve_within is None:
            return rule
        return Deadlines(rule.respond, resolve_within)

    def due(self, unit_path: str, start: dt.datetime, duration: dt.timedelta) -> dt.datetime:
        answer = self.hooks(unit_path).commgov_business_clock(start=start, duration=duration)
        due = expect(answer, dt.datetime, "commgov_business_clock")
        if due.tzinfo is None or due <= start:
            raise PluginError(f"commgov_business_clock returned {due!r}: not after {start!r}")
        return due

    def due_times(
        self,
        unit_path: str,
        *,
        category: str | None,
        severity: str,
        level: str,
        respond_from: dt.datetime,
        resolve_from: dt.datetime,
        resolve_within: dt.timedelta | None = None,
    ) -> dict[str, str]:
        """Event data with both deadlines, each counted from its own start; a case's own
        ``resolve_within`` replaces the rule's time to resolve."""
        allowed = self.allowed(unit_path, category, severity, level, resolve_within)
        return {
            "response_due": stamp(self.due(unit_path, respond_from, allowed.respond)),
            "resolve_due": stamp(self.due(unit_path, resolve_from, allowed.resolve)),
        }

    def closed(self, info: CaseInfo, rating: int | None, actor: Actor) -> None:
        self.hooks(info.unit_path).commgov_case_closed(case=info, rating=rating, actor=actor)
