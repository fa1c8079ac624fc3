"""The command line, run as users run it: CliRunner for most, a real process for the crash test."""

from __future__ import annotations

import csv
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import openpyxl
import pytest
from typer.testing import CliRunner, Result

import commgov
from commgov.cli import app
from commgov.demo.population import PersonFactory

runner = CliRunner()
HEADER = ["household", "unit", "address", "name", "identity_number", "phone", "care_groups"]


@pytest.fixture
def db(tmp_path: Path) -> str:
    path = tmp_path / "town.db"
    with commgov.open(path) as cg:
        admin = commgov.Actor.system("test")
        cg.grids.create(admin, code="411425", name="县", kind="county")
        cg.grids.create(admin, parent="411425", code="411425100", name="镇", kind="town")
        cg.grids.create(
            admin, parent="411425100", code="411425100001", name="社区", kind="community"
        )
        cg.grids.create(
            admin, parent="411425100001", code="411425100001001", name="网格", kind="grid"
        )
    return str(path)


def people_rows(n: int, seed: int = 3) -> list[list[str]]:
    import datetime as dt

    factory = PersonFactory(seed, "411425", dt.date(2025, 6, 30))
    rows: list[list[str]] = []
    number = 0
    while len(rows) < n:
        number += 1
        for person in factory.household(f"H{number}", "411425100001001", f"Road {number}"):
            rows.append([str(person[k]) for k in HEADER])
    return rows[:n]


def write_csv(path: Path, rows: list[list[str]]) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        writer.writerows(rows)
    return path


def resident_count(db: str) -> int:
    with sqlite3.connect(db) as conn:
        return int(conn.execute("select count(*) from residents").fetchone()[0])


def test_import_csv_all_or_nothing(db: str, tmp_path: Path) -> None:
    rows = people_rows(20)
    rows[4][4] = rows[4][4][:-1] + ("0" if rows[4][4][-1] != "0" else "1")  # bad check character
    rows[9][1] = "411425100001999"  # unknown unit
    result = runner.invoke(app, ["import", str(write_csv(tmp_path / "p.csv", rows)), "--db", db])
    assert result.exit_code == 1
    assert "row 6, column 'identity_number'" in result.output
    assert "row 11, column 'unit'" in result.output
    assert "nothing imported" in result.output
    assert resident_count(db) == 0


def test_import_skip_invalid_writes_rejected_rows_masked(db: str, tmp_path: Path) -> None:
    rows = people_rows(20)
    bad_number = rows[4][4][:-1] + ("0" if rows[4][4][-1] != "0" else "1")
    rows[4][4] = bad_number
    source = write_csv(tmp_path / "p.csv", rows)
    result = runner.invoke(app, ["import", str(source), "--db", db, "--skip-invalid"])
    assert result.exit_code == 0, result.output
    assert resident_count(db) == 19
    rejected = list(csv.DictReader((tmp_path / "p.rejected.csv").open(encoding="utf-8")))
    assert [r["row"] for r in rejected] == ["6"]
    assert "check character" in rejected[0]["errors"]
    assert bad_number not in (tmp_path / "p.rejected.csv").read_text(encoding="utf-8")
    assert rejected[0]["identity_number"].startswith("411*")


def test_import_xlsx_with_chinese_headings(db: str, tmp_path: Path) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["户号", "网格编码", "地址", "姓名", "身份证号", "手机号", "重点人群"])
    for row in people_rows(5):
        sheet.append(row)
    book.save(tmp_path / "p.xlsx")
    result = runner.invoke(app, ["import", str(tmp_path / "p.xlsx"), "--db", db])
    assert result.exit_code == 0, result.output
    assert resident_count(db) == 5


def test_killed_import_leaves_nothing_behind(db: str, tmp_path: Path) -> None:
    source = write_csv(tmp_path / "big.csv", people_rows(150_000))
    env = {**os.environ, "COLUMNS": "80"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "commgov", "import", str(source), "--db", db],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env,
    )  # fmt: skip
    wal = Path(db + "-wal")
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if wal.exists() and wal.stat().st_size > 4_000_000:  # rows are being written
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the import finished before it could be killed; use a bigger file"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert resident_count(db) == 0
    with sqlite3.connect(db) as conn:
        assert conn.execute("select count(*) from households").fetchone()[0] == 0
    # the store is usable afterwards: a small import goes through
    small = write_csv(tmp_path / "small.csv", people_rows(3, seed=9))
    assert runner.invoke(app, ["import", str(small), "--db", db]).exit_code == 0
    assert resident_count(db) == 3


def test_demo_builds_chengguan(tmp_path: Path) -> None:
    target = tmp_path / "demo.db"
    result = runner.invoke(app, ["demo", "--db", str(target), "--residents", "3000"])
    assert result.exit_code == 0, result.output
    with commgov.open(target) as cg:
        counts = cg.grids.counts(commgov.Actor.system("test"), "411425100")
    assert counts["community"] == 12
    assert counts["comprehensive_grid"] == 87
    assert counts["dedicated_grid"] == 76
    assert counts["residents"] == 3000
    assert "3000 residents" in result.output
    assert "The three rates" in result.output and "东关社区" in result.output
    with commgov.open(target) as cg:
        stored = cg.cases.rates(commgov.Actor.system("t"), "411425100")[0]
    assert stored.accepted > 0  # the simulated month went through the case engine
    assert "7336 monthly report, 2025-06" in result.output  # the town plugin is installed
    assert (tmp_path / "chengguan-yucheng7336-monthly-2025-06.csv").read_text(
        encoding="utf-8"
    ).count("\n") == 13
    assert (tmp_path / "chengguan-yucheng7336-monthly-2025-06.png").exists()


