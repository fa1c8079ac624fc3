"""``commgov points`` and ``commgov timebank``: statements, rewards, redeeming, leaderboards and
the services waiting for confirmation, as a front-desk clerk or a grid worker uses them."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

import typer
from rich.markup import escape

from commgov.cli.common import (
    ActorOption,
    DbOption,
    StaffOption,
    acting,
    console,
    fitted_table,
    store,
)
from commgov.facade import Commgov
from commgov.ledger.views import AccountStatement

points_app = typer.Typer(
    help="Points (积分): statements, rewards, redeeming, leaderboards.", no_args_is_help=True
)
timebank_app = typer.Typer(
    help="Time bank (时间银行): statements, services waiting for confirmation.",
    no_args_is_help=True,
)

MonthOption = Annotated[
    str | None,
    typer.Option(
        "--month", help="The month, as YYYY-MM (default: this month, in the store's zone)."
    ),
]
UnitOption = Annotated[str, typer.Option("--unit", help="The unit's code (a grid, a community …).")]


def _local(moment: dt.datetime, cg: Commgov) -> str:
    return f"{moment.astimezone(cg.context.zone):%Y-%m-%d %H:%M}"


def _signed(amount: int) -> str:
    return f"{amount:+d}"


def _print_statement(found: AccountStatement, unit: str) -> None:
    """A statement: who and when, the opening balance, one row a posting, the closing one."""
    ledger = "积分 points" if found.ledger == "points" else "时间银行 time bank (minutes)"
    period = f"{found.start.isoformat()} – {found.end.isoformat()}"
    title = f"{ledger}: {found.name} (resident {found.resident_id}), {period}"
    rows = [
        [line.date.isoformat(), escape(line.label), _signed(line.amount), str(line.balance)]
        for line in found.lines
    ]
    console.print(escape(title), soft_wrap=True, highlight=False)
    if found.left:
        console.print(escape(found.left), soft_wrap=True, highlight=False)
    console.print(f"opening balance 期初: {found.opening} {unit}", highlight=False)
    if rows:
        table = fitted_table(
            ["date 日期", "reason 事由", "amount 变动", "balance 余额"], rows, names=2
        )
        console.print(table)
    else:
        console.print("no postings in this period (本期无变动)")
    console.print(f"closing balance 期末: {found.closing} {unit}", highlight=False)
    if found.waiting:
        console.print(f"waiting for confirmation 待确认: {found.waiting} {unit}", highlight=False)


# -- points ------------------------------------------------------------------------------------
@points_app.command("statement")
def points_statement(
    *,
    resident_id: Annotated[int, typer.Argument(help="The resident's number.")],
    month: MonthOption = None,
    db: DbOption = None,
    staff: StaffOption = None,
    actor: ActorOption = None,
) -> None:
    """A resident's points over a month: opening balance, each posting, closing balance."""
    with store(db) as cg:
        found = cg.points.account_statement(acting(cg, staff, actor), resident_id, month=month)
        _print_statement(found, "points")


@points_app.command("rewards")
def points_rewards(
    *,
    unit: UnitOption,
    db: DbOption = None,
    staff: StaffOption = None,
    actor: ActorOption = None,
) -> None:
    """The reward catalogue at a unit (with those offered above and below it)."""
    with store(db) as cg:
        found = cg.points.rewards(acting(cg, staff, actor), unit)
        if not found:
            console.print(f"no rewards at {escape(unit)} (暂无奖品)")
            return
        rows = [
            [
                escape(r.name),
                r.unit_code,
                escape(r.partner or ""),
                str(r.id),
                str(r.price),
                str(r.stock),
            ]
            for r in found
        ]
        headers = [
            "reward 奖品",
            "unit 单位",
            "partner 合伙人",
            "no. 编号",
            "points 积分",
            "stock 库存",
        ]
        console.print(fitted_table(headers, rows, names=3, title=escape(f"rewards 奖品 — {unit}")))


