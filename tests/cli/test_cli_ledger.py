"""``commgov points …`` and ``commgov timebank …`` as a front-desk clerk and a grid worker type
them: statements, the catalogue, redeeming once, leaderboards, the services waiting; tables
that fit 80 columns without cutting a name; expected failures as one ``error:`` line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import attrs
import pytest
from rich.cells import cell_len
from typer.testing import CliRunner, Result

import commgov
from commgov.cli import app

runner = CliRunner()
ADMIN = commgov.Actor.system("test")
LONG_NAME = "欧阳娜娜丽莎"  # six characters, twelve cells


@attrs.frozen
class Desk:
    db: str
    elder: int
    volunteer: int
    month: str
    grid: str
    community: str
    town: str
    worker: int
    stranger: int
    reward: int
    dear: int


@pytest.fixture
def desk(tmp_path: Path) -> Desk:
    """A town: an elder living alone (a care-group member) served by a volunteer who earned
    40 points; two rewards; a worker of their grid and one of another grid."""
    path = tmp_path / "town.db"
    with commgov.open(path) as cg:
        built = commgov.testing.build_town(cg, code="411425100", communities=1)
        grid = built.grids[0]
        (elder,) = built.household(
            grid, {"name": LONG_NAME, "birth_date": "1944-01-01", "sex": "F",
                   "care_groups": ["living_alone"]},
        ).member_ids  # fmt: skip
        (volunteer,) = built.household(
            grid, {"name": "张三丰", "birth_date": "1990-01-01", "sex": "M"}
        ).member_ids
        earned = cg.points.earn(ADMIN, volunteer, "volunteer", quantity=4, client_id="v")
        assert earned.transfer is not None
        local = earned.transfer.created_at.astimezone(ZoneInfo("Asia/Shanghai"))
        now = dt.datetime.now(dt.UTC)
        for n, hours in enumerate((5, 3)):
            start = now - dt.timedelta(hours=hours)
            cg.timebank.record(ADMIN, provider_id=volunteer, recipient_id=elder, kind="陪伴",
                               start=start, end=start + dt.timedelta(hours=1),
                               client_id=f"s{n}")  # fmt: skip
        first = cg.timebank.pending(ADMIN, grid)[0]
        cg.timebank.confirm(ADMIN, first.id)
        reward = cg.points.add_reward(
            ADMIN, unit=built.communities[0], name="物业费抵扣券", price=15, stock=2
        )
        dear = cg.points.add_reward(ADMIN, unit=built.town, name="电饭煲", price=500, stock=1)
        worker = cg.staff.add(ADMIN, name="王网格", role="grid_worker", units=[grid])
        stranger = cg.staff.add(ADMIN, name="赵网格", role="grid_worker", units=[built.grids[1]])
    return Desk(
        db=str(path), elder=elder, volunteer=volunteer, month=f"{local:%Y-%m}", grid=grid,
        community=built.communities[0], town=built.town, worker=worker.id,
        stranger=stranger.id, reward=reward.id, dear=dear.id,
    )  # fmt: skip


def run(desk: Desk, *args: str) -> Result:
    result = runner.invoke(app, [*args, "--db", desk.db], env={"COLUMNS": "80"})
    assert "Traceback" not in result.output
    return result


def fits(result: Result) -> str:
    """The command succeeded and every line of its output fits 80 columns."""
    assert result.exit_code == 0, result.output
    for line in result.stdout.splitlines():
        assert cell_len(line) <= 80, line
    assert "…" not in result.stdout
    return result.stdout


def one_error_line(result: Result) -> str:
    """The command failed with exit 1 and one ``error:`` line on stderr, no traceback."""
    assert result.exit_code == 1, result.output
    assert isinstance(result.exception, SystemExit), result.exception
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
    return lines[0].removeprefix("error: ")


def test_a_points_statement(desk: Desk) -> None:
    out = fits(run(desk, "points", "statement", str(desk.volunteer), "--month", desk.month))
    assert f"张三丰 (resident {desk.volunteer})" in out
    assert "opening balance 期初: 0 points" in out
    assert "志愿服务 volunteering" in out and "+40" in out
    assert "closing balance 期末: 40 points" in out
    quiet = fits(run(desk, "points", "statement", str(desk.volunteer), "--month", "2001-01"))
    assert "no postings in this period" in quiet and "closing balance 期末: 0 points" in quiet


def test_the_reward_catalogue(desk: Desk) -> None:
    out = fits(run(desk, "points", "rewards", "--unit", desk.grid))
    assert "物业费抵扣券" in out and "电饭煲" in out
    assert out.index("电饭煲") < out.index("物业费抵扣券")  # the town's first


def test_a_retried_redemption_redeems_once_and_says_so(desk: Desk) -> None:
    args = ("points", "redeem", str(desk.volunteer), str(desk.reward), "--client-id", "slip-7")
    first = fits(run(desk, *args))
    assert "redeemed 物业费抵扣券 for resident" in first and "balance 25 points" in first
    assert "1 left in stock" in first
    again = fits(run(desk, *args))
    assert "already redeemed with client id slip-7" in again and "nothing taken again" in again
    with commgov.open(desk.db) as cg:
        assert cg.points.reward(ADMIN, desk.reward).stock == 1
        assert cg.points.balance(ADMIN, desk.volunteer).balance == 25  # type: ignore[union-attr]


def test_a_leaderboard_as_a_grid_worker(desk: Desk) -> None:
    out = fits(
        run(desk, "points", "leaderboard", "--unit", desk.grid, "--month", desk.month,
            "--staff", str(desk.worker))
    )  # fmt: skip
    assert "张三丰" in out and "40" in out
    empty = fits(run(desk, "points", "leaderboard", "--unit", desk.town, "--month", "2001-01"))
    assert "nobody earned points" in empty


def test_a_time_bank_statement_and_the_services_waiting(desk: Desk) -> None:
    statement = fits(run(desk, "timebank", "statement", str(desk.volunteer), "--month", desk.month))
    assert "服务 service: 陪伴" in statement and "closing balance 期末: 60 minutes" in statement
    assert "waiting for confirmation 待确认: 60 minutes" in statement
    waiting = fits(
        run(desk, "timebank", "pending", "--unit", desk.grid, "--staff", str(desk.worker))
    )
    assert f"{LONG_NAME} ({desk.elder})" in waiting  # whole, on one line, at 80 columns
    assert f"张三丰 ({desk.volunteer})" in waiting and "陪伴" in waiting
    assert "待确认" in waiting and ": 1" in waiting


def test_expected_failures_are_one_line_in_the_clerks_words(desk: Desk) -> None:
    short = one_error_line(
        run(desk, "points", "redeem", str(desk.volunteer), str(desk.dear), "--client-id", "r9")
    )
    assert short == "张** has 40 points; the reward needs 500 (张** 现有 40 积分，兑换需要 500)"
    unknown_reward = one_error_line(
        run(desk, "points", "redeem", str(desk.volunteer), "999", "--client-id", "r10")
    )
    assert unknown_reward == "no reward number 999 (没有编号为 999 的奖品)"
    for command in (("points", "statement"), ("timebank", "statement")):
        unknown = one_error_line(run(desk, *command, "4242"))
        assert unknown == "no resident number 4242 (没有编号为 4242 的居民)"
    assert "month='11/2026'" in one_error_line(
        run(desk, "points", "statement", str(desk.volunteer), "--month", "11/2026")
    )
    assert "may not read" in one_error_line(
        run(desk, "timebank", "pending", "--unit", desk.grid, "--staff", str(desk.stranger))
    )
    assert "not both" in one_error_line(
        run(desk, "points", "rewards", "--unit", desk.grid, "--staff", "1", "--actor", "clerk")
    )
    with commgov.open(desk.db) as cg:
        assert cg.points.reward(ADMIN, desk.dear).stock == 1
        assert cg.points.balance(ADMIN, desk.volunteer).balance == 40  # type: ignore[union-attr]
