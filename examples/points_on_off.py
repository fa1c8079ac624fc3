"""Does a points scheme (积分制) bring out more volunteers and fewer cases? Points on vs off.

    python examples/points_on_off.py [RESIDENTS] [DAYS] [REPLICATIONS] [OUT_DIR]

Arguments left out are read from POINTS_RESIDENTS, POINTS_DAYS, POINTS_REPLICATIONS and
POINTS_OUT, else default to 20,000 residents, 180 days, 4 replications, the current folder.

Runs both rule sets over several replications (on local processes), prints the means with a
95% interval across replications, and writes a comparison plot of daily volunteers.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from commgov.sim import Scenario, plot_compare, sweep


def compare(
    residents: int = 20_000, days: int = 180, replications: int = 4, out: Path = Path(".")
) -> dict[bool, float]:
    scenario = Scenario(name="points on/off", days=days, town={"residents": residents})
    runs = sweep(scenario, {"rules.points_enabled": [True, False]}, replications=replications)
    last = runs[runs["day"] == days - 1]
    volunteers = runs.groupby(["rules.points_enabled", "replication"])["volunteers"].mean()
    print(f"{residents} residents, {days} days, {replications} replications each")
    print(f"{'points':>8} {'volunteers/day':>16} {'reported':>10} {'satisfaction':>13}")
    means: dict[bool, float] = {}
    for enabled in (True, False):
        per_rep = volunteers[enabled]
        half = 1.96 * per_rep.std(ddof=1) / len(per_rep) ** 0.5 if len(per_rep) > 1 else 0.0
        reported = (
            runs[runs["rules.points_enabled"] == enabled].groupby("replication")["reported"].sum()
        )
        satisfaction = last[last["rules.points_enabled"] == enabled]["satisfaction_rate"].mean()
        means[enabled] = float(per_rep.mean())
        label = "on" if enabled else "off"
        volunteering = f"{per_rep.mean():>10.1f} ± {half:<4.1f}"
        print(f"{label:>8} {volunteering} {reported.mean():>10.0f} {satisfaction:>13.3f}")
    out.mkdir(parents=True, exist_ok=True)
    chart = plot_compare(runs, "rules.points_enabled", "volunteers", out / "points_on_off.png")
    print(f"chart: {chart}")
    return means


def _setting(position: int, env: str, default: str) -> str:
    """The command-line argument at ``position``, else the environment variable, else the
    default."""
    args = sys.argv[1:]
    return args[position] if len(args) > position else os.environ.get(env, default)


if __name__ == "__main__":
    compare(
        residents=int(_setting(0, "POINTS_RESIDENTS", "20000")),
        days=int(_setting(1, "POINTS_DAYS", "180")),
        replications=int(_setting(2, "POINTS_REPLICATIONS", "4")),
        out=Path(_setting(3, "POINTS_OUT", ".")),
    )
