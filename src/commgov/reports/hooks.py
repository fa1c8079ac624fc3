"""Report hooks: the monthly reports a town plugin offers (a rule hook: only the plugins that
apply to the unit asked about answer; every one of them adds its reports)."""

from __future__ import annotations

from commgov.kernel.markers import hookspec
from commgov.reports.model import ReportSpec


@hookspec
def commgov_reports() -> list[ReportSpec]:  # type: ignore[empty-body]
    """Monthly reports this plugin offers for the units it is enabled on."""
