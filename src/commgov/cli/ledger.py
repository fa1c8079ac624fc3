"""``commgov points`` and ``commgov timebank``: statements, rewards, redeeming, waiting hours."""

from __future__ import annotations

import typer

points_app = typer.Typer(
    help="Points (积分): statements, rewards, redeeming, leaderboards.", no_args_is_help=True
)
timebank_app = typer.Typer(
    help="Time bank (时间银行): statements, services waiting for confirmation.",
    no_args_is_help=True,
)
