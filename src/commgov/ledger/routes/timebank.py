"""The time bank (时间银行) over HTTP: record a volunteer's service, confirm it, give minutes
within a household, a resident's statement."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Request
from fastapi.responses import JSONResponse
from pydantic import AwareDatetime, Field

from commgov.kernel.web.once import IdempotencyKey, once
from commgov.kernel.web.routes import PROBLEMS, PathId
from commgov.kernel.web.state import Caller, service
from commgov.ledger.routes.common import (
    Amount,
    Body,
    ClientId,
    Month,
    RowId,
    TransferOut,
    client_id,
)
from commgov.ledger.service.timebank import TimeBankService
from commgov.ledger.views import AccountStatement, ServiceView

router = APIRouter(tags=["time bank"], responses=PROBLEMS)
TimeBank = Annotated[TimeBankService, Depends(service(TimeBankService))]
SERVICE_KIND_MAX = 64


class NewService(Body):
    """A volunteer's service to a resident, from ``start`` to ``end`` (with their zones); its
    minutes are held until the recipient's side confirms."""

    provider_id: RowId
    recipient_id: RowId
    kind: str = Field(min_length=1, max_length=SERVICE_KIND_MAX)
    start: AwareDatetime
    end: AwareDatetime
    client_id: ClientId | None = None


class NewGift(Body):
    """Banked minutes given to someone of the giver's household (if the town allows it)."""

    receiver_id: RowId
    minutes: Amount
    client_id: ClientId | None = None


@router.post("/timebank/services", status_code=201, response_model=ServiceView)
def record_service(
    request: Request, body: NewService, actor: Caller, bank: TimeBank, key: IdempotencyKey = None
) -> JSONResponse:
    """Record a service (pending until confirmed). A retry with the same client id returns the
    service recorded the first time."""
    client = client_id(body.client_id, key)

    def work() -> ServiceView:
        return bank.record(
            actor,
            provider_id=body.provider_id,
            recipient_id=body.recipient_id,
            kind=body.kind,
            start=body.start,
            end=body.end,
            client_id=client,
        )

    return once(request, actor, key, body, work)


@router.post("/timebank/services/{service_id}/confirmation", response_model=ServiceView)
def confirm_service(
    *,
    request: Request,
    service_id: PathId,
    actor: Caller,
    bank: TimeBank,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """The recipient's household or their grid worker confirms a service: its minutes are
    posted to the volunteer, once (confirming again answers the service as it is)."""
    return once(request, actor, key, None, lambda: bank.confirm(actor, service_id), status=200)


@router.post("/residents/{resident_id}/timebank/gifts", status_code=201, response_model=TransferOut)
def give_minutes(
    *,
    request: Request,
    resident_id: PathId,
    body: NewGift,
    actor: Caller,
    bank: TimeBank,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Give a resident's banked minutes to someone of their household."""
    client = client_id(body.client_id, key)

    def work() -> TransferOut:
        moved = bank.give(
            actor, resident_id, body.receiver_id, minutes=body.minutes, client_id=client
        )
        return TransferOut.of(moved)

    return once(request, actor, key, body, work)


@router.get("/residents/{resident_id}/timebank/statement", response_model=AccountStatement)
def timebank_statement(
    *,
    resident_id: PathId,
    actor: Caller,
    bank: TimeBank,
    month: Month = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> AccountStatement:
    """A resident's banked minutes over a period, as the points statement, with ``waiting``:
    minutes recorded for them that wait for confirmation."""
    return bank.account_statement(actor, resident_id, month=month, start=start, end=end)
