"""The ``commgov`` command: db, import, grids, plugins, demo, keygen, and the daily work
(case, points, timebank, staff, resident); sim when the simulation extra is installed."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table
from rich.tree import Tree

from commgov.cli.cases import app as case_app
from commgov.cli.common import (
    ActorOption,
    DbOption,
    console,
    operator,
    store,
)
from commgov.cli.imports import import_file
from commgov.cli.ledger import points_app, timebank_app
from commgov.cli.people import resident_app, staff_app
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
app.command("import")(import_file)
app.add_typer(case_app, name="case")
app.add_typer(points_app, name="points")
app.add_typer(timebank_app, name="timebank")
app.add_typer(staff_app, name="staff")
app.add_typer(resident_app, name="resident")


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
