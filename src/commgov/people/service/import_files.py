"""Read import rows from CSV or Excel; write rejected rows back out, never over an older file.

A CSV may be UTF-8 (with or without a BOM, Excel's "CSV UTF-8"), GB18030/GBK (what Excel saves
as plain "CSV" on Chinese Windows) or UTF-16 with a BOM (Excel's "Unicode text", tab-separated):
a byte-order mark decides first, then strict UTF-8, then GB18030. A file that is none of them,
not a workbook, or cut short is a ``ValidationError`` on the field ``file``; a row the reader
cannot take apart (a cell over ``CELL_MAX`` characters, more cells than headings) is an
``ImportRejected`` naming the row. Either way nothing is imported and no traceback escapes."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import attrs

from commgov.errors import ImportRejected, RowError, ValidationError
from commgov.people.model.import_columns import (
    REPORT_COLUMNS,
    RESIDENT_COLUMNS,
    ImportColumns,
    normalise_header,
)
from commgov.people.model.personal import mask_identity, mask_phone
from commgov.people.model.text import EXACT_DIGITS, escape_formula, unescape_formula

CELL_MAX: Final = 131_072
"""The longest cell the CSV reader takes (the ``csv`` module's field limit)."""
NOT_TEXT: Final = (
    "既不是UTF-8也不是GBK/GB18030编码的文本：请另存为“CSV UTF-8” "
    "(neither UTF-8 nor GBK/GB18030 text: save it as CSV UTF-8)"
)
CELL_TOO_LONG: Final = f"单元格超过{CELL_MAX}个字符 (a cell is longer than {CELL_MAX} characters)"
EXTRA_CELLS: Final = "单元格多于表头的列数 (more cells than the header has columns)"
TEXT_SUFFIXES: Final = (".csv", ".tsv", ".txt")
BOOK_SUFFIXES: Final = (".xlsx", ".xlsm")
_BOMS: Final = (
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8 (BOM)"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)
_MASKS: Final[Mapping[str, Callable[[str], str]]] = {
    "identity_number": mask_identity,
    "phone": mask_phone,
}


@attrs.frozen
class FileRows:
    """The data rows of a file, keyed by column, and how its text was encoded (``None`` for a
    workbook)."""

    rows: list[dict[str, Any]]
    encoding: str | None


def _cell(value: Any) -> Any:
    """A spreadsheet cell as the importer takes it: dates as ISO text, whole numbers that a
    spreadsheet keeps exactly as their digits, text with a formula escape undone. A longer
    number stays a number, which the field checks refuse (format the column as text)."""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer() and abs(value) < 10**EXACT_DIGITS:
        return str(int(value))
    if isinstance(value, str):
        return unescape_formula(value)
    return "" if value is None else value


def read_table(path: str | Path, columns: ImportColumns = RESIDENT_COLUMNS) -> FileRows:
    """All data rows of a ``.csv`` (``.tsv``, ``.txt``) or ``.xlsx`` file of the kind
    ``columns`` describes, with the encoding the text was read in.

    ``ValidationError`` (field ``file``) when the file cannot be read, ``ImportRejected`` when
    rows cannot be taken apart; see the module."""
    source = Path(path)
    if not source.is_file():
        raise ValidationError("file", str(source), "does not exist or is not a file")
    suffix = source.suffix.lower()
    if suffix not in (*TEXT_SUFFIXES, *BOOK_SUFFIXES):
        raise ValidationError("file", str(source), "expected a .csv or .xlsx file")
    try:
        if suffix in BOOK_SUFFIXES:
            return FileRows(_xlsx_rows(source, columns), None)
        text, encoding = decode(source.read_bytes(), str(source))
        return FileRows(_csv_rows(source, text, columns), encoding)
    except OSError as exc:
        raise ValidationError("file", str(source), f"cannot be read ({exc.strerror})") from None


def read_rows(path: str | Path) -> list[dict[str, Any]]:
    """The rows of a household and resident file (``read_table`` without the encoding)."""
    return read_table(path, RESIDENT_COLUMNS).rows


def decode(raw: bytes, source: str) -> tuple[str, str]:
    """The text of a file and the name of its encoding: a byte-order mark decides, else the
    bytes are read as strict UTF-8, else as GB18030 (of which GBK is a part)."""
    for mark, codec, name in _BOMS:
        if raw.startswith(mark):
            try:
                return raw.decode(codec), name
            except UnicodeDecodeError:
                reason = f"starts with a {name} mark but is not {name} text"
                raise ValidationError("file", source, reason) from None
    for codec, name in (("utf-8", "UTF-8"), ("gb18030", "GB18030")):
        try:
            return raw.decode(codec).removeprefix("\ufeff"), name
        except UnicodeDecodeError:
            continue
    raise ValidationError("file", source, NOT_TEXT)


def _rows(
    source: Path, header: list[str], lines: Iterable[tuple[int, Sequence[Any]]]
) -> list[dict[str, Any]]:
    """Rows as dicts, a blank line between rows as ``{}`` so that the importer counts rows as
    the file does (trailing blank lines are dropped); every row with a filled cell past the
    last heading is refused."""
    rows: list[dict[str, Any]] = []
    errors: list[RowError] = []
    blank = 0
    for number, values in lines:
        if not any(_filled(v) for v in values):
            blank += 1
            continue
        if any(_filled(v) for v in values[len(header) :]):
            errors.append(RowError(number, "*", "", EXTRA_CELLS))
        rows.extend({} for _ in range(blank))
        blank = 0
        rows.append(
            {k: _cell(v) for k, v in zip(header, values, strict=False) if k not in REPORT_COLUMNS}
        )
    if errors:
        raise ImportRejected(str(source), errors)
    return rows


def _filled(value: Any) -> bool:
    return value is not None and (not isinstance(value, str) or bool(value.strip()))


def _delimiter(text: str) -> str:
    """A tab when the header line has tabs and no commas (Excel's "Unicode text"), else a
    comma."""
    first = text.split("\n", 1)[0]
    return "\t" if "\t" in first and "," not in first else ","


def _csv_rows(source: Path, text: str, columns: ImportColumns) -> list[dict[str, Any]]:
    read = 0  # records read, the header included: the number of the row in hand

    def numbered(reader: Iterator[list[str]]) -> Iterator[tuple[int, list[str]]]:
        nonlocal read
        for values in reader:
            read += 1
            yield read, values

    records = numbered(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)))
    try:
        header = normalise_header(next(records, (1, []))[1], columns)
        return _rows(source, header, records)
    except csv.Error as exc:
        reason = CELL_TOO_LONG if "field larger" in str(exc) else f"CSV格式错误 bad CSV: {exc}"
        raise ImportRejected(str(source), [RowError(read + 1, "*", "", reason)]) from None


