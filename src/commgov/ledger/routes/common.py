"""What the ledger routes share: a transfer as JSON (``TransferView`` is an attrs record, not a
pydantic model), the fields bodies take, and the client id a POST defaults to."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import Path, Query
from pydantic import BaseModel, ConfigDict, Field, StrictInt

from commgov.errors import ValidationError
from commgov.kernel.values import INT32
from commgov.ledger.model.bounds import CLIENT_ID_MAX, MAX_AMOUNT
from commgov.ledger.views import Earning, TransferView
from commgov.people.model.limits import UNIT_CODE_MAX

ClientId = Annotated[
    str,
    Field(
        min_length=1,
        max_length=CLIENT_ID_MAX,
        description="The idempotency key of the ledger: a retry with the same id acts once. "
        "Defaults to the request's Idempotency-Key.",
    ),
]
TransferRef = Annotated[
    str, Field(min_length=1, max_length=CLIENT_ID_MAX, description="A transfer's client id.")
]
Amount = Annotated[StrictInt, Field(ge=1, le=MAX_AMOUNT)]
RowId = Annotated[StrictInt, Field(ge=1, le=INT32)]
UnitCode = Annotated[
    str, Path(min_length=1, max_length=UNIT_CODE_MAX, description="A unit's code.")
]
Month = Annotated[
    str | None,
    Query(pattern=r"^[0-9]{4}-[0-9]{2}$", description="A month, YYYY-MM (this month by default)."),
]


class Body(BaseModel):
    """A request body: unknown fields are refused."""

    model_config = ConfigDict(frozen=True, extra="forbid")


class TransferOut(BaseModel):
    """A transfer as stored, its times in UTC; ``replayed`` when a retry with the same client
    id returned the first result."""

    id: int
    ledger: str
    client_id: str
    kind: str
    debit_id: int
    credit_id: int
    amount: int
    reason: str
    actor: str
    created_at: dt.datetime
    pending_id: int | None = None
    reverses_id: int | None = None
    timeout_at: dt.datetime | None = None
    replayed: bool = False

    @classmethod
    def of(cls, view: TransferView) -> TransferOut:
        return cls.model_validate(view.model_dump())


class EarningOut(BaseModel):
    """What an earning gave: ``granted`` may be less than ``asked`` when a cap was reached
    (``cap`` says which, ``note`` says it in words); ``transfer`` is ``None`` when nothing was
    granted."""

    activity: str
    asked: int
    granted: int
    transfer: TransferOut | None = None
    cap: str | None = None
    note: str | None = None

    @classmethod
    def of(cls, earning: Earning) -> EarningOut:
        moved = earning.transfer
        return cls(
            activity=earning.activity,
            asked=earning.asked,
            granted=earning.granted,
            transfer=TransferOut.of(moved) if moved is not None else None,
            cap=earning.cap,
            note=earning.note,
        )


def client_id(given: str | None, key: str | None) -> str:
    """The body's ``client_id``, else the request's Idempotency-Key; a ``ValidationError`` on
    ``client_id`` when there is neither."""
    found = given if given is not None else key
    if found is None:
        raise ValidationError(
            "client_id", None, "give a client_id in the body or an Idempotency-Key header"
        )
    return found
