"""Reports and console pages a town plugin adds: what one is and what it can do (no I/O
here, no HTML: the console draws a page's plain data itself)."""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final, Protocol

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


PAGE_NAME: Final = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")
"""What a console page's ``name`` may be: lower-case letters, digits, ``.``, ``_`` and ``-``
(it is a segment of the page's URL)."""


def _texts(_instance: object, _attribute: object, values: tuple[str, ...]) -> None:
    if not isinstance(values, tuple) or not all(isinstance(value, str) for value in values):
        raise TypeError(f"expected a tuple of text, not {values!r}")


def _cells(_instance: object, _attribute: object, rows: tuple[tuple[str, ...], ...]) -> None:
    for row in rows:
        if not isinstance(row, tuple) or not all(isinstance(cell, str) for cell in row):
            raise TypeError(f"a table row must be a tuple of text, not {row!r}")


@attrs.frozen
class PageTable:
    """A table on a console page: its ``headers`` and its ``rows``, every cell text (the
    console shows it as given, escaped), each row as long as the headers."""

    title: str
    headers: tuple[str, ...] = attrs.field(validator=_texts)
    rows: tuple[tuple[str, ...], ...] = attrs.field(default=(), validator=_cells)

    def __attrs_post_init__(self) -> None:
        for row in self.rows:
            if len(row) != len(self.headers):
                raise ValueError(f"{self.title}: row {row!r} has not {len(self.headers)} cells")


@attrs.frozen
class ChartBar:
    """One bar of a chart: its ``label``, its ``value`` (bars are scaled by it) and the text
    ``shown`` beside it (``"87.5%"``, ``"12"``)."""

    label: str
    value: float
    shown: str

    def __attrs_post_init__(self) -> None:
        if not math.isfinite(self.value):
            raise ValueError(f"bar {self.label!r}: {self.value!r} is not a finite number")


@attrs.frozen
class PageChart:
    """A horizontal bar chart on a console page: a ``title`` and its ``bars``, scaled to
    ``most`` (``None``: the largest value; ``100`` for percentages)."""

    title: str
    bars: tuple[ChartBar, ...] = ()
    most: float | None = None


@attrs.frozen
class PageContent:
    """What a console page shows, as plain data: a ``title``, ``tables`` and ``charts`` (and
    ``notes``, lines of text under the title). The console draws it with its own template and
    charts; a plugin never writes HTML."""

    title: str
    tables: tuple[PageTable, ...] = ()
    charts: tuple[PageChart, ...] = ()
    notes: tuple[str, ...] = attrs.field(default=(), validator=_texts)


PageBuild = Callable[[Any, Actor, ReportPeriod], PageContent]
"""``build(store, actor, period)``: the page for that unit and month."""


@attrs.frozen
class ConsolePage:
    """A page a plugin adds to the console: ``name`` (unique, URL-safe, e.g.
    ``yucheng7336.monthly``), ``label`` (Chinese first, then English) and how to ``build`` its
    ``PageContent`` for a unit and month."""

    name: str = attrs.field()
    label: str
    build: PageBuild

    @name.validator
    def _url_safe(self, _attribute: object, value: str) -> None:
        if not isinstance(value, str) or not PAGE_NAME.match(value):
            raise ValueError(f"console page name {value!r}: lower-case letters, digits, . _ -")
