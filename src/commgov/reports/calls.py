"""The report and console-page hooks as the service uses them: merged per unit and checked."""

from __future__ import annotations

from typing import Any, Final

from commgov.kernel.calls import merge_specs
from commgov.kernel.host import PluginHost
from commgov.reports.model import ConsolePage, ReportSpec

PAGES_HOOK: Final = "commgov_console_pages"


def reports(plugins: PluginHost, unit_path: str) -> dict[str, ReportSpec]:
    """The reports the plugins that apply at ``unit_path`` offer, by name."""
    answers = plugins.rules(unit_path).commgov_reports()
    return merge_specs(answers, ReportSpec, lambda spec: spec.name, "commgov_reports")


def page_hooks(plugins: PluginHost, unit_path: str) -> dict[str, ConsolePage]:
    """The console pages the plugins that apply at ``unit_path`` offer, by name."""
    return console_pages(plugins.rules(unit_path).commgov_console_pages())


def console_pages(answers: list[Any]) -> dict[str, ConsolePage]:
    """One registry of console pages from every plugin's answer, checked."""
    return merge_specs(answers, ConsolePage, lambda page: page.name, PAGES_HOOK)
