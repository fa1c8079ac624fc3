"""``commgov import``: households and residents from a CSV or XLSX file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

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
