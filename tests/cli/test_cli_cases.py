"""``commgov case``: a clerk reports and acts on cases by number, lists them, and reads
metrics and settings from a terminal 80 columns wide; every expected failure is one line."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from pathlib import Path

import pytest
from rich.cells import cell_len
from typer.testing import CliRunner, Result

import commgov
from commgov.cli import app
from commgov.testing import build_town

runner = CliRunner()
NARROW = {"COLUMNS": "80", "COMMGOV_ACTOR": "clerk"}
LONG_TEXT = (
    "小区东门外的路灯连续三个晚上都不亮了，老人晚上散步看不清台阶，已经有人摔倒，请尽快派人来修理"
    * 2
)


@pytest.fixture
def town_db(tmp_path: Path) -> tuple[str, int]:
    """A town in a SQLite file, with a grid worker (their staff id)."""
    path = tmp_path / "town.db"
    with commgov.open(path, discover_plugins=False) as cg:
        town = build_town(cg, code="411425100")
        worker = town.add_staff("grid_worker", "411425100001001", name="网格员王")
        assert worker.staff_id is not None
        return str(path), worker.staff_id


def run(*args: str) -> Result:
    return runner.invoke(app, ["case", *args], env=NARROW)


def ok(result: Result) -> str:
    assert result.exit_code == 0, result.output
    for line in result.stdout.splitlines():
        assert cell_len(line) <= 80, line
    return result.stdout


def one_error_line(result: Result) -> str:
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ") and "Traceback" not in result.output
    return lines[0]


def unfolded(output: str) -> str:
    """The output without spaces and line ends: a code folded onto two lines joined again."""
    return "".join(output.split())


def holds(output: str, text: str) -> bool:
    """Every character of ``text`` is shown (folded onto more lines, never cut)."""
    return all(output.count(ch) >= n for ch, n in Counter(text).items())


def test_a_case_from_report_to_close(town_db: tuple[str, int]) -> None:
    db, staff = town_db
    year = dt.datetime.now(dt.UTC).astimezone(dt.timezone(dt.timedelta(hours=8))).year
    said = ok(
        run("report", "--unit", "411425100001001", "--text", LONG_TEXT, "--db", db,
            "--reporter-phone", "138 1234 5678", "--category", "facilities")
    )  # fmt: skip
    number = f"{year}-000001"
    assert f"case {number} (id 1)" in said
    shown = ok(run("show", number, "--db", db))
    assert "138****5678" in shown and "13812345678" not in unfolded(shown)
    assert LONG_TEXT in unfolded(shown)  # folded, never cut
    steps = [
        ["accept"],
        ["triage", "--severity", "urgent", "--level", "grid"],
        ["dispatch", "--lead", f"staff:{staff}"],
        ["start", "--note", "到现场"],
        ["resolve", "--outcome", "换了灯泡"],
        ["inform"],
        ["visit", "--rating", "5"],
        ["close"],
    ]
    for step in steps:
        out = ok(run("act", number, *step, "--db", db, "--staff", str(staff)))
        assert out.startswith(f"case {number}: {step[0]}")
    timeline = ok(run("show", "1", "--db", db))
    for word in ("report", "dispatch", "换了灯泡", "visit", "close", "已闭环"):
        assert word in timeline


def test_lists_filters_and_pages(town_db: tuple[str, int]) -> None:
    db, staff = town_db
    for i, grid in enumerate(["411425100001001", "411425100001002", "411425100002001"] * 2):
        channel = "hotline" if i % 2 else "resident"
        ok(run("report", "--unit", grid, "--text", f"{LONG_TEXT[:30]}{i}", "--channel", channel,
               "--db", db))  # fmt: skip
    ok(run("act", "2", "accept", "--db", db))
    listed = ok(run("list", "--unit", "411425100", "--db", db))
    assert "6 case(s)" in listed and holds(listed, LONG_TEXT[:30] * 6 + "012345")
    hotline = ok(run("list", "--unit", "411425100", "--channel", "hotline", "--db", db))
    assert "3 case(s)" in hotline
    accepted = ok(run("list", "--unit", "411425100", "--state", "accepted", "--db", db))
    assert "1 case(s)" in accepted and "000002" in accepted
    today = dt.date.today()
    dated = run("list", "--unit", "411425100001", "--since", str(today - dt.timedelta(days=1)),
                "--until", str(today + dt.timedelta(days=1)), "--db", db)  # fmt: skip
    assert "4 case(s)" in ok(dated)
    page = ok(run("list", "--unit", "411425100", "--limit", "4", "--db", db))
    assert "more may follow: --after 4" in page
    rest = ok(run("list", "--unit", "411425100", "--limit", "4", "--after", "4", "--db", db))
    assert "2 case(s)" in rest
    mine = ok(run("list", "--unit", "411425100001001", "--staff", str(staff), "--db", db))
    assert "2 case(s)" in mine
    assert "no cases" in ok(run("list", "--unit", "411425100", "--overdue", "--db", db))
    assert "6 case(s) due" in ok(run("due", "--unit", "411425100", "--within", "2d", "--db", db))
    assert "no cases due" in ok(run("due", "--unit", "411425100", "--within", "1h", "--db", db))
    assert "no cases overdue" in ok(run("overdue", "--unit", "411425100", "--db", db))


def test_metrics_and_settings(town_db: tuple[str, int]) -> None:
    db, _ = town_db
    ok(run("report", "--unit", "411425100001001", "--text", "x", "--db", db))
    month = dt.datetime.now(dt.timezone(dt.timedelta(hours=8))).strftime("%Y-%m")
    table = ok(run("metrics", "--unit", "411425100", "--month", month, "--by", "child", "--db", db))
    assert "411425100001" in unfolded(table) and "响应率" in table
    assert "60 min" in ok(run("settings", "--db", db))
    assert "45 min" in ok(run("settings", "--alarm-window", "45m", "--db", db))
    assert "90 min" in ok(run("settings", "--alarm-window", "1h30m", "--db", db))
    with commgov.open(db, discover_plugins=False) as cg:
        assert cg.cases.alarm_window() == dt.timedelta(minutes=90)


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["act", "1", "fly"], "action='fly': unknown; known: accept"),
        (["act", "1", "visit", "--rating", "5"], "case 1 is reported: cannot visit"),
        (["act", "1", "visit", "--rating", "9"], "rating=9"),
        (["act", "1", "accept", "--rating", "5"], "accept takes only note, attachments"),
        (["act", "1", "reject", "--note", "a", "--reason", "b"], "one of --note, --reason"),
        (["show", "2026-000777"], "no case"),
        (["show", "abc"], "expected a case id (12) or number (2026-000123)"),
        (["list", "--unit", "411425100", "--since", "2026-02-30"], "expected a date"),
        (["list", "--unit", "411425100", "--state", "lost"], "state='lost'"),
        (["list", "--unit", "999999"], "no unit"),
        (["report", "--unit", "999999", "--text", "x"], "unit='999999'"),
        (["report", "--unit", "411425100", "--text", "x"], "a case belongs to a grid"),
        (["report", "--unit", "411425100001001", "--text", "x", "--reporter-phone", "12"],
         "reporter_phone"),
        (["due", "--unit", "411425100", "--within", "soon"], "expected a duration"),
        (["metrics", "--unit", "411425100", "--month", "2026-13"], "expected a month"),
        (["metrics", "--unit", "411425100", "--month", "2026-11", "--by", "town"], "--by"),
        (["settings", "--alarm-window", "25h"], "must lie from 0"),
        (["settings", "--alarm-window", "45m", "--staff", "1", "--actor", "x"], "not both"),
        (["settings", "--alarm-window", "45m", "--staff", "1"], "may not case.settings"),
        (["list", "--unit", "411425100", "--staff", "999"], "no staff member"),
    ],
)  # fmt: skip
def test_expected_failures_are_one_line(
    town_db: tuple[str, int], args: list[str], says: str
) -> None:
    db, _ = town_db
    ok(run("report", "--unit", "411425100001001", "--text", "x", "--db", db))
    assert says in one_error_line(run(*args, "--db", db))


def test_no_store_no_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("COMMGOV_DB_URL", raising=False)
    line = one_error_line(run("list", "--unit", "411425100", "--db", "missing.db"))
    assert "no store at" in line
    assert list(tmp_path.iterdir()) == []


def test_a_report_for_the_town_waits_in_its_queue(town_db: tuple[str, int]) -> None:
    """A hotline clerk who knows only the town files the report with ``--town``: the case is
    numbered and waits at the town for triage; without any place it is one line of error."""
    db, _ = town_db
    said = ok(run("report", "--town", "411425100", "--text", "路灯不亮", "--db", db))
    assert "in 411425100:" in said
    with commgov.open(db, discover_plugins=False) as cg:
        queued = cg.cases.under(commgov.Actor.system("test"), "411425100")
        assert [(c.unit_code, c.text) for c in queued] == [("411425100", "路灯不亮")]
    error = one_error_line(run("report", "--text", "路灯不亮", "--db", db))
    assert "unit=None" in error and "the town (its queue)" in error
    error = one_error_line(run("report", "--town", "411425100001001", "--text", "x", "--db", db))
    assert "town='411425100001001'" in error
