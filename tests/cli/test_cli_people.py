"""``commgov resident …`` and ``commgov staff …``: life events as a clerk types them."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

import commgov
from commgov.cli import app

runner = CliRunner()
ADMIN = commgov.Actor.system("test")


@pytest.fixture
def db(tmp_path: Path) -> str:
    """A town with two grids, a family of two on the first, an empty flat on the second and a
    grid worker on each."""
    path = tmp_path / "town.db"
    with commgov.open(path) as cg:
        built = commgov.testing.build_town(cg, code="411425100", communities=1)
        home = built.household(
            built.grids[0],
            {"name": "张三", "birth_date": "1950-01-01", "sex": "M"},
            {"name": "李四", "birth_date": "1952-01-01", "sex": "F", "care_groups": "独居老人"},
        )
        built.household(built.grids[1])
        assert home.member_ids == (1, 2)
        for grid in built.grids:
            cg.staff.add(ADMIN, name=f"员{grid[-1]}", role="grid_worker", units=[grid])
    return str(path)


def run(*args: str) -> Result:
    return runner.invoke(app, list(args), env={"COLUMNS": "80"})


def one_error_line(result: Result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("error:"), result.output
    return lines[0]


def test_a_clerk_records_a_death_and_the_household_file_keeps_it(db: str) -> None:
    done = run("resident", "leave", "1", "--reason", "died", "--on", "2026-12-01", "--db", db)
    assert done.exit_code == 0, done.output
    assert "resident 1 left on 2026-12-01 00:00 (died)" in done.output
    file = run("resident", "history", "--household", "1", "--db", db)
    assert file.exit_code == 0, file.output
    assert "张三" in file.output and "died" in file.output and "2026-12-01" in file.output
    with commgov.open(db) as cg:
        assert cg.grids.counts(ADMIN, "411425100")["residents"] == 1


def test_a_move_is_shown_in_both_households(db: str) -> None:
    moved = run("resident", "move", "2", "--household", "2", "--db", db)
    assert moved.exit_code == 0, moved.output
    old = run("resident", "history", "--household", "1", "--db", db)
    assert "moved" in old.output
    with commgov.open(db) as cg:
        assert cg.residents.get(ADMIN, 2).household_id == 2


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["resident", "leave", "1", "--reason", "died", "--on", "2999-01-01"], "future"),
        (["resident", "leave", "1", "--reason", "gone"], "reason='gone'"),
        (["resident", "leave", "1", "--reason", "died", "--on", "1st of May"], "on='1st of May'"),
        (["resident", "leave", "77", "--reason", "died"], "77"),
        (["resident", "merge", "1", "--into", "1"], "into=1"),
        (["resident", "history"], "household"),
        (["staff", "deactivate", "1", "--reason", "调离", "--hand-over-to", "1"], "hand_over_to"),
        (["staff", "reassign", "1", "--unit", "999"], "'999'"),
        (["resident", "leave", "1", "--reason", "died", "--staff", "2"], "may not"),
    ],
)
def test_bad_input_is_one_line_and_changes_nothing(db: str, args: list[str], words: str) -> None:
    line = one_error_line(run(*args, "--db", db))
    assert words in line
    with commgov.open(db) as cg:
        assert cg.grids.counts(ADMIN, "411425100")["residents"] == 2
        assert cg.staff.get(ADMIN, 1).active


def test_a_worker_who_left_cannot_act_and_their_history_shows_it(db: str) -> None:
    left = run("staff", "deactivate", "1", "--reason", "退休 retired", "--db", db)
    assert left.exit_code == 0, left.output
    refused = run("resident", "leave", "1", "--reason", "died", "--staff", "1", "--db", db)
    assert "left" in one_error_line(refused)
    history = run("staff", "history", "1", "--db", db)
    assert history.exit_code == 0 and "退休 retired" in history.output
