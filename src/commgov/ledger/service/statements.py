"""A resident's statement on either ledger (points, time-bank minutes) over a period: what the
points and time-bank services both hand out."""

from __future__ import annotations

from collections.abc import Sequence

from commgov.kernel.access import READ
from commgov.kernel.actors import Actor
from commgov.kernel.context import Context
from commgov.kernel.times import local_date
from commgov.kernel.uow import UnitOfWork
from commgov.ledger import calls
from commgov.ledger.model import Line, Period, describe, resident_code, statement_lines
from commgov.ledger.repository import LedgerRepository, RewardRepository
from commgov.ledger.service.residents import ledger_resident, left_words, shown_name
from commgov.ledger.views import AccountStatement, StatementLine


def account_statement(
    ctx: Context, uow: UnitOfWork, actor: Actor, *, ledger: str, resident_id: int, period: Period
) -> AccountStatement:
    """The statement of ``resident_id``'s account on ``ledger`` over ``period``, to an actor
    who may read their household (a resident reads their own)."""
    row, home = ledger_resident(ctx, uow, actor, resident_id, READ)
    since, until = period.bounds(ctx.zone)
    repo = uow.repo(LedgerRepository)
    code = resident_code(row.id)
    found = repo.accounts_by_code(ledger, [code]).get(code)
    opening, waiting = 0, 0
    lines: tuple[StatementLine, ...] = ()
    if found is not None:
        built = statement_lines(repo.history(found.id, until=until), found.id, since, until)
        opening, waiting = built.opening, found.credits_pending
        lines = _worded(ctx, uow, ledger, home.path, built.lines)
    return AccountStatement(
        resident_id=row.id,
        name=shown_name(ctx, actor, row, home),
        ledger=ledger,
        start=period.start,
        end=period.end,
        opening=opening,
        lines=lines,
        closing=lines[-1].balance if lines else opening,
        waiting=waiting,
        left=left_words(ctx, row),
    )


def _worded(
    ctx: Context, uow: UnitOfWork, ledger: str, unit_path: str, built: Sequence[Line]
) -> tuple[StatementLine, ...]:
    """The lines as handed out: each with its day in the store's zone and its reason in
    words (the town's activity labels, the rewards' names)."""
    activities: dict[str, str] = {}
    if ledger == "points":
        table = calls.points_table(ctx.plugins, unit_path)
        activities = {name: rule.label or name for name, rule in table.items()}
    reward_ids = [
        int(rest)
        for line in built
        if (parts := line.reason.partition(":"))[0] == "redeem" and (rest := parts[2]).isdigit()
    ]
    rewards = uow.repo(RewardRepository).names(reward_ids)
    return tuple(
        StatementLine(
            at=line.transfer.created_at,
            date=local_date(line.transfer.created_at, ctx.zone),
            reason=line.reason,
            label=describe(line.reason, line.amount > 0, activities=activities, rewards=rewards),
            amount=line.amount,
            balance=line.balance,
            transfer_id=line.transfer.id,
        )
        for line in built
    )