def test_demo_is_deterministic_by_seed(tmp_path: Path) -> None:
    def names(path: Path) -> list[tuple[str, str]]:
        runner.invoke(app, ["demo", "--db", str(path), "--residents", "300", "--seed", "5"])
        with sqlite3.connect(path) as conn:
            return conn.execute("select name, birth_date from residents order by id").fetchall()

    assert names(tmp_path / "a.db") == names(tmp_path / "b.db")


def test_grids_and_plugins_commands(db: str) -> None:
    tree = runner.invoke(app, ["grids", "--db", db], env={"COLUMNS": "200"})
    assert tree.exit_code == 0
    assert "411425100001001" in tree.output
    listing = runner.invoke(app, ["plugins", "--db", db], env={"COLUMNS": "200"})
    assert listing.exit_code == 0
    assert "commgov.defaults" in listing.output
    assert "commgov_permission" in listing.output


def test_db_upgrade_and_check(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'fresh.db'}"
    assert runner.invoke(app, ["db", "upgrade", "--db", url]).exit_code == 0
    assert runner.invoke(app, ["db", "check", "--db", url]).exit_code == 0


def test_bad_database_url_is_a_clear_error() -> None:
    result = runner.invoke(app, ["grids", "--db", "mysql://nobody@nowhere/x"])
    assert result.exit_code == 1
    assert "only sqlite and postgresql" in result.output


# -- files the import cannot take (issue 17): a clear message and exit 1, never a traceback --

WIDE = {"COLUMNS": "400"}


def said(result: Result, text: str) -> bool:
    """Whether the command printed ``text``, however rich wrapped the lines."""
    return any(text in result.output.replace("\n", glue) for glue in ("", " "))


def assert_clear_refusal(result: Result, says: str) -> None:
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception  # not a traceback
    assert "Traceback" not in result.output
    assert said(result, says), result.output


def test_import_of_a_corrupt_workbook_is_a_clear_error(db: str, tmp_path: Path) -> None:
    noise = tmp_path / "noise.xlsx"
    noise.write_bytes(os.urandom(4096))
    book = openpyxl.Workbook()
    book.active.append(HEADER)
    book.save(tmp_path / "good.xlsx")
    cut = tmp_path / "cut.xlsx"
    cut.write_bytes((tmp_path / "good.xlsx").read_bytes()[:500])
    for path in (noise, cut):
        result = runner.invoke(app, ["import", str(path), "--db", db], env=WIDE)
        assert_clear_refusal(result, f"{path.name}")
        assert said(result, "not a readable .xlsx workbook")
    assert resident_count(db) == 0


def test_import_of_a_gbk_csv_says_to_save_it_as_utf8(db: str, tmp_path: Path) -> None:
    source = tmp_path / "gbk.csv"
    with source.open("w", newline="", encoding="gbk") as fh:
        writer = csv.writer(fh)
        writer.writerow(["户号", "网格编码", "地址", "姓名", "出生日期", "性别"])
        writer.writerow(["H1", "411425100001001", "东街1号", "张三", "1990-01-01", "男"])
    result = runner.invoke(app, ["import", str(source), "--db", db], env=WIDE)
    assert_clear_refusal(result, "UTF-8")
    assert resident_count(db) == 0


def test_import_of_a_cell_over_the_csv_limit_names_its_row(db: str, tmp_path: Path) -> None:
    rows = people_rows(3)
    rows[1][3] = "名" * 131_073
    result = runner.invoke(
        app, ["import", str(write_csv(tmp_path / "p.csv", rows)), "--db", db], env=WIDE
    )
    assert_clear_refusal(result, "row 3")
    assert said(result, "131072") and said(result, "nothing imported")
    assert resident_count(db) == 0


def test_import_of_identity_numbers_stored_as_numbers_says_format_as_text(
    db: str, tmp_path: Path
) -> None:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["户号", "网格编码", "地址", "姓名", "身份证号"])
    sheet.append(["H1", "411425100001001", "东街1号", "张三", 411425194002104888])
    book.save(tmp_path / "p.xlsx")
    result = runner.invoke(app, ["import", str(tmp_path / "p.xlsx"), "--db", db], env=WIDE)
    assert_clear_refusal(result, "format the column as text")
    assert said(result, "row 2, column 'identity_number'")
    assert not said(result, "194002104")  # masked
    assert resident_count(db) == 0


@pytest.mark.postgres
def test_import_of_a_long_cell_on_postgresql_is_a_row_error(pg_url: str, tmp_path: Path) -> None:
    from tests.conftest import SECRET

    with commgov.open(pg_url, secret_key=SECRET, discover_plugins=False) as cg:
        admin = commgov.Actor.system("test")
        cg.grids.create(admin, code="411425", name="县", kind="county")
        cg.grids.create(admin, parent="411425", code="411425100", name="镇", kind="town")
    source = tmp_path / "long.csv"
    with source.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["household", "unit", "address", "name", "birth_date", "sex", "skills"])
        writer.writerow(["H1", "411425100", "东街1号", "甲", "1990-01-01", "M", "木工"])
        writer.writerow(["H1", "411425100", "东街1号", "乙", "1990-01-01", "F", "技" * 1000])
    env = {**WIDE, "COMMGOV_SECRET_KEY": SECRET}
    result = runner.invoke(app, ["import", str(source), "--db", pg_url], env=env)
    assert_clear_refusal(result, "row 3, column 'skills'")
    assert said(result, "nothing imported")
    with commgov.open(pg_url, secret_key=SECRET, discover_plugins=False) as cg:
        assert cg.residents.count_under(commgov.Actor.system("test"), "411425") == 0
