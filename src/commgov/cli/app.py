"""Commands: db, import, grids, plugins, demo, keygen (and sim when the extra is installed)."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.tree import Tree

from commgov.cli.common import (
    ActorOption,
    DbOption,
    console,
    err_console,
    operator,
    progress_bar,
    store,
)
from commgov.errors import CommgovError, ImportRejected
from commgov.facade import Commgov
from commgov.kernel import migrate
from commgov.kernel.actors import Actor
from commgov.kernel.cipher import new_secret_key
from commgov.kernel.engine import make_engine, normalise_url

app = typer.Typer(
    help="commgov: community governance — grids, residents, cases, points.", no_args_is_help=True
)
db_app = typer.Typer(help="Database schema.", no_args_is_help=True)
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None, revision: str = "heads") -> None:
    """Apply the shipped migrations up to REVISION (default: the newest)."""
    engine = make_engine(normalise_url(db))
    try:
        migrate.upgrade(engine, revision)
        console.print(f"schema at revision {', '.join(migrate.current_revisions(engine))}")
    finally:
        engine.dispose()


@db_app.command("check")
def db_check(db: DbOption = None) -> None:
    """Exit 1 when the database schema differs from the models."""
    engine = make_engine(normalise_url(db))
    try:
        diffs = migrate.schema_differences(engine)
    finally:
        engine.dispose()
    for diff in diffs:
        console.print(str(diff))
    raise typer.Exit(1 if diffs else 0)


@app.command("import")
def import_file(
    file: Annotated[Path, typer.Argument(help="A .csv or .xlsx file of households and residents.")],
    db: DbOption = None,
    actor: ActorOption = None,
    skip_invalid: Annotated[
        bool, typer.Option(help="Import the good rows; write the bad ones out.")
    ] = False,
    rejected: Annotated[
        Path | None, typer.Option(help="Where to write rejected rows (CSV).")
    ] = None,
) -> None:
    """Import households and residents. All rows are checked first: a file with a bad row
    imports nothing unless --skip-invalid is given."""
    from commgov.people.service.import_files import read_rows, write_rejected

    with store(db) as cg:
        try:
            rows = read_rows(file)
            with progress_bar() as update:
                report = cg.imports.import_rows(
                    operator(actor),
                    rows,
                    source=file.name,
                    skip_invalid=skip_invalid,
                    progress=update,
                )
        except ImportRejected as exc:
            for error in exc.errors[:50]:
                err_console.print(f"  {error}")
            if len(exc.errors) > 50:
                err_console.print(f"  … and {len(exc.errors) - 50} more")
            err_console.print(
                f"[red]nothing imported:[/red] {len(exc.errors)} bad cell(s) in {file.name}"
            )
            raise typer.Exit(1) from None
        except CommgovError as exc:
            err_console.print(f"[red]error:[/red] {exc}")
            raise typer.Exit(1) from None
        console.print(f"imported {report.households} households, {report.residents} residents")
        if report.rejected_rows:
            out = rejected or file.with_name(file.stem + ".rejected.csv")
            try:
                write_rejected(out, report.rejected_rows, report.rejected)
            except OSError as exc:
                err_console.print(f"[red]error:[/red] rejected rows not written to {out}: {exc}")
                raise typer.Exit(1) from None
            console.print(f"rejected {len(report.rejected_rows)} row(s), written to {out}")


@app.command("grids")
def grids(
    db: DbOption = None,
    actor: ActorOption = None,
    root: Annotated[str | None, typer.Option(help="Start from this unit code.")] = None,
    depth: Annotated[int, typer.Option(help="Levels to show below the root.")] = 3,
) -> None:
    """The unit tree with household and resident counts."""
    with store(db) as cg:
        viewer = operator(actor)
        roots = [cg.grids.get(root)] if root else cg.grids.roots()
        if not roots:
            console.print("no units yet")
            return
        for top in roots:
            tree = Tree(_label(cg, viewer, top.code, top.name, top.kind))
            _grow(cg, viewer, tree, top.code, depth)
            console.print(tree)


def _label(cg: Commgov, viewer: Actor, code: str, name: str, kind: str) -> str:
    counts = cg.grids.counts(viewer, code)
    people = f"{counts['households']} households, {counts['residents']} residents"
    return f"[bold]{name}[/bold] {code} ({kind}) — {people}"


def _grow(cg: Commgov, viewer: Actor, tree: Tree, code: str, depth: int) -> None:
    if depth <= 0:
        return
    for child in cg.grids.children(code):
        branch = tree.add(_label(cg, viewer, child.code, child.name, child.kind))
        _grow(cg, viewer, branch, child.code, depth - 1)


@app.command("plugins")
def plugins(db: DbOption = None) -> None:
    """The plugins available and the hooks each implements."""
    with store(db) as cg:
        table = Table("plugin", "hooks")
        for name, hooks in cg.plugins.implementations().items():
            table.add_row(name, "\n".join(hooks))
        console.print(table)


@app.command("keygen")
def keygen() -> None:
    """Print a new secret key for COMMGOV_SECRET_KEY."""
    console.print(new_secret_key())


@app.command("demo")
def demo(
    db: Annotated[
        Path, typer.Option(help="SQLite file to build the demo town in (replaced).")
    ] = Path("chengguan-demo.db"),
    residents: Annotated[int, typer.Option(help="How many synthetic residents.")] = 125_000,
    seed: Annotated[
        int, typer.Option(help="Random seed; the same seed builds the same town.")
    ] = 7336,
) -> None:
    """Build Chengguan town (城关镇) into a SQLite file and print a summary."""
    from commgov.cli.demo import run_demo

    run_demo(db, residents=residents, seed=seed)


def _mount_sim() -> None:
    try:
        sim_cli = importlib.import_module("commgov.cli.sim")
    except ImportError:  # the simulation extra (numpy, pandas …) is not installed
        return
    app.add_typer(sim_cli.app, name="sim")


_mount_sim()


def main() -> None:
    app()
