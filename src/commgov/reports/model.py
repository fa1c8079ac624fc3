"""Reports a town plugin adds: what one is and what it can do (no I/O here)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any, Protocol

import attrs
from rich.table import Table

from commgov.kernel.actors import Actor


class Report(Protocol):
    """A report for one unit and period: shown as a table, written as CSV and as a chart."""

    @property
    def title(self) -> str: ...

    def table(self) -> Table: ...

    def to_csv(self, path: str | Path) -> Path: ...

    def plot(self, path: str | Path) -> Path: ...


@attrs.frozen
class ReportPeriod:
    """What a report is asked for: a unit (by code) and a month."""

    unit: str
    year: int
    month: int


Build = Callable[[Any, Actor, ReportPeriod], Report]
"""``build(store, actor, period)``: the report for that unit and month."""
Sample = Callable[[Any, Actor, ReportPeriod, int], int]
"""``sample(store, actor, period, seed)``: write a plausible month of the activity the report
counts (for demos and tests); the number of records written."""


@attrs.frozen
class ReportSpec:
    """A monthly report a plugin offers: ``name`` (unique), ``label`` (Chinese first, then
    English), how to ``build`` it and, optionally, how to ``sample`` activity for it."""

    name: str
    label: str
    build: Build
    sample: Sample | None = None