@points_app.command("redeem")
def points_redeem(
    *,
    resident_id: Annotated[int, typer.Argument(help="The resident's number.")],
    reward_id: Annotated[int, typer.Argument(help="The reward's number.")],
    client_id: Annotated[
        str,
        typer.Option(
            "--client-id",
            help="A key of this redemption (e.g. the slip's number): a retry with the same key "
            "redeems once.",
        ),
    ],
    db: DbOption = None,
    staff: StaffOption = None,
    actor: ActorOption = None,
) -> None:
    """Spend a resident's points on a reward: points and one item of stock, once."""
    with store(db) as cg:
        who = acting(cg, staff, actor)
        done = cg.points.redeem(who, resident_id, reward_id, client_id=client_id)
        reward = cg.points.reward(who, reward_id)
        left = cg.points.balance(who, resident_id)
        balance = left.balance if left is not None else 0
        if done.replayed:
            lines = [
                f"already redeemed with client id {client_id}: nothing taken again",
                f"(该兑换已完成，未重复扣除) {reward.name}, resident {resident_id}",
                f"balance {balance} points",
            ]
        else:
            lines = [
                f"redeemed {reward.name} for resident {resident_id} (兑换成功)",
                f"{done.amount} points; balance {balance} points; {reward.stock} left in stock",
            ]
        for line in lines:
            console.print(escape(line), highlight=False)


@points_app.command("leaderboard")
def points_leaderboard(
    *,
    unit: UnitOption,
    month: MonthOption = None,
    limit: Annotated[int, typer.Option(help="How many residents to show.")] = 20,
    db: DbOption = None,
    staff: StaffOption = None,
    actor: ActorOption = None,
) -> None:
    """Who earned most points under a unit in a month, with their honour tier."""
    with store(db) as cg:
        board = cg.points.leaderboard(acting(cg, staff, actor), unit, month=month, limit=limit)
        title = f"leaderboard 积分排行 — {board.unit_code}, {board.start} – {board.end}"
        if not board.rows:
            console.print(escape(title), soft_wrap=True, highlight=False)
            console.print("nobody earned points in this period (本期无人获得积分)")
            return
        rows = [
            [escape(row.name), escape(row.tier or ""), str(row.rank), str(row.resident_id),
             str(row.earned), str(row.lifetime)]
            for row in board.rows
        ]  # fmt: skip
        headers = [
            "name 姓名",
            "honour 荣誉",
            "rank 名次",
            "no. 编号",
            "earned 本期",
            "lifetime 累计",
        ]
        console.print(fitted_table(headers, rows, names=2, title=escape(title)))


# -- time bank ---------------------------------------------------------------------------------
@timebank_app.command("statement")
def timebank_statement(
    *,
    resident_id: Annotated[int, typer.Argument(help="The resident's number.")],
    month: MonthOption = None,
    db: DbOption = None,
    staff: StaffOption = None,
    actor: ActorOption = None,
) -> None:
    """A resident's banked minutes over a month: opening, each posting, closing, waiting."""
    with store(db) as cg:
        found = cg.timebank.account_statement(acting(cg, staff, actor), resident_id, month=month)
        _print_statement(found, "minutes")


@timebank_app.command("pending")
def timebank_pending(
    *,
    unit: UnitOption,
    db: DbOption = None,
    staff: StaffOption = None,
    actor: ActorOption = None,
) -> None:
    """Services waiting for confirmation under a unit (a grid worker's list)."""
    with store(db) as cg:
        found = cg.timebank.pending(acting(cg, staff, actor), unit)
        if not found:
            console.print(f"no services waiting under {escape(unit)} (暂无待确认的服务)")
            return
        rows = [
            [escape(f"{s.provider_name} ({s.provider_id})"),
             escape(f"{s.recipient_name} ({s.recipient_id})"), escape(s.kind), str(s.id),
             _local(s.started_at, cg), str(s.minutes)]
            for s in found
        ]  # fmt: skip
        headers = ["volunteer 志愿者", "recipient 服务对象", "kind 服务", "no. 编号",
                   "started 开始", "minutes 分钟"]  # fmt: skip
        title = f"waiting for confirmation 待确认 — {unit}: {len(found)}"
        console.print(fitted_table(headers, rows, names=3, title=escape(title)))
