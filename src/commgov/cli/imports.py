"""``commgov import``: residents, the unit tree, departments or staff from a CSV or XLSX file."""

from __future__ import annotations

from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

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
from commgov.people.service.import_files import rejects_path
from commgov.people.service.importing import ImportReport, Progress

SHOWN_ERRORS = 50


class ImportKind(StrEnum):
    """What a file holds."""

    residents = "residents"
    units = "units"
    departments = "departments"
    staff = "staff"


def _run(
    cg: Commgov,
    kind: ImportKind,
    file: Path,
    *,
    actor: str | None,
    skip_invalid: bool,
    rejected: Path,
    progress: Progress,
) -> ImportReport:
    imports = cg.imports
    call = {
        ImportKind.residents: imports.import_file,
        ImportKind.units: imports.import_units_file,
        ImportKind.departments: imports.import_departments_file,
        ImportKind.staff: imports.import_staff_file,
    }[kind]
    return call(
        operator(actor), file, skip_invalid=skip_invalid, rejected_to=rejected, progress=progress
    )


def import_file(
    file: Annotated[Path, typer.Argument(help="A .csv or .xlsx file with a header row.")],
    *,
    kind: Annotated[
        ImportKind, typer.Option("--kind", help="What the file holds.")
    ] = ImportKind.residents,
    db: DbOption = None,
    actor: ActorOption = None,
    skip_invalid: Annotated[
        bool, typer.Option(help="Import the good rows; write the bad ones out.")
    ] = False,
    rejected: Annotated[
        Path | None,
        typer.Option(help="Where to write rejected rows (default FILE.rejected.csv; never over "
                     "an existing file: -2, -3 … is added)."),
    ] = None,
) -> None:  # fmt: skip
    """Import residents (households), units (the grid tree), departments or staff. All rows
    are checked first: a file with a bad row imports nothing unless --skip-invalid is given.
    Build a town with: units, then departments, then staff, then residents."""
    with store(db, create=True) as cg:
        try:
            with progress_bar() as update:
                report = _run(
                    cg, kind, file, actor=actor, skip_invalid=skip_invalid,
                    rejected=rejected or rejects_path(file), progress=update,
                )  # fmt: skip
        except ImportRejected as exc:
            for error in exc.errors[:SHOWN_ERRORS]:
                err_console.print(f"  {error}", markup=False, highlight=False, soft_wrap=True)
            if len(exc.errors) > SHOWN_ERRORS:
                err_console.print(f"  … and {len(exc.errors) - SHOWN_ERRORS} more")
            rows = len({e.row for e in exc.errors})
            err_console.print(
                f"[red]nothing imported:[/red] {len(exc.errors)} bad cell(s) in {rows} row(s) "
                f"of {escape(file.name)}",
                soft_wrap=True,
            )
            raise typer.Exit(1) from None
        except CommgovError as exc:
            err_console.print(
                f"[red]error:[/red] {escape(str(exc))}", highlight=False, soft_wrap=True
            )
            raise typer.Exit(1) from None
    if report.encoding is not None:
        console.print(f"read {escape(file.name)} as {report.encoding}", soft_wrap=True)
    console.print(report.summary())
    if report.rejected_file is not None:
        households = (
            f" ({report.households_rejected} households)" if kind is ImportKind.residents else ""
        )
        console.print(
            f"rejected {len(report.rejected_rows)} row(s){households}, written to "
            f"{escape(str(report.rejected_file))}",
            highlight=False,
            soft_wrap=True,
        )
