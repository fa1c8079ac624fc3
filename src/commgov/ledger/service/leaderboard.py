"""Leaderboards (积分排行) and lifetime points: who earned most under a unit in a period, with
the honour tiers (荣誉) their lifetime points reach. A record merged into another counts for
the kept one."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from commgov.kernel.actors import Actor
from commgov.kernel.context import Context
from commgov.kernel.uow import UnitOfWork
from commgov.ledger import calls
from commgov.ledger.model import ISSUANCE, Period, fold, ranked
from commgov.ledger.model.rules import HonourTier
from commgov.ledger.repository import LedgerRepository, ResidentLookup
from commgov.ledger.service.residents import shown_name
from commgov.ledger.views import Leaderboard, LeaderboardRow
from commgov.people.model.units import Unit
from commgov.people.repository import UnitRepository

LEDGER = "points"


def honour_tier(tiers: Sequence[HonourTier], lifetime: int) -> str | None:
    """The highest of ``tiers`` (lowest first) that ``lifetime`` points reach."""
    reached = [t.name for t in tiers if lifetime >= t.lifetime_points]
    return reached[-1] if reached else None


def lifetime_points(
    uow: UnitOfWork, resident_ids: Sequence[int], *, until: dt.datetime | None = None
) -> dict[int, int]:
    """Points each resident earned (from issuance), before ``until`` (UTC) when given, with
    what the records merged into them earned."""
    repo, lookup = uow.repo(LedgerRepository), uow.repo(ResidentLookup)
    issuance = repo.accounts_by_code(LEDGER, [ISSUANCE]).get(ISSUANCE)
    if issuance is None:
        return dict.fromkeys(resident_ids, 0)
    members = {rid: {rid, *lookup.merged_from(rid)} for rid in resident_ids}
    accounts = repo.accounts_of_residents(LEDGER, {m for ms in members.values() for m in ms})
    credited = repo.credited_from(issuance.id, [a.id for a in accounts.values()], until=until)
    return {
        rid: sum(credited.get(accounts[m].id, 0) for m in ms if m in accounts)
        for rid, ms in members.items()
    }


def leaderboard(
    ctx: Context, uow: UnitOfWork, actor: Actor, top: Unit, period: Period, *, limit: int
) -> Leaderboard:
    """The board of ``top`` (already authorised) over ``period``."""
    since, until = period.bounds(ctx.zone)
    repo, lookup = uow.repo(LedgerRepository), uow.repo(ResidentLookup)
    units = uow.repo(UnitRepository)
    issuance = repo.accounts_by_code(LEDGER, [ISSUANCE]).get(ISSUANCE)
    rows: list[LeaderboardRow] = []
    if issuance is not None:
        subtree = [u.id for u in units.subtree(top)]
        earned = repo.earned_by_resident(issuance.id, subtree, since=since, until=until)
        totals = fold(earned, lookup.merged_into(r for r, _ in earned))
        board = ranked(totals, limit)
        people = lookup.rows(rid for _, rid, _ in board)
        homes = {u.id: u for u in units.many({p.unit_id for p in people.values()})}
        lifetimes = lifetime_points(uow, [rid for _, rid, _ in board], until=until)
        tiers: dict[str, list[HonourTier]] = {}
        for rank, rid, amount in board:
            person = people[rid]
            home = homes[person.unit_id]
            if home.path not in tiers:
                tiers[home.path] = calls.honour_tiers(ctx.plugins, home.path)
            rows.append(
                LeaderboardRow(
                    rank=rank,
                    resident_id=rid,
                    name=shown_name(ctx, actor, person, home),
                    unit_code=home.code,
                    earned=amount,
                    lifetime=lifetimes[rid],
                    tier=honour_tier(tiers[home.path], lifetimes[rid]),
                )
            )
    return Leaderboard(unit_code=top.code, start=period.start, end=period.end, rows=tuple(rows))
