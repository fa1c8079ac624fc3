"""``commgov import`` as a clerk uses it: a town built from nothing with four files, bad rows
named, files in the encodings Excel writes, rejects files never overwritten."""

from __future__ import annotations

import csv
import os
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from commgov.cli import app

runner = CliRunner()
WIDE = {"COLUMNS": "400"}
GRID = "411425100001001"

UNITS = [
    ["代码", "名称", "类型", "上级", "网格类型", "覆盖"],
    [GRID, "东关一网格", "网格", "411425100001", "", ""],
    ["411425100001901", "一中", "网格", "411425100001", "专属", "学校"],
    ["411425100001", "东关社区", "社区", "411425100", "", ""],
    ["411425100", "城关镇", "镇", "411425", "", ""],
    ["411425", "虞城县", "县", "", "", ""],
]
DEPARTMENTS = [
    ["code", "name", "kind", "unit"],
    ["police-cg", "城关派出所", "公安", "411425100"],
]
STAFF = [
    ["name", "role", "units", "employment", "phone", "department"],
    ["张网格", "网格员", f"{GRID}；411425100001901", "专职", "13800000001", ""],
    ["李社工", "社区工作者", "411425100001", "", "", ""],
    ["王警官", "部门人员", "411425100", "", "", "police-cg"],
]
RESIDENTS = [
    ["户号", "网格编码", "地址", "姓名", "出生日期", "性别", "重点人群"],
    ["H1", GRID, "东街1号", "赵大爷", "1940-01-01", "男", "独居老人"],
    ["H2", GRID, "东街2号", "钱奶奶", "1945-05-05", "女", "空巢老人"],
    ["H2", GRID, "东街2号", "钱爷爷", "1944-04-04", "男", "空巢老人"],
]


def write(path: Path, rows: list[list[Any]], encoding: str = "utf-8") -> Path:
    with path.open("w", newline="", encoding=encoding) as fh:
        csv.writer(fh).writerows(rows)
    return path


def said(result: Result, text: str) -> bool:
    """Whether the command printed ``text``, however rich wrapped the lines."""
    return any(text in result.output.replace("\n", glue) for glue in ("", " "))


def run(*args: str) -> Result:
    return runner.invoke(app, list(args), env=WIDE)


def count(db: Path, table: str) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute(f"select count(*) from {table}").fetchone()[0])


def refused(result: Result, *says: str) -> None:
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # not a traceback
    assert "Traceback" not in result.output
    for text in says:
        assert said(result, text), result.output


@pytest.fixture
def town_files(tmp_path: Path) -> dict[str, Path]:
    return {
        "units": write(tmp_path / "units.csv", UNITS, encoding="gbk"),
        "departments": write(tmp_path / "departments.csv", DEPARTMENTS, encoding="utf-8-sig"),
        "staff": write(tmp_path / "staff.csv", STAFF),
        "residents": write(tmp_path / "residents.csv", RESIDENTS, encoding="gbk"),
    }


def test_a_town_is_built_from_nothing_with_four_imports(
    tmp_path: Path, town_files: dict[str, Path]
) -> None:
    db = tmp_path / "town.db"
    for kind in ("units", "departments", "staff", "residents"):
        result = run("import", str(town_files[kind]), "--kind", kind, "--db", str(db))
        assert result.exit_code == 0, result.output
    assert (count(db, "units"), count(db, "departments"), count(db, "staff")) == (5, 1, 3)
    assert (count(db, "households"), count(db, "residents")) == (2, 3)
    tree = run("grids", "--db", str(db))
    assert tree.exit_code == 0, tree.output
    assert said(tree, "虞城县 411425 (county) — 2 households, 3 residents")
    assert said(tree, f"东关一网格 {GRID} (grid) — 2 households, 3 residents")


def test_each_import_says_what_it_read_and_imported(
    tmp_path: Path, town_files: dict[str, Path]
) -> None:
    db = str(tmp_path / "town.db")
    units = run("import", str(town_files["units"]), "--kind", "units", "--db", db)
    assert said(units, "read units.csv as GB18030") and said(units, "imported 5 units")
    assert said(units, "import") and "5/5" in units.output  # the progress bar
    departments = run("import", str(town_files["departments"]), "--kind", "departments", "--db", db)
    assert said(departments, "UTF-8 (BOM)") and said(departments, "imported 1 departments")
    staff = run("import", str(town_files["staff"]), "--kind", "staff", "--db", db)
    assert said(staff, "imported 3 staff")
    residents = run("import", str(town_files["residents"]), "--db", db)
    assert said(residents, "imported 2 households, 3 residents")


