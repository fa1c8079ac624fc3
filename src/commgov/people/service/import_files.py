"""Read household/resident rows from CSV or Excel; write rejected rows back out."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from commgov.errors import RowError, ValidationError
from commgov.people.service.importing import IMPORT_COLUMNS

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
    """Map each heading (English or the usual Chinese one) to a column name, or fail naming it."""
    names = []
    for cell in header:
        text = "" if cell is None else str(cell).strip()
        name = HEADER_ALIASES.get(text, text.lower())
        if name not in IMPORT_COLUMNS:
            raise ValidationError(
                "column", text, f"unknown column; expected {', '.join(IMPORT_COLUMNS)}"
            )
        names.append(name)
    if "name" not in names:
        raise ValidationError("column", "name", "the file has no name column")
    return names


def _cell(value: Any) -> Any:
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else value


def read_rows(path: str | Path) -> list[dict[str, Any]]:
    """All data rows of a ``.csv`` (UTF-8) or ``.xlsx`` file as dicts keyed by column name."""
    source = Path(path)
    if not source.exists():
        raise ValidationError("file", str(source), "does not exist")
    suffix = source.suffix.lower()
    if suffix == ".csv":
        return list(_csv_rows(source))
    if suffix in (".xlsx", ".xlsm"):
        return list(_xlsx_rows(source))
    raise ValidationError("file", str(source), "expected a .csv or .xlsx file")


def _csv_rows(source: Path) -> Iterator[dict[str, Any]]:
    with source.open(newline="", encoding="utf-8-sig") as fh:
        reader = csv.reader(fh)
        header = normalise_header(next(reader, []))
        for values in reader:
            if any(v.strip() for v in values):
                yield dict(zip(header, values, strict=False))


def _xlsx_rows(source: Path) -> Iterator[dict[str, Any]]:
    from openpyxl import load_workbook

    book = load_workbook(source, read_only=True, data_only=True)
    try:
        rows = book.active.iter_rows(values_only=True)
        header = normalise_header(next(rows, ()))
        for values in rows:
            if any(v not in (None, "") for v in values):
                yield {k: _cell(v) for k, v in zip(header, values, strict=False)}
    finally:
        book.close()


def write_rejected(
    path: str | Path, rejected: Sequence[tuple[int, Mapping[str, Any]]], errors: Sequence[RowError]
) -> None:
    """Write rejected rows as CSV: their row number, their cells, and why they were refused.

    The identity number and phone cells are written masked: a rejects file is a report."""
    from commgov.people.model.personal import mask_identity, mask_phone

    reasons: dict[int, list[str]] = {}
    for error in errors:
        reasons.setdefault(error.row, []).append(f"{error.column}: {error.reason}")
    with Path(path).open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=["row", *IMPORT_COLUMNS, "errors"])
        writer.writeheader()
        for number, row in rejected:
            cells = {k: row.get(k, "") for k in IMPORT_COLUMNS}
            cells["identity_number"] = mask_identity(str(cells["identity_number"] or ""))
            cells["phone"] = mask_phone(str(cells["phone"] or ""))
            writer.writerow({"row": number, **cells, "errors": "; ".join(reasons.get(number, []))})
