"""The command line, run as users run it: CliRunner for most, a real process for the crash test."""

from __future__ import annotations

import csv
import datetime as dt
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
    household = [str(n) for n, r in enumerate(rows, start=2) if r[0] == rows[4][0]]
    result = runner.invoke(app, ["import", str(source), "--db", db, "--skip-invalid"])
    assert result.exit_code == 0, result.output
    assert resident_count(db) == 20 - len(household)  # the household is refused whole
    rejected = list(csv.DictReader((tmp_path / "p.rejected.csv").open(encoding="utf-8-sig")))
    assert [r["row"] for r in rejected] == household
    (bad,) = [r for r in rejected if r["row"] == "6"]
    assert "check character" in bad["errors"]
    assert bad_number not in (tmp_path / "p.rejected.csv").read_text(encoding="utf-8-sig")
    assert bad["identity_number"].startswith("411*")


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
    result = runner.invoke(
        app, ["demo", "--db", str(target), "--residents", "3000"], env={"COLUMNS": "80"}
    )
    assert result.exit_code == 0, result.output
    check_demo_screen(result)
    check_demo_tables_agree(target)
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


def check_demo_screen(result: Result) -> None:
    """At 80 columns nothing is cut and every line fits; each long step had a progress bar."""
    from rich.cells import cell_len

    assert "…" not in result.output
    assert all(cell_len(line) <= 80 for line in result.stdout.splitlines()), result.stdout
    for name in ("东关社区", "西关社区", "文化社区"):
        assert result.stdout.count(name) >= 2  # whole, in the summary and the rates tables
    phases = ("validate", "write", "simulate", "store", "points", "rewards", "services")
    for phase in (*phases, "wishes", "orders", "visits", "season"):
        assert any(line.split()[:1] == [phase] for line in result.stderr.splitlines()), phase
    assert "so the two agree" in result.stdout
    for title in ("Micro-wishes (微心愿) per community", "时间表和项目单", "Service orders"):
        assert title in result.stdout
    assert "Opinion board (民意感知器) of 东关社区" in result.stdout
    for title in ("Neighbourhood councils (邻里议事会)", "Votes (表决)", "Micro-renovation"):
        assert title in result.stdout
    assert "every result confirmed by a recount: yes" in " ".join(result.stdout.split())


def check_demo_tables_agree(target: Path) -> None:
    """The demo's rates table and the town's monthly report count the same June alike."""
    from commgov.demo.month import rates_rows

    with commgov.open(target) as cg:
        ours = rates_rows(cg, "411425100")
        name = "yucheng7336.monthly"
        if name not in cg.reports.names("411425100"):
            return
        theirs = cg.reports.build(
            commgov.Actor.system("t"), name, unit="411425100", year=2025, month=6
        ).rows
    keys = ("community", "cases", "response", "resolution", "satisfaction")
    assert [tuple(r[k] for k in keys) for r in ours] == [tuple(r[k] for k in keys) for r in theirs]
    assert sum(r["cases"] for r in ours) > 0


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
    assert (tmp_path / "fresh.db.key").exists()  # an empty store, ready for the daily commands
    empty = runner.invoke(app, ["grids", "--db", url], env=WIDE)
    assert empty.exit_code == 0, empty.output
    assert "no units yet" in empty.output


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


def test_import_of_a_gbk_csv_reads_it_as_gb18030(db: str, tmp_path: Path) -> None:
    source = tmp_path / "gbk.csv"
    with source.open("w", newline="", encoding="gbk") as fh:
        writer = csv.writer(fh)
        writer.writerow(["户号", "网格编码", "地址", "姓名", "出生日期", "性别"])
        writer.writerow(["H1", "411425100001001", "东街1号", "张三", "1990-01-01", "男"])
    result = runner.invoke(app, ["import", str(source), "--db", db], env=WIDE)
    assert result.exit_code == 0, result.output
    assert said(result, "read gbk.csv as GB18030")
    assert resident_count(db) == 1


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


# -- a command line that never surprises a clerk (issue 15) --------------------------------

NO_STORE_COMMANDS = [
    ["grids"], ["plugins"], ["db", "check"],
    ["case", "list", "--unit", "411425100"], ["case", "show", "1"], ["case", "settings"],
    ["case", "report", "--unit", "411425100001001", "--text", "灯坏了"],
    ["points", "rewards", "--unit", "411425100"], ["points", "statement", "1"],
    ["timebank", "pending", "--unit", "411425100"], ["staff", "list", "--unit", "411425100"],
    ["resident", "history", "1"],
]  # fmt: skip


