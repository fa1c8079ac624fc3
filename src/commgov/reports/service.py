"""Reports town plugins offer: which apply to a unit, building one, sampling activity for one;
the console pages they add and the unit maps they draw."""

from __future__ import annotations

from typing import Any

from commgov.errors import PluginError, ValidationError
from commgov.kernel.access import READ, WRITE
from commgov.kernel.actors import Actor
from commgov.kernel.calls import expect, registry
from commgov.kernel.context import Context
from commgov.people.model.units import unit_target
from commgov.people.service.grids import load_unit
from commgov.reports.calls import PAGES_HOOK, console_pages, page_hooks, reports
from commgov.reports.model import ConsolePage, PageContent, Report, ReportPeriod, ReportSpec

MAP_HOOK = "commgov_unit_map"


class ReportService:
    """``cg.reports``: the monthly reports the plugins enabled on a unit offer."""

    def __init__(self, ctx: Context, store: object) -> None:
        self._ctx = ctx
        self._store = store  # handed to the plugin's report code, which uses the public API

    def names(self, unit: str) -> dict[str, str]:
        """The reports offered for ``unit`` (a code), ``{name: label}``."""
        return {name: spec.label for name, spec in self._specs(unit).items()}

    def build(self, actor: Actor, name: str, *, unit: str, year: int, month: int) -> Report:
        """The report ``name`` for ``unit`` and the month; the actor must be able to read there."""
        spec = self._spec(actor, name, unit, READ)
        return spec.build(self._store, actor, ReportPeriod(unit, year, _month(month)))

    def sample(
        self, actor: Actor, name: str, *, unit: str, year: int, month: int, seed: int = 1
    ) -> int:
        """Write a plausible month of the activity report ``name`` counts (for demos and
        tests); the number of records written, 0 when the report has no sampler."""
        spec = self._spec(actor, name, unit, WRITE)
        if spec.sample is None:
            return 0
        return spec.sample(self._store, actor, ReportPeriod(unit, year, _month(month)), seed)

    def pages(self, unit: str | None = None) -> dict[str, str]:
        """The console pages offered for ``unit`` (a code) by the plugins that apply there,
        ``{name: label}``; with no unit, those every available plugin offers somewhere."""
        if unit is None:
            found = console_pages(registry(self._ctx.plugins, PAGES_HOOK))
        else:
            found = self._pages(unit)
        return {name: page.label for name, page in found.items()}

    def page(self, actor: Actor, name: str, *, unit: str, year: int, month: int) -> PageContent:
        """The console page ``name`` for ``unit`` and the month; the actor must be able to read
        there, and a plugin that offers the page must apply to the unit."""
        with self._ctx.uow(readonly=True) as uow:
            top = load_unit(uow, unit)
            self._ctx.authorize(actor, READ, unit_target(top))
        found = page_hooks(self._ctx.plugins, top.path)
        if name not in found:
            known = ", ".join(sorted(found)) or "none: enable a plugin that offers one"
            raise ValidationError("name", name, f"no such page for {unit}; offered: {known}")
        content = found[name].build(self._store, actor, ReportPeriod(unit, year, _month(month)))
        return expect(content, PageContent, f"{PAGES_HOOK} ({name}) build")

    def unit_map(self, actor: Actor, unit: str) -> dict[str, Any] | None:
        """The map of ``unit`` as GeoJSON from the first plugin that applies there and draws
        one (``commgov_unit_map``), or ``None``; the actor must be able to read the unit."""
        with self._ctx.uow(readonly=True) as uow:
            top = load_unit(uow, unit)
            self._ctx.authorize(actor, READ, unit_target(top))
        answer = self._ctx.plugins.rules(top.path).commgov_unit_map(
            store=self._store, actor=actor, unit=top.code
        )
        if answer is None:
            return None
        found: dict[str, Any] = expect(answer, dict, MAP_HOOK)
        if found.get("type") != "FeatureCollection":
            raise PluginError(f"{MAP_HOOK} returned {found.get('type')!r}, not a FeatureCollection")
        return found

    def _pages(self, unit: str) -> dict[str, ConsolePage]:
        with self._ctx.uow(readonly=True) as uow:
            path = load_unit(uow, unit).path
        return page_hooks(self._ctx.plugins, path)

    def _specs(self, unit: str) -> dict[str, ReportSpec]:
        with self._ctx.uow(readonly=True) as uow:
            path = load_unit(uow, unit).path
        return reports(self._ctx.plugins, path)

    def _spec(self, actor: Actor, name: str, unit: str, action: str) -> ReportSpec:
        with self._ctx.uow(readonly=True) as uow:
            top = load_unit(uow, unit)
            self._ctx.authorize(actor, action, unit_target(top))
        found = reports(self._ctx.plugins, top.path)
        if name not in found:
            known = ", ".join(sorted(found)) or "none: enable a plugin that offers one"
            raise ValidationError("name", name, f"no such report for {unit}; offered: {known}")
        return found[name]


def _month(month: int) -> int:
    if not 1 <= month <= 12:
        raise ValidationError("month", month, "a month from 1 to 12")
    return month
