"""The ``commgov`` command line (typer + rich)."""

from commgov.cli.app import app, main

__all__ = ["app", "main"]
