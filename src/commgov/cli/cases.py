"""``commgov case``: report and act on cases, list due and overdue ones, metrics."""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Cases (案件): report, act, list, due and overdue, metrics.", no_args_is_help=True
)
