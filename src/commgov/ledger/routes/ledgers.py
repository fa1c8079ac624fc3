"""The double-entry ledgers over HTTP: an account, its history, a ledger's books, a transfer
and a batch of linked transfers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Path, Request
from fastapi.responses import JSONResponse
from pydantic import AwareDatetime, BaseModel, Field, StrictInt

from commgov.errors import ValidationError
from commgov.kernel.actors import Actor
from commgov.kernel.times import LONGEST
from commgov.kernel.web.once import IdempotencyKey, once
from commgov.kernel.web.pages import Cursor, Limit, Page, decode_cursor, page_of, stale_cursor
from commgov.kernel.web.routes import PROBLEMS
from commgov.kernel.web.state import Caller, service
from commgov.ledger.model import LEDGERS, TransferRequest
from commgov.ledger.model.bounds import CODE_MAX, MAX_AMOUNT, REASON_MAX
from commgov.ledger.routes.common import Body, ClientId, TransferOut, TransferRef, client_id
from commgov.ledger.service.ledger import LedgerService
from commgov.ledger.views import AccountView

router = APIRouter(tags=["ledgers"], responses=PROBLEMS)
Ledger = Annotated[LedgerService, Depends(service(LedgerService))]
LedgerName = Annotated[
    str, Path(min_length=1, max_length=CODE_MAX, description=f"One of {', '.join(LEDGERS)}.")
]
AccountCode = Annotated[
    str, Path(min_length=1, max_length=CODE_MAX, description="An account's code (resident:12).")
]
BATCH_MAX = 1000


class NewTransfer(Body):
    """One transfer on the ledger of the path. ``kind``: ``posted`` (single phase) or
    ``pending`` (held until posted or voided; ``timeout_seconds`` makes it expire), or
    ``post``/``void`` of the pending transfer whose client id is ``pending`` (their ``debit``
    and ``credit`` stay empty); ``reverses`` names a transfer this one corrects."""

    client_id: ClientId | None = None
    debit: str = Field(default="", max_length=CODE_MAX)
    credit: str = Field(default="", max_length=CODE_MAX)
    amount: StrictInt = Field(ge=0, le=MAX_AMOUNT)
    reason: str = Field(min_length=1, max_length=REASON_MAX)
    kind: Literal["posted", "pending", "post", "void"] = "posted"
    pending: TransferRef | None = None
    reverses: TransferRef | None = None
    timeout_seconds: StrictInt | None = Field(default=None, ge=1, le=int(LONGEST.total_seconds()))

    def request(self, ledger: str, client: str) -> TransferRequest:
        seconds = self.timeout_seconds
        timeout = None if seconds is None else dt.timedelta(seconds=seconds)
        return TransferRequest(
            client_id=client,
            ledger=ledger,
            debit=self.debit,
            credit=self.credit,
            amount=self.amount,
            reason=self.reason,
            kind=self.kind,
            pending=self.pending,
            reverses=self.reverses,
            timeout=timeout,
        )


class NewBatch(Body):
    """Linked transfers: all succeed or none does. An item without ``client_id`` takes the
    request's Idempotency-Key followed by ``:`` and its index (``key:0``, ``key:1`` …)."""

    transfers: list[NewTransfer] = Field(min_length=1, max_length=BATCH_MAX)


class Books(BaseModel):
    """Σ debits and Σ credits over a ledger, posted and pending: they always agree."""

    debits_posted: int
    credits_posted: int
    debits_pending: int
    credits_pending: int


def _submit(
    ledger: LedgerService, actor: Actor, requests: Sequence[TransferRequest]
) -> list[TransferOut]:
    return [TransferOut.of(t) for t in ledger.submit(actor, requests)]


@router.get("/ledgers/{ledger}/accounts/{code}", response_model=AccountView)
def get_account(ledger: LedgerName, code: AccountCode, actor: Caller, book: Ledger) -> AccountView:
    """An account with its balances, to a caller who may read it (a resident's account as
    their household, a unit's as the unit, the system's to the system only)."""
    return book.account(actor, ledger, code)


@router.get("/ledgers/{ledger}/accounts/{code}/history", response_model=Page[TransferOut])
def account_history(
    *,
    ledger: LedgerName,
    code: AccountCode,
    actor: Caller,
    book: Ledger,
    until: AwareDatetime | None = None,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> Page[TransferOut]:
    """The account's transfers, oldest first, up to ``until``, a page at a time."""
    with stale_cursor(cursor):
        found = book.history(
            actor, ledger, code, until=until, after_id=decode_cursor(cursor), limit=limit + 1
        )
    return page_of([TransferOut.of(t) for t in found], limit, key=lambda t: t.id)


@router.get("/ledgers/{ledger}/books", response_model=Books)
def ledger_books(ledger: LedgerName, actor: Caller, book: Ledger) -> dict[str, int]:
    """The ledger's totals (to the system role, by default)."""
    return book.books(actor, ledger)


@router.post("/ledgers/{ledger}/transfers", status_code=201, response_model=TransferOut)
def make_transfer(
    *,
    request: Request,
    ledger: LedgerName,
    body: NewTransfer,
    actor: Caller,
    book: Ledger,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """One transfer; the caller must be allowed to debit the account it takes from. A retry
    with the same client id returns the first transfer (``replayed``)."""
    wanted = body.request(ledger, client_id(body.client_id, key))
    return once(request, actor, key, body, lambda: _submit(book, actor, [wanted])[0])


@router.post(
    "/ledgers/{ledger}/transfer-batches", status_code=201, response_model=list[TransferOut]
)
def make_batch(
    *,
    request: Request,
    ledger: LedgerName,
    body: NewBatch,
    actor: Caller,
    book: Ledger,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """Linked transfers: all are applied or none is (the problem names the first that failed)."""
    wanted = []
    for index, item in enumerate(body.transfers):
        given = item.client_id
        if given is None and key is not None:
            given = f"{key}:{index}"
        try:
            wanted.append(item.request(ledger, client_id(given, None)))
        except ValidationError as exc:
            raise exc.with_context(f"transfer {index}") from None
    return once(request, actor, key, body, lambda: _submit(book, actor, wanted))
