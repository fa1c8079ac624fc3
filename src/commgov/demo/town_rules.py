"""The demo town's own rules: Chengguan works by the 7336 method, so the demo enables that
plugin by name when it is installed, and writes every report the town's plugins offer.

The core imports no plugin: it enables one by its registered name and reaches its reports
through the ``commgov_reports`` hook (``cg.reports``). Without the plugin both steps are
skipped and the demo runs on the core's rules."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from commgov.facade import Commgov
from commgov.kernel.actors import Actor
from commgov.reports.model import Report

TOWN_PLUGIN = "yucheng7336"


def enable_town_plugin(cg: Commgov, town: str) -> str | None:
    """Switch Chengguan's own plugin on for the town; its name, or ``None`` if not installed."""
    if TOWN_PLUGIN not in cg.plugins.available:
        return None
    cg.enable_plugins(Actor.system("demo builder"), town, [TOWN_PLUGIN])
    return TOWN_PLUGIN


def write_reports(
    cg: Commgov, town: str, year: int, month: int, folder: Path, *, seed: int
) -> Iterator[tuple[Report, Path]]:
    """For each report offered for the town: a sampled month of its activity, then the report
    written as CSV and PNG in ``folder`` (yielded with the path they share, without suffix)."""
    actor = Actor.system("demo")
    for name in cg.reports.names(town):
        cg.reports.sample(actor, name, unit=town, year=year, month=month, seed=seed)
        report = cg.reports.build(actor, name, unit=town, year=year, month=month)
        out = folder / f"chengguan-{re.sub(r'[^a-z0-9]+', '-', name)}-{year}-{month:02d}"
        report.to_csv(out.with_suffix(".csv"))
        report.plot(out.with_suffix(".png"))
        yield report, out
