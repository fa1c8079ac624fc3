"""Options and helpers the commands share."""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

from commgov.errors import CommgovError
from commgov.facade import Commgov, open_store
from commgov.kernel.actors import Actor
from commgov.people.service.importing import Progress as ProgressFn

console = Console()
err_console = Console(stderr=True)

DbOption = Annotated[
    str | None,
    typer.Option(
        "--db", envvar="COMMGOV_DB_URL", help="Database URL or SQLite file (default ./commgov.db)."
    ),
]
ActorOption = Annotated[
    str | None,
    typer.Option("--actor", help="Who is acting, recorded in the audit log (default: your login)."),
]


def operator(name: str | None) -> Actor:
    """The operator running a command: a system actor named after them."""
    return Actor.system(name or os.environ.get("COMMGOV_ACTOR") or getpass.getuser())


@contextmanager
def store(db: str | None, *, create: bool = False) -> Iterator[Commgov]:
    """Open the store; turn commgov errors into a one-line message and exit code 1.
    ``create``: make the store when it does not exist yet (set-up commands); read and daily
    commands leave it ``False`` and fail with a line saying how to make one."""
    try:
        with open_store(db) as cg:
            yield cg
    except CommgovError as exc:
        err_console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(1) from None


@contextmanager
def progress_bar() -> Iterator[ProgressFn]:
    """A rich progress bar fed by a service's ``progress(phase, done, total)`` callback."""
    with Progress(
        TextColumn("{task.description:>9}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
        console=err_console, transient=False,
    ) as bar:  # fmt: skip
        tasks: dict[str, TaskID] = {}

        def update(phase: str, done: int, total: int) -> None:
            if phase not in tasks:
                tasks[phase] = bar.add_task(phase, total=total)
            bar.update(tasks[phase], completed=done, total=total)

        yield update
