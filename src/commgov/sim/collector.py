"""The data collector: per-day model series and per-unit tables, as pandas DataFrames.

It knows nothing of the engine: it reads a model's ``day`` and hands the model to the
reporters, so ``DataCollector[M]`` works for any model type ``M`` (``Model`` keeps one typed
for its own class)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Generic, Protocol, TypeVar

import pandas as pd


class Observed(Protocol):
    """What the collector reads of a model itself: the day it is on."""

    @property
    def day(self) -> int: ...


M = TypeVar("M", bound=Observed)


class DataCollector(Generic[M]):
    """Call ``add_reporter(name, fn)`` for a daily model value, ``add_table(name, fn)`` for a
    per-unit table (a dict of equal-length columns) collected each day."""

    def __init__(self) -> None:
        self.reporters: dict[str, Callable[[M], float]] = {}
        self.tables: dict[str, Callable[[M], dict[str, Any]]] = {}
        self._rows: list[dict[str, float]] = []
        self._table_rows: dict[str, list[dict[str, Any]]] = {}

    def add_reporter(self, name: str, reporter: Callable[[M], float]) -> None:
        self.reporters[name] = reporter

    def add_table(self, name: str, reporter: Callable[[M], dict[str, Any]]) -> None:
        self.tables[name] = reporter

    def collect(self, model: M) -> None:
        row = {"day": float(model.day)}
        row.update({name: float(fn(model)) for name, fn in self.reporters.items()})
        self._rows.append(row)
        for name, fn in self.tables.items():
            self._table_rows.setdefault(name, []).append({"day": model.day, **fn(model)})

    def series(self) -> pd.DataFrame:
        """One row per day, one column per reporter."""
        frame = pd.DataFrame(self._rows)
        if not frame.empty:
            frame["day"] = frame["day"].astype(int)
        return frame

    def table(self, name: str) -> pd.DataFrame:
        """A per-unit table: one row per unit per day."""
        parts = []
        for entry in self._table_rows.get(name, []):
            day = entry.pop("day") if "day" in entry else None
            part = pd.DataFrame(entry)
            part.insert(0, "day", day)
            parts.append(part)
            entry["day"] = day
        return pd.concat(parts, ignore_index=True) if parts else pd.DataFrame()
