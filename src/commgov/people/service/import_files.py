"""Read household/resident rows from CSV or Excel; write rejected rows back out.

A file that cannot be read (not UTF-8, not a workbook, cut short) is a ``ValidationError`` on
the field ``file``; a row the reader cannot take apart (a cell over ``CELL_MAX`` characters,
more cells than headings) is an ``ImportRejected`` naming the row. Either way nothing is
imported and no traceback escapes."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

from commgov.errors import ImportRejected, RowError, ValidationError
from commgov.people.model.personal import mask_identity, mask_phone
from commgov.people.model.text import EXACT_DIGITS, escape_formula, unescape_formula
from commgov.people.service.importing import IMPORT_COLUMNS

CELL_MAX: Final = 131_072
"""The longest cell the CSV reader takes (the ``csv`` module's field limit)."""
NOT_UTF8: Final = "不是UTF-8编码的文本：请另存为“CSV UTF-8” (not UTF-8 text: save it as CSV UTF-8)"
CELL_TOO_LONG: Final = f"单元格超过{CELL_MAX}个字符 (a cell is longer than {CELL_MAX} characters)"
EXTRA_CELLS: Final = "单元格多于表头的列数 (more cells than the header has columns)"

HEADER_ALIASES = {
    "户号": "household",
    "户编号": "household",
    "网格编码": "unit",
    "网格": "unit",
    "地址": "address",
    "住址": "address",
    "姓名": "name",
    "身份证号": "identity_number",
    "身份证号码": "identity_number",
    "手机号": "phone",
    "电话": "phone",
    "联系电话": "phone",
    "出生日期": "birth_date",
    "性别": "sex",
    "重点人群": "care_groups",
    "特长": "skills",
    "技能": "skills",
    "标签": "tags",
    "志愿者": "is_volunteer",
    "党员": "is_party_member",
}


def normalise_header(header: Sequence[Any]) -> list[str]:
    """Map each heading (English or the usual Chinese one) to a column name, or fail naming it.
    Trailing blank headings are dropped; a column named twice is refused."""
    cells = list(header)
    while cells and (cells[-1] is None or not str(cells[-1]).strip()):
        cells.pop()
    names: list[str] = []
    for cell in cells:
        text = "" if cell is None else str(cell).strip()
        name = HEADER_ALIASES.get(text, text.lower())
        if name not in IMPORT_COLUMNS:
            raise ValidationError(
                "column", text[:40], f"unknown column; expected {', '.join(IMPORT_COLUMNS)}"
            )
        if name in names:
            raise ValidationError("column", text, f"the column {name} appears twice")
        names.append(name)
    if "name" not in names:
        raise ValidationError("column", "name", "the file has no name column")
    return names


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


def read_rows(path: str | Path) -> list[dict[str, Any]]:
    """All data rows of a ``.csv`` (UTF-8) or ``.xlsx`` file as dicts keyed by column name.

    ``ValidationError`` (field ``file``) when the file cannot be read, ``ImportRejected`` when
    rows cannot be taken apart; see the module."""
    source = Path(path)
    if not source.is_file():
        raise ValidationError("file", str(source), "does not exist or is not a file")
    suffix = source.suffix.lower()
    if suffix not in (".csv", ".xlsx", ".xlsm"):
        raise ValidationError("file", str(source), "expected a .csv or .xlsx file")
    try:
        return _csv_rows(source) if suffix == ".csv" else _xlsx_rows(source)
    except OSError as exc:
        raise ValidationError("file", str(source), f"cannot be read ({exc.strerror})") from None


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
        rows.append({k: _cell(v) for k, v in zip(header, values, strict=False)})
    if errors:
        raise ImportRejected(str(source), errors)
    return rows


def _filled(value: Any) -> bool:
    return value is not None and (not isinstance(value, str) or bool(value.strip()))


def _csv_rows(source: Path) -> list[dict[str, Any]]:
    read = 0  # records read, the header included: the number of the row in hand

    def numbered(reader: Iterator[list[str]]) -> Iterator[tuple[int, list[str]]]:
        nonlocal read
        for values in reader:
            read += 1
            yield read, values

    with source.open(newline="", encoding="utf-8-sig") as fh:
        records = numbered(csv.reader(fh))
        try:
            header = normalise_header(next(records, (1, []))[1])
            return _rows(source, header, records)
        except UnicodeDecodeError:
            raise ValidationError("file", str(source), NOT_UTF8) from None
        except csv.Error as exc:
            reason = CELL_TOO_LONG if "field larger" in str(exc) else f"CSV格式错误 bad CSV: {exc}"
            raise ImportRejected(str(source), [RowError(read + 1, "*", "", reason)]) from None


def _xlsx_rows(source: Path) -> list[dict[str, Any]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(source, read_only=True, data_only=True)
    except Exception as exc:  # a corrupt file fails in zipfile, XML or openpyxl: all alike
        raise _not_a_workbook(source, exc) from None
    try:
        rows = book.active.iter_rows(values_only=True)
        header = normalise_header(next(rows, ()))
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


def write_rejected(
    path: str | Path, rejected: Sequence[tuple[int, Mapping[str, Any]]], errors: Sequence[RowError]
) -> None:
    """Write rejected rows as CSV: their row number, their cells, and why they were refused.

    The identity number and phone cells are written masked: a rejects file is a report. Cells
    that would start a formula are escaped as in ``ResidentService.export_csv``."""
    reasons: dict[int, list[str]] = {}
    for error in errors:
        reasons.setdefault(error.row, []).append(f"{error.column}: {error.reason}")
    with Path(path).open("w", newline="", encoding="utf-8", errors="backslashreplace") as fh:
        writer = csv.DictWriter(fh, fieldnames=["row", *IMPORT_COLUMNS, "errors"])
        writer.writeheader()
        for number, row in rejected:
            cells = {k: row.get(k, "") for k in IMPORT_COLUMNS}
            cells["identity_number"] = mask_identity(str(cells["identity_number"] or ""))
            cells["phone"] = mask_phone(str(cells["phone"] or ""))
            cells["errors"] = "; ".join(reasons.get(number, []))
            writer.writerow(
                {"row": number}
                | {k: escape_formula(v) if isinstance(v, str) else v for k, v in cells.items()}
            )
