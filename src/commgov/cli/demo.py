"""``commgov demo``: build the Chengguan demo town and print what is in it."""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.table import Table

from commgov.cli.common import console, fitted_table, progress_bar
from commgov.demo.chengguan import TownPlan, build_chengguan, summary_rows
from commgov.demo.month import rates_rows, simulate_month
from commgov.demo.season import run_season
from commgov.demo.town_rules import enable_town_plugin, write_reports
from commgov.facade import open_store

SUMMARY_HEADERS = {
    "community": "社区 community",
    "grids": "网格 grids",
    "households": "户 homes",
    "residents": "居民 people",
    "living_alone": "独居 alone",
    "empty_nest": "空巢 empty nest",
    "disability": "残疾 disabled",
    "hardship": "困难 hardship",
    "workers": "网格员 workers",
}
RATES_HEADERS = {
    "community": "社区 community",
    "cases": "案件 cases",
    "response": "响应 response",
    "resolution": "办结 resolution",
    "satisfaction": "满意 satisfaction",
}


def run_demo(db: Path, *, residents: int, seed: int) -> None:
    """Build the town into ``db`` (replacing it), then a month of cases and a season of
    points and time bank, printing a table after each step and a progress bar during it."""
    for stale in (
        db,
        db.with_name(db.name + ".key"),
        db.with_name(db.name + "-wal"),
        db.with_name(db.name + "-shm"),
    ):
        stale.unlink(missing_ok=True)
    started = time.perf_counter()
    plan = TownPlan(residents=residents, seed=seed)
    with open_store(db) as cg:
        console.print(f"Building 城关镇 Chengguan town into {db} (seed {seed}):")
        with progress_bar() as update:
            built = build_chengguan(cg, plan, progress=update)
        rows = summary_rows(cg, built["communities"])
        totals = ["total", ""] + [str(sum(r[c] for r in rows)) for c in list(SUMMARY_HEADERS)[2:]]
        console.print(
            fitted_table(
                list(SUMMARY_HEADERS.values()),
                [[str(row[c]) for c in SUMMARY_HEADERS] for row in rows],
                title="Chengguan town (城关镇): communities",
                footer=totals,
            )
        )
        console.print(
            f"{len(built['grids'])} comprehensive + {built['dedicated_grids']} dedicated grids, "
            f"{built['households']} households, "
            f"{built['residents']} residents in {time.perf_counter() - started:.1f} s"
        )
        plugin = enable_town_plugin(cg, built["town"])
        rules = f"plugin:{plugin}" if plugin else "default"
        console.print(
            "Simulating a month of cases (June 2025) and storing them through the case engine"
            f" ({f'the rules of plugin {plugin}' if plugin else 'core rules'}):"
        )
        with progress_bar() as update:
            month = simulate_month(cg, built["town"], seed=seed, rules=rules, progress=update)
        rates = rates_rows(cg, built["town"])
        console.print(
            fitted_table(
                list(RATES_HEADERS.values()),
                [[_cell(row[c]) for c in RATES_HEADERS] for row in rates],
                title="The three rates (接诉即办) per community, June 2025",
            )
        )
        console.print(
            f"Counted over the cases reported in June 2025 (days in {cg.time_zone}), as of "
            "today: the same cases and moment as a town's monthly report, so the two agree."
        )
        for report, out in write_reports(cg, built["town"], 2025, 6, db.parent, seed=seed):
            console.print(folded(report.table()))
            console.print(f"{report.title} written to {out}.csv and {out}.png")
        console.print(
            "A season of points (积分) and the time bank (时间银行), Oct 2024 – Mar 2025:"
        )
        with progress_bar() as update:
            season = run_season(cg, built["town"], seed=seed, progress=update)
        console.print(
            fitted_table(
                ["项目 figure", "数值 value"],
                [_season_row(key, value) for key, value in season.items()],
                title="Points and time bank, after the expiry run of 1 Jan 2026",
            )
        )
        summary = month.summary()
        console.print(
            f"Simulated June: {summary['reported']:.0f} cases, "
            f"{summary['volunteers_per_day']:.0f} volunteers a day; "
            f"the whole demo took {time.perf_counter() - started:.1f} s"
        )


def folded(table: Table) -> Table:
    """``table`` (a plugin's report) with every column folding instead of cutting with ``…``."""
    for column in table.columns:
        column.overflow = "fold"
    return table


def _season_row(key: str, value: int) -> Sequence[str]:
    if key == "books balance":
        return (key, "yes" if value else "no")
    return (key, f"{value:,}")


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.1%}"
    return "—" if value is None else str(value)
