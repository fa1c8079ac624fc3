"""Options and helpers the commands share: opening a store, one-line errors, progress bars."""

from __future__ import annotations

import getpass
import os
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, NoReturn

import typer
from rich import box
from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from commgov.errors import CommgovError, ConfigurationError
from commgov.facade import Commgov, open_store
from commgov.kernel import migrate
from commgov.kernel.actors import Actor
from commgov.kernel.engine import (
    database_errors,
    make_engine,
    normalise_url,
    reach,
    sqlite_file,
    where,
)
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
StaffOption = Annotated[
    int | None, typer.Option("--staff", help="Act as this staff member (their id).")
]
HOW_TO_MAKE = (
    "`commgov db upgrade --db FILE` creates an empty store, "
    "`commgov import units.csv --kind units --db FILE` builds a town from its unit tree, "
    "`commgov demo` builds a demo town in chengguan-demo.db"
)
SQLITE_HEADER = b"SQLite format 3\x00"
MIN_NAME_WIDTH = 8


def fail(message: str) -> NoReturn:
    """Print ``error: message`` as one line on stderr and exit with code 1."""
    err_console.print(f"[red]error:[/red] {escape(message)}", soft_wrap=True, highlight=False)
    raise typer.Exit(1)


@contextmanager
def one_line_errors() -> Iterator[None]:
    """Within the block, a commgov error (or a file that cannot be read or written) ends the
    command with one ``error:`` line and exit code 1 instead of a traceback."""
    try:
        yield
    except CommgovError as exc:
        fail(str(exc))
    except OSError as exc:
        where_ = f" {exc.filename}" if exc.filename else ""
        fail(f"cannot use{where_}: {exc.strerror or exc}")


def operator(name: str | None) -> Actor:
    """The operator running a command: a system actor named after them."""
    return Actor.system(name or os.environ.get("COMMGOV_ACTOR") or getpass.getuser())


def acting(cg: Commgov, staff: int | None, actor: str | None) -> Actor:
    """Who acts: a staff member by id (``--staff``), else an operator (``--actor``)."""
    if staff is not None and actor is not None:
        fail("give --staff or --actor, not both")
    return cg.staff.actor(staff) if staff is not None else operator(actor)


@contextmanager
def store(db: str | None, *, create: bool = False) -> Iterator[Commgov]:
    """Open the store; turn commgov errors into a one-line message and exit code 1.
    ``create``: make the store when it does not exist yet (set-up commands); read and daily
    commands leave it ``False`` and fail with a line saying how to make one, creating nothing
    (no database file, no key file)."""
    with one_line_errors():
        url = normalise_url(db)
        if not create:
            require_store(url)
        cg = open_store(url)
    with cg, one_line_errors():
        yield cg


def require_store(url: str) -> None:
    """``ConfigurationError`` unless ``url`` holds a commgov store already: a SQLite file that
    exists, or a reachable database that holds commgov's schema. Creates nothing."""
    path = sqlite_file(url)
    if path is not None:
        if not path.exists():
            raise ConfigurationError(
                f"no store at {_shown(path)} (pass --db or set COMMGOV_DB_URL); "
                f"to make one: {HOW_TO_MAKE}"
            )
        if not path.is_file():
            raise ConfigurationError(f"{path} is a folder, not a store file")
        with path.open("rb") as head:
            if head.read(len(SQLITE_HEADER)) != SQLITE_HEADER:
                raise ConfigurationError(
                    f"{path} is not a commgov store (not a SQLite database file)"
                )
        return
    if url.startswith("sqlite"):
        return  # in memory: made afresh every time
    engine = make_engine(url)
    try:
        reach(engine)
        with database_errors(engine):
            revisions = migrate.current_revisions(engine)
        if not revisions:
            raise ConfigurationError(
                f"the {where(engine.url)} holds no commgov store: "
                "run `commgov db upgrade --db URL` to create its tables"
            )
    finally:
        engine.dispose()


def _shown(path: Path) -> str:
    """A relative path as the user would type it (``./commgov.db``)."""
    return str(path) if path.is_absolute() or str(path).startswith(".") else f"./{path}"


@contextmanager
def progress_bar() -> Iterator[ProgressFn]:
    """A rich progress bar on stderr fed by a ``progress(phase, done, total)`` callback: one
    bar per phase (rich draws it live on a terminal, and only its last state otherwise)."""
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


def fitted_table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    title: str | None = None,
    names: int = 1,
    footer: Sequence[str] | None = None,
    width: int | None = None,
) -> Table:
    """A table that fits the terminal without cutting a name: the first ``names`` columns hold
    text (names fold onto more lines when space is short, never ``…``); the others hold
    figures, right-aligned, as wide as their widest figure or header word (a header folds at
    its spaces: ``居民 people``). ``width``: the terminal's (default: stdout's)."""
    width = console.width if width is None else width
    table = Table(
        title=title, box=box.SIMPLE_HEAD, pad_edge=False, collapse_padding=True,
        show_footer=footer is not None,
        min_width=min(cell_len(title or "") + 2, width),  # a short table keeps its title whole
    )  # fmt: skip
    feet = list(footer) if footer is not None else [""] * len(headers)
    widths = [
        max(cell_len(c) for c in [*(str(row[i]) for row in rows), feet[i], *headers[i].split()])
        for i in range(names, len(headers))
    ]
    room = width - sum(widths) - 2 * len(headers)  # what the names get beside the figures
    fixed = room >= MIN_NAME_WIDTH * names  # else rich shares the width out evenly
    for index, header in enumerate(headers):
        if index < names:
            table.add_column(header, footer=feet[index], overflow="fold")
        else:
            table.add_column(
                header, footer=feet[index], justify="right", overflow="fold",
                width=widths[index - names] if fixed else None,
            )  # fmt: skip
    for row in rows:
        table.add_row(*(str(cell) for cell in row))
    return table