@pytest.mark.parametrize(
    ("kind", "rows", "bad", "where"),
    [
        ("units", UNITS, (2, 2, "洲"), "row 3, column 'kind'"),
        ("departments", DEPARTMENTS, (1, 3, "411425999"), "row 2, column 'unit'"),
        ("staff", STAFF, (2, 1, "队长"), "row 3, column 'role'"),
        ("residents", RESIDENTS, (3, 4, "1944-13-04"), "row 4, column 'birth_date'"),
    ],
)
def test_a_bad_row_of_any_kind_imports_nothing_and_is_named(
    tmp_path: Path,
    town_files: dict[str, Path],
    *,
    kind: str,
    rows: list[list[Any]],
    bad: tuple[int, int, str],
    where: str,
) -> None:
    db = str(tmp_path / "town.db")
    order = ["units", "departments", "staff", "residents"]
    for before in order[: order.index(kind)]:
        assert run("import", str(town_files[before]), "--kind", before, "--db", db).exit_code == 0
    broken = [list(r) for r in rows]
    broken[bad[0]][bad[1]] = bad[2]
    source = write(tmp_path / f"bad-{kind}.csv", broken)
    table = {"units": "units", "departments": "departments", "staff": "staff"}.get(
        kind, "residents"
    )
    had = count(Path(db), table) if Path(db).exists() else 0
    result = run("import", str(source), "--kind", kind, "--db", db)
    refused(result, where, "nothing imported: 1 bad cell(s) in 1 row(s)")
    assert count(Path(db), table) == had


def test_a_bad_parent_refuses_its_children_with_skip_invalid(tmp_path: Path) -> None:
    rows = [list(r) for r in UNITS]
    rows[3][2] = "社"  # the community (row 4): both grids under it go too
    source = write(tmp_path / "units.csv", rows)
    db = tmp_path / "town.db"
    result = run("import", str(source), "--kind", "units", "--db", str(db), "--skip-invalid")
    assert result.exit_code == 0, result.output
    assert said(result, "imported 2 units") and said(result, "rejected 3 row(s), written to")
    with (tmp_path / "units.rejected.csv").open(encoding="utf-8-sig", newline="") as fh:
        written = list(csv.DictReader(fh))
    assert [r["row"] for r in written] == ["2", "3", "4"]
    assert "row 4" in written[0]["errors"] and "kind" in written[2]["errors"]


def test_a_second_run_never_overwrites_the_rejects_file(tmp_path: Path) -> None:
    db = tmp_path / "town.db"
    units = write(tmp_path / "units.csv", UNITS)
    assert run("import", str(units), "--kind", "units", "--db", str(db)).exit_code == 0
    rows = [list(r) for r in RESIDENTS]
    rows[2][5] = "?"  # row 3 refused, and with it row 4 of the same household
    source = write(tmp_path / "people.csv", rows)
    first = run("import", str(source), "--db", str(db), "--skip-invalid")
    assert first.exit_code == 0, first.output
    target = tmp_path / "people.rejected.csv"
    assert said(first, f"rejected 2 row(s) (1 households), written to {target}")
    kept = target.read_bytes()
    rows[1][0] = "H9"  # the good row again, under a new household key
    second = run("import", str(write(source, rows)), "--db", str(db), "--skip-invalid")
    assert second.exit_code == 0, second.output
    assert said(second, f"written to {tmp_path / 'people.rejected-2.csv'}")
    assert target.read_bytes() == kept
    chosen = tmp_path / "out.csv"
    chosen.write_text("mine\n", encoding="utf-8")
    third = run("import", str(source), "--db", str(db), "--skip-invalid", "--rejected", str(chosen))
    assert said(third, f"written to {tmp_path / 'out-2.csv'}")
    assert chosen.read_text(encoding="utf-8") == "mine\n"
    with (tmp_path / "people.rejected-2.csv").open(encoding="utf-8-sig", newline="") as fh:
        written = list(csv.DictReader(fh))
    assert [r["row"] for r in written] == ["3", "4"]
    assert "household" in written[1]["errors"] and "row 3" in written[1]["errors"]


def test_a_file_that_is_not_text_is_one_error_line(tmp_path: Path) -> None:
    noise = tmp_path / "units.csv"
    noise.write_bytes(b"\x80\xff" + os.urandom(2048))
    result = run("import", str(noise), "--kind", "units", "--db", str(tmp_path / "town.db"))
    refused(result, "error:", "units.csv", "neither UTF-8 nor GBK/GB18030")
    assert result.output.count("error:") == 1


def test_a_units_file_given_as_residents_names_the_column(tmp_path: Path) -> None:
    source = write(tmp_path / "units.csv", UNITS)
    result = run("import", str(source), "--db", str(tmp_path / "town.db"))
    refused(result, "error:", "unknown column of a residents file")


def test_an_unknown_kind_is_refused_by_the_option(tmp_path: Path) -> None:
    source = write(tmp_path / "units.csv", UNITS)
    result = run("import", str(source), "--kind", "wishes", "--db", str(tmp_path / "t.db"))
    assert result.exit_code == 2
    assert "Traceback" not in result.output