def one_error_line(result: Result) -> str:
    """The command failed with exit 1 and one ``error:`` line on stderr, no traceback."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    assert "Traceback" not in result.output
    return lines[0]


@pytest.mark.parametrize("command", NO_STORE_COMMANDS, ids=" ".join)
def test_a_read_command_without_a_store_creates_nothing(
    command: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("COMMGOV_DB_URL", raising=False)
    for args in (command, [*command, "--db", "elsewhere.db"]):
        line = one_error_line(runner.invoke(app, args, env=WIDE))
        assert "no store at ./" in line
        for how in ("commgov db upgrade --db FILE", "commgov import units.csv --kind units",
                    "commgov demo"):  # fmt: skip
            assert how in line
    assert list(tmp_path.iterdir()) == []  # no .db, no .key


def test_a_store_path_that_is_no_store_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "folder").mkdir()
    (tmp_path / "notes.txt").write_text("not a database", encoding="utf-8")
    folder = one_error_line(runner.invoke(app, ["grids", "--db", str(tmp_path / "folder")]))
    assert "a folder, not a store file" in folder
    text = one_error_line(runner.invoke(app, ["plugins", "--db", str(tmp_path / "notes.txt")]))
    assert "not a commgov store" in text
    assert sorted(p.name for p in tmp_path.iterdir()) == ["folder", "notes.txt"]


def closed_port() -> int:
    """A local TCP port nothing listens on (bound, then released)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.mark.parametrize("command", [["grids"], ["plugins"], ["db", "upgrade"], ["db", "check"]])
def test_an_unreachable_postgresql_is_one_line_without_the_password(command: list[str]) -> None:
    port = closed_port()
    url = f"postgresql://clerk:s3cret-pw@127.0.0.1:{port}/town"
    env = {**WIDE, "COMMGOV_SECRET_KEY": commgov.new_secret_key()}
    line = one_error_line(runner.invoke(app, [*command, "--db", url], env=env))
    assert f"127.0.0.1:{port}" in line and "'town'" in line
    assert "check the host, the port" in line
    assert "s3cret-pw" not in line


def test_commgov_open_on_an_unreachable_server_is_a_configuration_error() -> None:
    port = closed_port()
    url = f"postgresql://clerk:s3cret-pw@127.0.0.1:{port}/town"
    with pytest.raises(commgov.ConfigurationError) as caught:
        commgov.open(url, secret_key=commgov.new_secret_key())
    message = str(caught.value)
    assert f"PostgreSQL database 'town' on 127.0.0.1:{port}" in message
    assert "Connection refused" in message and "s3cret-pw" not in message
    assert caught.value.__cause__ is None  # no SQLAlchemy error chained for a user to read


def missing_database_url() -> str:
    from sqlalchemy.engine import make_url

    from commgov.testing.postgres import pg_base_url

    base = pg_base_url()
    if base is None:
        pytest.skip("COMMGOV_TEST_PG_URL is not set")
    parsed = make_url(base.replace("postgresql://", "postgresql+psycopg://", 1))
    return parsed.set(database="commgov_no_such_database").render_as_string(hide_password=False)


@pytest.mark.postgres
@pytest.mark.parametrize("command", [["grids"], ["db", "upgrade"], ["db", "check"]])
def test_a_missing_postgresql_database_is_one_line(command: list[str]) -> None:
    env = {**WIDE, "COMMGOV_SECRET_KEY": commgov.new_secret_key()}
    line = one_error_line(runner.invoke(app, [*command, "--db", missing_database_url()], env=env))
    assert "'commgov_no_such_database'" in line and "does not exist" in line
    assert "check the database name" in line


@pytest.mark.postgres
def test_commgov_open_on_a_missing_database_is_a_configuration_error() -> None:
    with pytest.raises(commgov.ConfigurationError, match="commgov_no_such_database"):
        commgov.open(missing_database_url(), secret_key=commgov.new_secret_key())


@pytest.mark.postgres
def test_a_postgresql_database_without_the_schema_says_to_upgrade(pg_url: str) -> None:
    env = {**WIDE, "COMMGOV_SECRET_KEY": commgov.new_secret_key()}
    line = one_error_line(runner.invoke(app, ["grids", "--db", pg_url], env=env))
    assert "holds no commgov store" in line and "commgov db upgrade" in line
    assert runner.invoke(app, ["db", "upgrade", "--db", pg_url], env=env).exit_code == 0
    made = runner.invoke(app, ["grids", "--db", pg_url], env=env)
    assert made.exit_code == 0, made.output
    assert "no units yet" in made.output


def test_bad_input_to_each_command_is_one_line(db: str, tmp_path: Path) -> None:
    root = one_error_line(runner.invoke(app, ["grids", "--db", db, "--root", "999"]))
    assert "'999'" in root
    demo = one_error_line(runner.invoke(app, ["demo", "--db", "/proc/no/demo.db"], env=WIDE))
    assert "/proc/no/demo.db" in demo
    (tmp_path / "taken").mkdir()
    folder = one_error_line(runner.invoke(app, ["demo", "--db", str(tmp_path / "taken")]))
    assert "taken" in folder
    url = one_error_line(runner.invoke(app, ["db", "upgrade", "--db", "mysql://x@y/z"]))
    assert "only sqlite and postgresql" in url


