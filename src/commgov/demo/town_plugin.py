"""The demo's use of Chengguan's own plugin (``commgov-yucheng7336``), when it is installed.

The core does not depend on any town plugin: the demo enables it on the town, and after the
simulated month asks it for the 7336 monthly report. Without the plugin the step is skipped."""

from __future__ import annotations

import importlib
from pathlib import Path
from types import ModuleType
from typing import Any

from commgov.facade import Commgov
from commgov.kernel.actors import Actor

PLUGIN = "yucheng7336"
REPORT_MODULE = "commgov_yucheng7336.report"
WORK_MODULE = "commgov_yucheng7336.month"


def enable_7336(cg: Commgov, town: str) -> bool:
    """Switch the 7336 method on for the town; ``False`` when the plugin is not installed."""
    if PLUGIN not in cg.plugins.available:
        return False
    cg.enable_plugins(Actor.system("demo builder"), town, [PLUGIN])
    return True


def _module(name: str) -> ModuleType | None:
    try:
        return importlib.import_module(name)
    except ModuleNotFoundError:
        return None


def monthly_7336_report(
    cg: Commgov, town: str, year: int, month: int, out: Path, *, seed: int
) -> Any | None:
    """A synthetic month of the workers' 七个一 work, then the plugin's monthly report for the
    town, written as CSV and PNG beside ``out``."""
    work, reports = _module(WORK_MODULE), _module(REPORT_MODULE)
    if work is None or reports is None:
        return None
    actor = Actor.system("demo")
    work.record_month(cg, actor, town, year, month, seed=seed)
    report = reports.monthly_report(cg, actor, town, year, month)
    report.to_csv(out.with_suffix(".csv"))
    report.plot(out.with_suffix(".png"))
    return report
