"""``commgov demo``: build the Chengguan demo town and print what is in it."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from rich.table import Table

from commgov.cli.common import console, progress_bar
from commgov.demo.chengguan import TownPlan, build_chengguan, summary_rows
from commgov.demo.month import rates_rows, simulate_month
from commgov.demo.season import run_season
from commgov.demo.town_rules import enable_town_plugin, write_reports
from commgov.facade import open_store


def run_demo(db: Path, *, residents: int, seed: int) -> None:
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
        console.print(f"Building 城关镇 Chengguan town into {db} (seed {seed}) …")
        with progress_bar() as update:
            built = build_chengguan(cg, plan, progress=update)
        table = Table(title="Chengguan town (城关镇): communities", show_footer=True)
        rows = summary_rows(cg, built["communities"])
        columns = list(rows[0])
        for column in columns:
            total = "" if column in ("community", "grids") else str(sum(r[column] for r in rows))
            table.add_column(
                column, footer="total" if column == "community" else total, justify="right"
            )
        for row in rows:
            table.add_row(*(str(row[c]) for c in columns))
        console.print(table)
        console.print(
            f"{len(built['grids'])} comprehensive + {built['dedicated_grids']} dedicated grids, "
            f"{built['households']} households, "
            f"{built['residents']} residents in {time.perf_counter() - started:.1f} s"
        )
        plugin = enable_town_plugin(cg, built["town"])
        rules = f"plugin:{plugin}" if plugin else "default"
        console.print(
            "Simulating a month of cases (June 2025) and storing them through the case engine"
            f" ({f'the rules of plugin {plugin}' if plugin else 'core rules'}) …"
        )
        month = simulate_month(cg, built["town"], seed=seed, rules=rules)
        console.print(
            _percent_table(
                "The three rates (接诉即办) per community, June 2025", rates_rows(cg, built["town"])
            )
        )
        for report, out in write_reports(cg, built["town"], 2025, 6, db.parent, seed=seed):
            console.print(report.table())
            console.print(f"{report.title} written to {out}.csv and {out}.png")
        console.print(
            "A season of points (积分) and the time bank (时间银行), Oct 2024 – Mar 2025 …"
        )
        season = run_season(cg, built["town"], seed=seed)
        ledger = Table(
            "figure", "value", title="Points and time bank, after the expiry run of 1 Jan 2026"
        )
        for key, value in season.items():
            ledger.add_row(key, "yes" if key == "books balance" and value else f"{value:,}")
        console.print(ledger)
        summary = month.summary()
        console.print(
            f"Simulated June: {summary['reported']:.0f} cases, "
            f"{summary['volunteers_per_day']:.0f} volunteers a day; "
            f"the whole demo took {time.perf_counter() - started:.1f} s"
        )


def _percent_table(title: str, rows: list[dict[str, Any]]) -> Table:
    table = Table(title=title)
    for column in rows[0] if rows else ():
        table.add_column(column, justify="right")
    for row in rows:
        table.add_row(*(_cell(v) for v in row.values()))
    return table


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.1%}"
    return "—" if value is None else str(value)