def test_commgov_plugin_units_says_where_each_plugin_is_enabled(db: str) -> None:
    class Quiet:
        """A plugin with no hooks."""

    with commgov.open(db, discover_plugins=False) as cg:
        assert cg.plugin_units() == {}
        name = cg.add_plugin(Quiet(), name="quiet")
        admin = commgov.Actor.system("test")
        cg.enable_plugins(admin, "411425100001", [name])
        cg.enable_plugins(admin, "411425100", [name])
        placed = cg.plugin_units()
        assert list(placed) == ["quiet"]
        assert [(u.code, u.name) for u in placed["quiet"]] == [
            ("411425100", "镇"),
            ("411425100001", "社区"),
        ]
        cg.enable_plugins(admin, "411425100001", [])
        assert [u.code for u in cg.plugin_units()["quiet"]] == ["411425100"]


def test_the_plugins_command_shows_the_units_each_plugin_is_enabled_on(db: str) -> None:
    with commgov.open(db) as cg:
        if "yucheng7336" not in cg.plugins.available:
            pytest.skip("the 7336 plugin is not installed")
        cg.enable_plugins(commgov.Actor.system("test"), "411425100001", ["yucheng7336"])
        placed = cg.plugin_units()
    assert [u.code for u in placed["yucheng7336"]] == ["411425100001"]
    assert placed.get("xinhe", []) == []
    listing = runner.invoke(app, ["plugins", "--db", db], env={"COLUMNS": "80"})
    assert listing.exit_code == 0, listing.output
    row = next(line for line in listing.output.splitlines() if "yucheng7336" in line)
    assert "411425100001 社区" in row
    assert "nowhere yet" in next(line for line in listing.output.splitlines() if "xinhe" in line)
    assert "…" not in listing.output


def cells(line: str) -> int:
    from rich.cells import cell_len

    return cell_len(line)


def test_tables_fold_long_names_at_80_columns(db: str) -> None:
    long_name = "东关街道办事处第一社区居民委员会综合治理网格服务站长长的名字"
    with commgov.open(db) as cg:
        cg.grids.create(
            commgov.Actor.system("test"), parent="411425100001", name=long_name, kind="grid"
        )
    tree = runner.invoke(app, ["grids", "--db", db], env={"COLUMNS": "80"})
    assert tree.exit_code == 0, tree.output
    assert "…" not in tree.output
    assert all(cells(line) <= 80 for line in tree.output.splitlines())
    assert long_name in "".join(line.strip(" │├└─") for line in tree.output.splitlines())


def test_fitted_table_folds_names_and_keeps_figures_whole() -> None:
    from rich.console import Console

    from commgov.cli.common import fitted_table

    long_name = "长长的名字很长的社区名称真的很长" * 4
    headers = ["社区 community", "居民 people", "空巢 empty nest", "网格员 workers"]
    table = fitted_table(headers, [[long_name, "114280", "196", "15"]], width=80)
    screen = Console(width=80, record=True)
    screen.print(table)
    lines = screen.export_text().splitlines()
    assert "…" not in "".join(lines)
    assert all(cells(line) <= 80 for line in lines)
    body = lines[next(i for i, line in enumerate(lines) if "─" in line) + 1 :]
    assert "114280" in body[0]  # a figure is never folded at this width
    assert len([line for line in body if line.strip()]) > 1  # the name folded …
    assert "".join(line.split()[0] for line in body if line.strip()) == long_name  # … whole


def test_the_demo_rates_agree_with_the_monthly_report_for_a_late_june_case() -> None:
    """A case reported late on 30 June (Beijing) and never answered: counted in June by both
    tables, and owed by both, since both count as of now (10 July), not as of 1 July."""
    from commgov.demo.month import rates_rows
    from commgov.testing import build_town

    now = [dt.datetime(2025, 6, 30, 14, 0, tzinfo=dt.UTC)]  # 22:00 in Beijing
    with commgov.open("sqlite:///:memory:", clock=lambda: now[0]) as cg:
        if "yucheng7336" not in cg.plugins.available:
            pytest.skip("the 7336 plugin is not installed")
        town = build_town(cg, code="411425100")
        cg.enable_plugins(town.admin, town.town, ["yucheng7336"])
        cg.cases.report(town.admin, text="路灯坏了", unit=town.grids[0], category="facilities")
        now[0] = dt.datetime(2025, 7, 10, 9, 0, tzinfo=dt.UTC)
        ours = rates_rows(cg, town.town)
        report = cg.reports.build(
            town.admin, "yucheng7336.monthly", unit=town.town, year=2025, month=6
        )
    keys = ("community", "cases", "response", "resolution", "satisfaction")
    assert [tuple(r[k] for k in keys) for r in ours] == [
        tuple(r[k] for k in keys)
        for r in report.rows  # type: ignore[attr-defined]
    ]
    first = ours[0]
    assert (first["cases"], first["response"]) == (1, 0.0)  # owed and late, in both


def test_commgov_open_on_a_file_that_is_no_database_is_a_configuration_error(
    tmp_path: Path,
) -> None:
    notes = tmp_path / "notes.db"
    notes.write_text("a text file, not a database\n" * 100, encoding="utf-8")
    with pytest.raises(commgov.ConfigurationError) as caught:
        commgov.open(notes, secret_key=commgov.new_secret_key())
    assert f"SQLite file {notes}" in str(caught.value)
    assert "not a database" in str(caught.value)
    assert notes.read_text(encoding="utf-8").startswith("a text file")  # left as it was
