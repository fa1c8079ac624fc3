"""Imports that must not change data silently (issue 17): numbers a spreadsheet has rounded,
files that are not what their name says, cells too long, rows wider than their header,
look-alike and NUL characters, and exports that a spreadsheet would run as formulas. Every
case is a row or file error; nothing is written."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import os
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from tests.conftest import NOW, Town, make_identity, row_counts

import commgov
from commgov.errors import ImportRejected, ValidationError
from commgov.people.service.import_files import read_rows, read_table

ROUNDED = "411425194002104888"  # as a spreadsheet number it reads back as ...104896
ROUNDED_TO = "411425194002104896"  # also checksum-valid: another person's number
HEADER = ["household", "unit", "address", "name", "identity_number", "phone", "skills"]
FULL_WIDTH = str.maketrans("0123456789", "０１２３４５６７８９")


def workbook(path: Path, *rows: list[Any], header: list[str] = HEADER) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def csv_file(
    path: Path, *rows: list[Any], header: list[str] = HEADER, encoding: str = "utf-8"
) -> Path:
    with path.open("w", newline="", encoding=encoding) as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def rejected(town: Town, rows: list[dict[str, Any]], **options: Any) -> ImportRejected:
    before = row_counts(town.cg)
    with pytest.raises(ImportRejected) as caught:
        town.cg.imports.import_rows(town.admin, rows, source="people.xlsx", **options)
    assert row_counts(town.cg) == before
    return caught.value


# -- numbers a spreadsheet has rounded ------------------------------------------------------


def test_an_identity_number_stored_as_a_number_is_refused_not_rounded(
    any_town: Town, tmp_path: Path
) -> None:
    assert ROUNDED != ROUNDED_TO and str(int(float(ROUNDED))) == ROUNDED_TO
    source = workbook(
        tmp_path / "people.xlsx",
        ["H1", any_town.grid_a1, "东街1号", "甲", int(ROUNDED), 13800000001, ""],
        ["H2", any_town.grid_a1, "东街2号", "乙", make_identity("19700101", 3), "", ""],
    )
    rows = read_rows(source)
    error = rejected(any_town, rows)
    (bad,) = error.errors
    assert (bad.row, bad.column) == (2, "identity_number")
    assert "format the column as text" in bad.reason and "文本" in bad.reason
    for text in (str(error), repr(error), str(bad)):
        assert ROUNDED[3:14] not in text and ROUNDED_TO[3:14] not in text
    assert any_town.cg.residents.find_by_identity(any_town.admin, ROUNDED_TO) is None
    report = any_town.cg.imports.import_rows(any_town.admin, rows, skip_invalid=True)
    assert (report.residents, [e.row for e in report.rejected]) == (1, [2])


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("identity_number", float(ROUNDED)),
        ("identity_number", int(ROUNDED)),
        ("phone", 8613800001234567),  # 16 digits
        ("phone", 8.613800001234567e15),
    ],
)
def test_numbers_past_15_digits_are_row_errors_through_the_api(
    any_town: Town, column: str, value: float
) -> None:
    row = {"household": "H1", "unit": any_town.grid_a1, "address": "东街1号", "name": "甲",
           "birth_date": "1980-01-01", "sex": "M", column: value}  # fmt: skip
    (bad,) = rejected(any_town, [row]).errors
    assert (bad.row, bad.column) == (2, column)
    assert "format the column as text" in bad.reason


def test_numbers_a_spreadsheet_keeps_exactly_are_read_as_their_digits(
    any_town: Town, tmp_path: Path
) -> None:
    source = workbook(
        tmp_path / "people.xlsx",
        [1, int(any_town.grid_a1), "东街1号", "甲", make_identity("19700101", 3), 13800000001, ""],
        [1, float(any_town.grid_a1), "东街1号", "乙", make_identity("19700101", 4), 13.9e9, ""],
    )
    report = any_town.cg.imports.import_rows(any_town.admin, read_rows(source))
    assert (report.households, report.residents) == (1, 2)
    found = any_town.cg.residents.find_by_phone(any_town.admin, "13900000000")
    assert [r.name for r in found] == ["乙"]


def test_a_unit_or_household_stored_as_a_long_number_is_refused(any_town: Town) -> None:
    rows = [
        {"household": 411425100001001001, "unit": any_town.grid_a1, "address": "东", "name": "甲",
         "birth_date": "1980-01-01", "sex": "M"},
        {"household": "H2", "unit": 4.11425100001001e17, "address": "东", "name": "乙",
         "birth_date": "1980-01-01", "sex": "M"},
    ]  # fmt: skip
    errors = rejected(any_town, rows).errors
    assert [(e.row, e.column) for e in errors] == [(2, "household"), (3, "unit")]
    assert all("format the column as text" in e.reason for e in errors)


# -- files that are not what they say -------------------------------------------------------


def test_a_corrupt_or_truncated_workbook_is_a_file_error(any_town: Town, tmp_path: Path) -> None:
    noise = tmp_path / "noise.xlsx"
    noise.write_bytes(os.urandom(4096))
    good = workbook(tmp_path / "good.xlsx", ["H1", any_town.grid_a1, "东", "甲", "", "", ""])
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes(good.read_bytes()[: good.stat().st_size // 2])
    not_a_book = tmp_path / "zip.xlsx"
    with zipfile.ZipFile(not_a_book, "w") as archive:
        archive.writestr("hello.txt", "not a workbook")
    damaged = tmp_path / "damaged.xlsx"
    with zipfile.ZipFile(good) as src, zipfile.ZipFile(damaged, "w") as out:
        for item in src.infolist():
            data = src.read(item)
            out.writestr(item, data[: len(data) // 2] if "worksheets/" in item.filename else data)
    for path in (noise, cut, not_a_book, damaged):
        with pytest.raises(ValidationError) as caught:
            read_rows(path)
        assert caught.value.field == "file" and path.name in str(caught.value)
        assert "xlsx" in caught.value.reason


ENCODED = [
    pytest.param(lambda text: text.encode("gbk"), "GB18030", id="gbk"),
    pytest.param(lambda text: text.encode("gb18030"), "GB18030", id="gb18030"),
    pytest.param(lambda text: "\ufeff".encode("gb18030") + text.encode("gb18030"), "GB18030",
                 id="gb18030-bom"),
    pytest.param(lambda text: text.encode("utf-8"), "UTF-8", id="utf8"),
    pytest.param(lambda text: codecs.BOM_UTF8 + text.encode("utf-8"), "UTF-8 (BOM)",
                 id="utf8-bom"),
    pytest.param(lambda text: text.replace(",", "\t").encode("utf-16"), "UTF-16",
                 id="utf16-tabs"),
    pytest.param(lambda text: codecs.BOM_UTF16_BE + text.replace(",", "\t").encode("utf-16-be"),
                 "UTF-16", id="utf16be-tabs"),
]  # fmt: skip


@pytest.mark.parametrize(("encode", "encoding"), ENCODED)
def test_a_csv_saved_by_excel_in_any_of_its_encodings_imports_with_the_right_names(
    town: Town, tmp_path: Path, encode: Any, encoding: str
) -> None:
    text = (
        "户号,网格编码,地址,姓名,出生日期,性别,重点人群\r\n"
        f"H1,{town.grid_a1},东街1号,张三,1940-01-01,男,独居老人\r\n"
        f"H2,{town.grid_a1},东街2号,李四,1950-02-02,女,空巢老人；残疾人\r\n"
    )
    source = tmp_path / "people.csv"
    source.write_bytes(encode(text))
    report = town.cg.imports.import_file(town.admin, source)
    assert (report.households, report.residents, report.encoding) == (2, 2, encoding)
    stored = town.cg.residents.under(town.admin, town.grid_a1)
    assert [(r.name, r.care_groups) for r in stored] == [
        ("张三", ("living_alone",)), ("李四", ("empty_nest", "disability")),
    ]  # fmt: skip


def test_a_gbk_csv_imports_on_both_stores(any_town: Town, tmp_path: Path) -> None:
    source = csv_file(tmp_path / "people.csv", ["H1", any_town.grid_a1, "东街1号", "张三",
                                                "1990-01-01", "男"],
                      header=["户号", "网格编码", "地址", "姓名", "出生日期", "性别"],
                      encoding="gbk")  # fmt: skip
    assert read_table(source).encoding == "GB18030"
    report = any_town.cg.imports.import_file(any_town.admin, source)
    assert (report.residents, report.encoding) == (1, "GB18030")
    (person,) = any_town.cg.residents.under(any_town.admin, any_town.grid_a1)
    assert (person.name, person.sex) == ("张三", "M")


def test_a_csv_that_is_neither_utf8_nor_gb18030_is_a_file_error(town: Town, tmp_path: Path) -> None:
    noise = tmp_path / "noise.csv"
    noise.write_bytes(b"\x80\xff" + os.urandom(4096))  # 0x80 and 0xFF start neither
    marked = tmp_path / "marked.csv"
    marked.write_bytes(codecs.BOM_UTF8 + "姓名\n张三\n".encode("gbk"))
    before = row_counts(town.cg)
    for path, says in ((noise, "neither UTF-8 nor GBK/GB18030"), (marked, "UTF-8 (BOM) mark")):
        with pytest.raises(ValidationError) as caught:
            town.cg.imports.import_file(town.admin, path)
        assert caught.value.field == "file" and path.name in str(caught.value)
        assert says in caught.value.reason
    assert row_counts(town.cg) == before


def test_a_cell_over_the_csv_limit_is_a_row_error(tmp_path: Path) -> None:
    source = csv_file(
        tmp_path / "people.csv",
        ["H1", "411425100001001", "东街1号", "甲", "", "", ""],
        ["H2", "411425100001001", "东街2号", "乙" * 131_073, "", "", ""],
    )
    with pytest.raises(ImportRejected) as caught:
        read_rows(source)
    (bad,) = caught.value.errors
    assert bad.row == 3 and "131072" in bad.reason


def test_rows_wider_than_the_header_and_repeated_columns_are_refused(tmp_path: Path) -> None:
    source = csv_file(
        tmp_path / "people.csv",
        ["H1", "411425100001001", "东街1号", "甲", "", "", ""],
        ["H2", "411425100001001", "东街2号", "2单元", "乙", "", "", "13800000001"],  # a stray ,
        ["H3", "411425100001001", "东街3号", "丙", "", "", "", "", ""],  # blank extras are fine
    )
    with pytest.raises(ImportRejected) as caught:
        read_rows(source)
    assert [(e.row, e.column) for e in caught.value.errors] == [(3, "*")]
    twice = csv_file(tmp_path / "twice.csv", ["甲", "13800000001", "13900000002"],
                     header=["name", "phone", "电话"])  # fmt: skip
    with pytest.raises(ValidationError) as raised:
        read_rows(twice)
    assert raised.value.field == "column" and "twice" in raised.value.reason


def test_row_numbers_in_errors_are_the_files_despite_blank_lines(
    any_town: Town, tmp_path: Path
) -> None:
    source = csv_file(
        tmp_path / "people.csv",
        ["H1", any_town.grid_a1, "东街1号", "甲", make_identity("19700101", 3), "", ""],
        ["", "", "", "", "", "", ""],
        [],
        ["H2", any_town.grid_a1, "东街2号", "乙", "411425", "", ""],  # row 5 of the file
        [],
    )
    (bad,) = rejected(any_town, read_rows(source)).errors
    assert (bad.row, bad.column) == (5, "identity_number")


def test_a_missing_file_is_a_file_error(tmp_path: Path) -> None:
    for path in (tmp_path / "none.csv", tmp_path):
        with pytest.raises(ValidationError) as caught:
            read_rows(path)
        assert caught.value.field == "file"


# -- cells the store cannot keep ------------------------------------------------------------


def test_cells_the_store_cannot_keep_are_row_errors(any_town: Town) -> None:
    base = {"household": "", "address": "东街1号", "birth_date": "1980-01-01", "sex": "M"}
    rows = [
        {**base, "unit": any_town.grid_a1, "name": "甲", "skills": "技" * 399},
        {**base, "unit": any_town.grid_a1, "name": "乙\x00"},
        {**base, "unit": any_town.grid_a1 + "\x00", "name": "丙"},
        {**base, "unit": any_town.grid_a1.translate(FULL_WIDTH), "name": "丁"},
        {**base, "unit": any_town.grid_a1, "name": "戊", "address": "址\ud800"},
        {**base, "unit": any_town.grid_a1, "name": "己", "birth_date": "2999-01-01"},
        {**base, "unit": any_town.grid_a1, "name": "庚", "birth_date": "1066-10-14"},
        {**base, "unit": any_town.grid_a1, "name": "辛", "tags": ["floating;x"]},
        {**base, "unit": "4" * 200, "name": "壬"},
        ["not", "a", "mapping"],
    ]
    errors = rejected(any_town, rows).errors  # type: ignore[arg-type]
    assert [(e.row, e.column) for e in errors] == [
        (2, "skills"), (3, "name"), (4, "unit"), (5, "unit"), (6, "address"), (7, "birth_date"),
        (8, "birth_date"), (9, "tags"), (10, "unit"), (11, "*"),
    ]  # fmt: skip


def test_look_alike_digits_in_personal_cells_are_folded(any_town: Town, tmp_path: Path) -> None:
    number = make_identity("19800101", 7)
    source = csv_file(
        tmp_path / "people.csv",
        ["H1", any_town.grid_a1, "东街1号", "甲", number[0] + number[1:].translate(FULL_WIDTH),
         "１３８００００５６７８", ""],
    )  # fmt: skip
    report = any_town.cg.imports.import_rows(any_town.admin, read_rows(source))
    assert report.residents == 1
    found = any_town.cg.residents.find_by_identity(any_town.admin, number)
    assert found is not None and found.phone == "13800005678"


# -- exports a spreadsheet would run ---------------------------------------------------------

FORMULAS = ['=HYPERLINK("http://x","点")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1", "'=1"]


@pytest.mark.parametrize("value", [*FORMULAS, "plain", "", "'quoted"])
def test_escape_formula_round_trips(value: str) -> None:
    from commgov.people.model.text import escape_formula, unescape_formula

    escaped = escape_formula(value)
    assert not escaped.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert unescape_formula(escaped) == value


def test_exported_cells_never_start_a_formula_and_read_back_as_they_were(
    any_town: Town, tmp_path: Path
) -> None:
    cg, admin = any_town.cg, any_town.admin
    home = cg.residents.add_household(admin, unit=any_town.grid_a1, address="东街1号")
    person = {"household_id": home.id, "birth_date": "1990-01-01", "sex": "M"}
    for index, name in enumerate(FORMULAS):
        cg.residents.add_resident(admin, name=f"{name}{index}", skills=[f"=cmd|{index}"], **person)
    exported = tmp_path / "export.csv"
    assert cg.residents.export_csv(admin, any_town.grid_a1, exported) == len(FORMULAS)
    with exported.open(encoding="utf-8", newline="") as fh:
        written = list(csv.DictReader(fh))
    for row in written:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), row
    # the exported rows read back through the importer as the values they were
    again = csv_file(
        tmp_path / "again.csv",
        *[[r["household_id"], r["unit_code"], "东街1号", r["name"], "", "", r["skills"]]
          for r in written],
    )  # fmt: skip
    rows = read_rows(again)
    stored = [r.name for r in cg.residents.under(admin, any_town.grid_a1)]
    assert stored[0] == '=HYPERLINK("http://x","点")0' and stored[4] == "=14"  # tab stripped
    assert [r["name"] for r in rows] == stored
    assert [r["skills"] for r in rows] == [f"=cmd|{i}" for i in range(len(FORMULAS))]


def test_rejected_rows_files_escape_formulas_too(any_town: Town, tmp_path: Path) -> None:
    from commgov.people.service.import_files import write_rejected

    rows = [{"household": "=1+1", "unit": "@x", "address": "-1", "name": "+1"}]
    report = any_town.cg.imports.import_rows(any_town.admin, rows, skip_invalid=True)
    out = tmp_path / "rejected.csv"
    write_rejected(out, report.rejected_rows, report.rejected)
    with out.open(encoding="utf-8", newline="") as fh:
        (row,) = list(csv.DictReader(fh))
    assert (row["household"], row["unit"], row["address"], row["name"]) == (
        "'=1+1", "'@x", "'-1", "'+1",
    )  # fmt: skip


def test_the_birth_date_bound_follows_the_store_clock_in_an_import(any_town: Town) -> None:
    row = {"household": "", "unit": any_town.grid_a1, "address": "东", "name": "甲", "sex": "F"}
    today = NOW.date()
    report = any_town.cg.imports.import_rows(any_town.admin, [row | {"birth_date": today}])
    assert report.residents == 1
    (bad,) = rejected(any_town, [row | {"birth_date": today + dt.timedelta(days=1)}]).errors
    assert bad.column == "birth_date"


def test_a_source_name_the_store_cannot_keep_is_refused(town: Town) -> None:
    with pytest.raises(commgov.ValidationError) as caught:
        town.cg.imports.import_rows(town.admin, [], source="a\x00b")
    assert caught.value.field == "source"