def _xlsx_rows(source: Path, columns: ImportColumns) -> list[dict[str, Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # a corrupt file fails in zipfile, XML or openpyxl: all alike
        raise _not_a_workbook(source, exc) from None
    try:
        rows = book.active.iter_rows(values_only=True)
        header = normalise_header(next(rows, ()), columns)
        return _rows(source, header, enumerate(rows, start=2))
    except (ValidationError, OSError):
        raise
    except Exception as exc:  # cut short or malformed inside: reading the sheet fails
        raise _not_a_workbook(source, exc) from None
    finally:
        book.close()


def _not_a_workbook(source: Path, exc: Exception) -> ValidationError:
    """The error for a file that is not a readable workbook; the exception's class says why
    (its text may quote the file's contents, so it stays out)."""
    reason = f"不是可读的Excel文件 (not a readable .xlsx workbook: {type(exc).__name__})"
    return ValidationError("file", str(source), reason)


def rejects_path(source: str | Path) -> Path:
    """The default rejects file of ``source``: ``<stem>.rejected.csv`` beside it."""
    path = Path(source)
    return path.with_name(f"{path.stem}.rejected.csv")


def _create_free(path: Path) -> tuple[Path, io.TextIOWrapper]:
    """Open a new file at ``path``, or at ``<stem>-2<suffix>``, ``-3`` … when it exists: an
    older file is never overwritten (the file is created exclusively, so two runs at once
    cannot take the same name)."""
    number = 1
    while True:
        candidate = path if number == 1 else path.with_name(f"{path.stem}-{number}{path.suffix}")
        try:
            handle = candidate.open(
                "x", newline="", encoding="utf-8-sig", errors="backslashreplace"
            )
        except FileExistsError:
            number += 1
            continue
        return candidate, handle


def write_rejected(
    path: str | Path,
    rejected: Sequence[tuple[int, Mapping[str, Any]]],
    errors: Sequence[RowError],
    columns: ImportColumns = RESIDENT_COLUMNS,
) -> Path:
    """Write rejected rows as CSV (UTF-8 with a BOM, so Excel shows the Chinese): their row
    number, their cells, and why they were refused. Returns the path written: ``path``, or
    ``<stem>-2.csv``, ``-3`` … when it exists already.

    Personal values (``columns.masked``: identity numbers, phones) are written masked: a
    rejects file is a report. Cells that would start a formula are escaped as in
    ``ResidentService.export_csv``."""
    reasons: dict[int, list[str]] = {}
    for error in errors:
        reasons.setdefault(error.row, []).append(f"{error.column}: {error.reason}")
    written, fh = _create_free(Path(path))
    with fh:
        writer = csv.DictWriter(fh, fieldnames=["row", *columns.names, "errors"])
        writer.writeheader()
        for number, row in sorted(rejected, key=lambda item: item[0]):
            cells = {k: row.get(k, "") for k in columns.names}
            for key in columns.masked:
                cells[key] = _MASKS[key](str(cells[key] or ""))
            cells["errors"] = "; ".join(reasons.get(number, []))
            writer.writerow(
                {"row": number}
                | {k: escape_formula(v) if isinstance(v, str) else v for k, v in cells.items()}
            )
    return written
