"""The report hook as the service uses it: merged per unit and checked."""

from __future__ import annotations

from commgov.kernel.calls import merge_specs
from commgov.kernel.host import PluginHost
from commgov.reports.model import ReportSpec


def reports(plugins: PluginHost, unit_path: str) -> dict[str, ReportSpec]:
    """The reports the plugins that apply at ``unit_path`` offer, by name."""
    answers = plugins.rules(unit_path).commgov_reports()
    return merge_specs(answers, ReportSpec, lambda spec: spec.name, "commgov_reports")
