"""``commgov staff`` and ``commgov resident``: people's life events from the command line."""

from __future__ import annotations

import typer

staff_app = typer.Typer(help="Staff (工作人员): list, deactivate, reassign.", no_args_is_help=True)
resident_app = typer.Typer(
    help="Residents (居民): move out, move house, merge, history.", no_args_is_help=True
)
