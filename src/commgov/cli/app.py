"""The ``commgov`` command: db, import, grids, plugins, demo, keygen, and the daily work
(case, points, timebank, staff, resident); sim when the simulation extra is installed."""

from __future__ import annotations

import importlib
from pathlib import Path
from typing import Annotated

import typer
from rich.text import Text
from rich.tree import Tree

from commgov.cli.api import apikey_app, serve
from commgov.cli.cases import app as case_app
from commgov.cli.common import (
    ActorOption,
    DbOption,
    console,
    fail,
    fitted_table,
    one_line_errors,
    operator,
    require_store,
    store,
)
from commgov.cli.events import events_app, webhook_app
from commgov.cli.imports import import_file
from commgov.cli.ledger import points_app, timebank_app
from commgov.cli.people import resident_app, staff_app
from commgov.facade import Commgov, open_store
from commgov.kernel import migrate
from commgov.kernel.actors import Actor
from commgov.kernel.cipher import new_secret_key
from commgov.kernel.engine import database_errors, make_engine, normalise_url, reach, sqlite_file

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
app.add_typer(apikey_app, name="apikey")
app.add_typer(webhook_app, name="webhook")
app.add_typer(events_app, name="events")
app.command("serve")(serve)


@db_app.command("upgrade")
def db_upgrade(db: DbOption = None, revision: str = "heads") -> None:
    """Create the store, or apply the shipped migrations up to REVISION (default: the newest).
    A new SQLite file gets its key file beside it (unless COMMGOV_SECRET_KEY is set)."""
    with one_line_errors():
        url = normalise_url(db)
        path = sqlite_file(url)
        if revision == "heads" and path is not None and not _holds_data(path):
            open_store(url).close()  # a new store: schema, key file, key check, time zone
        engine = make_engine(url)
        try:
            reach(engine)
            with database_errors(engine):
                migrate.upgrade(engine, revision)
                current = migrate.current_revisions(engine)
        finally:
            engine.dispose()
    console.print(f"schema at revision {', '.join(current)}")


def _holds_data(path: Path) -> bool:
    return path.exists() and (not path.is_file() or path.stat().st_size > 0)


@db_app.command("check")
def db_check(db: DbOption = None) -> None:
    """Exit 1 when the database schema differs from the models."""
    with one_line_errors():
        url = normalise_url(db)
        require_store(url)
        engine = make_engine(url)
        try:
            with database_errors(engine):
                diffs = migrate.schema_differences(engine)
        finally:
            engine.dispose()
    for diff in diffs:
        console.print(str(diff), soft_wrap=True)
    if diffs:
        fail(
            f"the schema differs from the models in {len(diffs)} place(s): run `commgov db upgrade`"
        )
    console.print("schema in step with the models")


@app.command("grids")
def grids(
    db: DbOption = None,
    actor: ActorOption = None,
    root: Annotated[str | None, typer.Option(help="Start from this unit code.")] = None,
    depth: Annotated[int, typer.Option(min=0, help="Levels to show below the root.")] = 3,
) -> None:
    """The unit tree with household and resident counts."""
    with store(db) as cg:
        viewer = operator(actor)
        roots = [cg.grids.get(root)] if root else cg.grids.roots()
        if not roots:
            console.print(
                "no units yet: `commgov import units.csv --kind units` builds the unit tree"
            )
            return
        for top in roots:
            tree = Tree(_label(cg, viewer, top.code, top.name, top.kind))
            _grow(cg, viewer, tree, top.code, depth)
            console.print(tree)


def _label(cg: Commgov, viewer: Actor, code: str, name: str, kind: str) -> Text:
    counts = cg.grids.counts(viewer, code)
    people = f"{counts['households']} households, {counts['residents']} residents"
    label = Text.assemble((name, "bold"), f" {code} ({kind}) — {people}")
    label.overflow = "fold"
    return label


def _grow(cg: Commgov, viewer: Actor, tree: Tree, code: str, depth: int) -> None:
    if depth <= 0:
        return
    for child in cg.grids.children(code):
        branch = tree.add(_label(cg, viewer, child.code, child.name, child.kind))
        _grow(cg, viewer, branch, child.code, depth - 1)


@app.command("plugins")
def plugins(db: DbOption = None) -> None:
    """The plugins available, where each is enabled (units and everything under them) and
    the hooks each implements."""
    with store(db) as cg:
        placed = cg.plugin_units()
        session = set(cg.plugins.session)
        hooks = cg.plugins.implementations()
        rows = []
        for name in cg.plugins.available:
            if name in session:
                where_ = "every unit (this session)"
            elif name in placed:
                units = placed[name]
                where_ = "\n".join(f"{u.code} {u.name}" for u in units) or "nowhere yet"
            else:
                where_ = "every unit (core defaults)"
            rows.append((name, where_, "\n".join(hooks.get(name, []))))
        headers = ("插件 plugin", "启用于 enabled on", "钩子 hooks")
        console.print(fitted_table(headers, rows, names=3))


@app.command("keygen")
def keygen() -> None:
    """Print a new secret key for COMMGOV_SECRET_KEY."""
    console.print(new_secret_key())


@app.command("demo")
def demo(
    db: Annotated[
        Path, typer.Option(help="SQLite file to build the demo town in (replaced).")
    ] = Path("chengguan-demo.db"),
    residents: Annotated[int, typer.Option(min=1, help="How many synthetic residents.")] = 125_000,
    seed: Annotated[
        int, typer.Option(help="Random seed; the same seed builds the same town.")
    ] = 7336,
) -> None:
    """Build Chengguan town (城关镇) into a SQLite file and print a summary."""
    from commgov.cli.demo import run_demo

    with one_line_errors():
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
