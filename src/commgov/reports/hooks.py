"""Report hooks: the monthly reports, the console pages and the unit maps a town plugin offers
(rule hooks: only the plugins that apply to the unit asked about answer; every one of them adds
its reports and pages, the first map given wins)."""

from __future__ import annotations

from typing import Any

from commgov.kernel.actors import Actor
from commgov.kernel.markers import hookspec
from commgov.reports.model import ConsolePage, ReportSpec


@hookspec
def commgov_reports() -> list[ReportSpec]:  # type: ignore[empty-body]
    """Monthly reports this plugin offers for the units it is enabled on."""


@hookspec
def commgov_console_pages() -> list[ConsolePage]:  # type: ignore[empty-body]
    """Pages this plugin adds to the console for the units it is enabled on."""


@hookspec(firstresult=True)
def commgov_unit_map(store: Any, actor: Actor, unit: str) -> dict[str, Any] | None:
    """The map of ``unit`` (a code) as a GeoJSON ``FeatureCollection``: ``Point`` features
    with a ``household_id`` property, ``Polygon`` features with a unit ``code`` and ``name``;
    ``None`` to pass."""
