"""Plots (matplotlib, no screen needed): one scenario's series, or two compared with bands."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from commgov.errors import ValidationError


def _require(frame: pd.DataFrame, columns: Sequence[str]) -> None:
    known = ", ".join(map(str, frame.columns))
    for column in ["day", *columns]:
        if column not in frame.columns:
            raise ValidationError("column", column, f"not in the frame ({known})")


def _pyplot() -> Any:
    """pyplot on the file-only Agg backend. Imported when a plot is drawn, not with
    ``commgov.sim``: matplotlib takes longer to import than the rest of the package, and a run
    needs no plotting."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def plot_series(
    series: pd.DataFrame, columns: Sequence[str], path: str | Path, *, title: str = ""
) -> Path:
    """One panel per column against the day; written to ``path`` (PNG, SVG … by suffix)."""
    _require(series, columns)
    plt = _pyplot()
    fig, axes = plt.subplots(
        len(columns), 1, figsize=(8, 2.4 * len(columns)), sharex=True, squeeze=False
    )
    for ax, column in zip(axes[:, 0], columns, strict=True):
        ax.plot(series["day"], series[column])
        ax.set_ylabel(column)
    axes[-1, 0].set_xlabel("day")
    fig.suptitle(title)
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return Path(path)


def plot_compare(
    runs: pd.DataFrame, by: str, column: str, path: str | Path, *, z: float = 1.96, title: str = ""
) -> Path:
    """Mean of ``column`` per day for each value of ``by`` (e.g. ``rules.points_enabled``),
    with a band of ``z`` standard errors across replications."""
    _require(runs, [by, column])
    plt = _pyplot()
    fig, ax = plt.subplots(figsize=(8, 4))
    for value, group in runs.groupby(by):
        stats = group.groupby("day")[column].agg(["mean", "std", "count"])
        half = z * stats["std"].fillna(0) / stats["count"].clip(lower=1) ** 0.5
        ax.plot(stats.index, stats["mean"], label=f"{by}={value}")
        ax.fill_between(stats.index, stats["mean"] - half, stats["mean"] + half, alpha=0.25)
    ax.set_xlabel("day")
    ax.set_ylabel(column)
    ax.legend()
    ax.set_title(title or f"{column} by {by}")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return Path(path)
