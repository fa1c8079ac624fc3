"""Points (积分) over HTTP: earn, redeem a reward, the reward catalogue, a resident's
statement and a unit's leaderboard."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import Field

from commgov.kernel.web.once import IdempotencyKey, once
from commgov.kernel.web.routes import PROBLEMS, PathId
from commgov.kernel.web.state import Caller, service
from commgov.ledger.model.bounds import REASON_MAX
from commgov.ledger.routes.common import (
    Amount,
    Body,
    ClientId,
    EarningOut,
    Month,
    RowId,
    TransferOut,
    UnitCode,
    client_id,
)
from commgov.ledger.service.points import MAX_BOARD, PointsService
from commgov.ledger.views import AccountStatement, Leaderboard, RewardView

router = APIRouter(tags=["points"], responses=PROBLEMS)
Points = Annotated[PointsService, Depends(service(PointsService))]
BoardSize = Annotated[int, Query(ge=1, le=MAX_BOARD, description="Rows at most.")]


class NewEarning(Body):
    """Points for an activity of the town's table (``volunteer``, ``waste_sorting`` …),
    ``quantity`` times (hours for an hourly activity), trimmed to the day's and month's caps."""

    activity: str = Field(min_length=1, max_length=REASON_MAX - len("earn:"))
    quantity: Amount = 1
    client_id: ClientId | None = None


class NewRedemption(Body):
    """Spend points on a reward of the catalogue (one item of its stock)."""

    reward_id: RowId
    client_id: ClientId | None = None


@router.post("/residents/{resident_id}/points/earnings", status_code=201, response_model=EarningOut)
def earn_points(
    *,
    request: Request,
    resident_id: PathId,
    body: NewEarning,
    actor: Caller,
    points: Points,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Award points; ``granted`` says what the caps left. A retry with the same client id
    returns what the first call granted."""
    client = client_id(body.client_id, key)

    def work() -> EarningOut:
        earning = points.earn(
            actor, resident_id, body.activity, client_id=client, quantity=body.quantity
        )
        return EarningOut.of(earning)

    return once(request, actor, key, body, work)


@router.post(
    "/residents/{resident_id}/points/redemptions", status_code=201, response_model=TransferOut
)
def redeem_reward(
    *,
    request: Request,
    resident_id: PathId,
    body: NewRedemption,
    actor: Caller,
    points: Points,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Spend a resident's points on a reward: the points and one item of stock go together; a
    sold-out reward or too few points writes nothing."""
    client = client_id(body.client_id, key)

    def work() -> TransferOut:
        return TransferOut.of(points.redeem(actor, resident_id, body.reward_id, client_id=client))

    return once(request, actor, key, body, work)


@router.get("/units/{code}/rewards", response_model=list[RewardView])
def unit_rewards(code: UnitCode, actor: Caller, points: Points) -> list[RewardView]:
    """The reward catalogue at a unit: rewards offered there, above it and below it."""
    return points.rewards(actor, code)


@router.get("/residents/{resident_id}/points/statement", response_model=AccountStatement)
def points_statement(
    *,
    resident_id: PathId,
    actor: Caller,
    points: Points,
    month: Month = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> AccountStatement:
    """A resident's points over a ``month``, or ``start`` to ``end`` (days in the store's
    zone, both included): opening balance, each posting, closing balance."""
    return points.account_statement(actor, resident_id, month=month, start=start, end=end)


@router.get("/units/{code}/points/leaderboard", response_model=Leaderboard)
def points_leaderboard(
    *,
    code: UnitCode,
    actor: Caller,
    points: Points,
    month: Month = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    limit: BoardSize = 20,
) -> Leaderboard:
    """Residents under a unit who earned most points in the period, most first (names masked
    as the caller's rights require)."""
    return points.leaderboard(actor, code, month=month, start=start, end=end, limit=limit)
