"""Service orders over HTTP: the catalogue, 点单 (place), the loop's steps as actions (派单
assign, 接单 accept or decline, 办理 complete, 评单 rate, cancel), lists, one order, rates."""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse
from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StringConstraints

from commgov.cases.service.metrics import CaseRates
from commgov.kernel.actors import Actor
from commgov.kernel.values import INT32
from commgov.kernel.web.once import IdempotencyKey, once
from commgov.kernel.web.pages import Cursor, Limit, Page, decode_cursor, page_of
from commgov.kernel.web.routes import PROBLEMS, PathId
from commgov.kernel.web.state import Caller, service
from commgov.orders.model.limits import (
    FIELD_NAME_MAX,
    FIELD_VALUE_MAX,
    FIELDS_MAX,
    ITEM_CODE_MAX,
    NOTE_MAX,
    PROVIDER_MAX,
    REASON_MAX,
)
from commgov.orders.model.order import Step
from commgov.orders.model.rules import ProviderKind
from commgov.orders.service.orders import OrderService
from commgov.orders.views import OrderView, ServiceItemView
from commgov.people.model.limits import UNIT_CODE_MAX

router = APIRouter(tags=["orders"], responses=PROBLEMS)
Orders = Annotated[OrderService, Depends(service(OrderService))]
UnitCode = Annotated[
    str, Query(min_length=1, max_length=UNIT_CODE_MAX, description="A unit's code.")
]
RowId = Annotated[int, Field(ge=1, le=INT32)]
Note = Annotated[str, StringConstraints(min_length=1, max_length=NOTE_MAX)]
Reason = Annotated[str, StringConstraints(min_length=1, max_length=REASON_MAX)]
Attachment = Annotated[str, StringConstraints(min_length=1, max_length=FIELD_VALUE_MAX)]


class _Body(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class OrderPlace(_Body):
    """点单: an item of the catalogue of the resident's grid, with its fields filled."""

    resident_id: RowId
    item: Annotated[str, StringConstraints(min_length=1, max_length=ITEM_CODE_MAX)]
    fields: Annotated[
        dict[
            Annotated[str, StringConstraints(min_length=1, max_length=FIELD_NAME_MAX)],
            Annotated[str, StringConstraints(max_length=FIELD_VALUE_MAX)],
        ],
        Field(max_length=FIELDS_MAX),
    ] = {}
    note: Reason | None = None


class AssignOrder(_Body):
    """派单: give the order to a department (code), a staff member (id) or an
    organisation, partner or talent (a name; ``lead_staff`` answers for it)."""

    action: Literal["assign"] = "assign"
    provider_kind: ProviderKind
    provider: Annotated[str, StringConstraints(min_length=1, max_length=PROVIDER_MAX)] | RowId
    note: Note | None = None
    lead_staff: RowId | None = None


class AcceptOrder(_Body):
    """接单: the provider takes the order on."""

    action: Literal["accept"] = "accept"
    reason: Reason | None = None


class DeclineOrder(_Body):
    """拒单: the provider declines, saying why; the order waits to be assigned again."""

    action: Literal["decline"] = "decline"
    reason: Reason


class CompleteOrder(_Body):
    """办理: the service is done."""

    action: Literal["complete"] = "complete"
    note: Note
    attachments: Annotated[tuple[Attachment, ...], Field(max_length=20)] = ()


class RateOrder(_Body):
    """评单: 3-5 closes the order, 1-2 has it done again."""

    action: Literal["rate"] = "rate"
    rating: Annotated[int, Field(ge=1, le=5)]
    note: Reason | None = None


class CancelOrder(_Body):
    action: Literal["cancel"] = "cancel"
    reason: Reason


OrderCommand = Annotated[
    AssignOrder | AcceptOrder | DeclineOrder | CompleteOrder | RateOrder | CancelOrder,
    Field(discriminator="action"),
]


def _act(orders: OrderService, actor: Actor, order_id: int, body: OrderCommand) -> OrderView:
    """Run one step of an order's loop."""
    if isinstance(body, AssignOrder):
        return orders.assign(
            actor, order_id, provider_kind=body.provider_kind, provider=body.provider,
            note=body.note, lead_staff=body.lead_staff,
        )  # fmt: skip
    if isinstance(body, AcceptOrder):
        return orders.respond(actor, order_id, accept=True, reason=body.reason)
    if isinstance(body, DeclineOrder):
        return orders.respond(actor, order_id, accept=False, reason=body.reason)
    if isinstance(body, CompleteOrder):
        return orders.complete(actor, order_id, note=body.note, attachments=body.attachments)
    if isinstance(body, RateOrder):
        return orders.rate(actor, order_id, rating=body.rating, note=body.note)
    return orders.cancel(actor, order_id, reason=body.reason)


@router.get("/units/{code}/service-catalogue", response_model=list[ServiceItemView])
def service_catalogue(*, code: str, actor: Caller, orders: Orders) -> list[ServiceItemView]:
    """The services offered in a unit (公共服务清单): the core's items and its plugins'."""
    return orders.catalogue(code)


@router.post("/orders", status_code=201, response_model=OrderView)
def place_order(
    *, request: Request, body: OrderPlace, actor: Caller, orders: Orders, key: IdempotencyKey = None
) -> JSONResponse:
    """点单: order a service for a resident; the one door (一门受理) accepts and triages its
    case at once."""

    def work() -> OrderView:
        return orders.place(
            actor, resident_id=body.resident_id, item=body.item, fields=body.fields,
            note=body.note,
        )  # fmt: skip

    return once(request, actor, key, body, work)


@router.post("/orders/{order_id}/actions", response_model=OrderView)
def act_on_order(
    *,
    request: Request,
    order_id: PathId,
    body: OrderCommand,
    actor: Caller,
    orders: Orders,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """One step of the order's loop, chosen by ``action``: ``assign``, ``accept``,
    ``decline``, ``complete``, ``rate``, ``cancel``."""
    return once(request, actor, key, body, lambda: _act(orders, actor, order_id, body), status=200)


@router.get("/orders", response_model=Page[OrderView])
def list_orders(
    *,
    actor: Caller,
    orders: Orders,
    unit: UnitCode,
    step: Step | None = None,
    item: Annotated[str | None, Query(min_length=1, max_length=ITEM_CODE_MAX)] = None,
    overdue: bool | None = None,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> Page[OrderView]:
    """Orders in the grids under ``unit``, oldest first, a page at a time."""
    found = orders.under(
        actor, unit, step=step, item=item, overdue=overdue, after_id=decode_cursor(cursor),
        limit=limit + 1,
    )  # fmt: skip
    return page_of(found, limit, key=lambda o: o.id)


@router.get("/orders/{order_id}", response_model=OrderView)
def get_order(*, order_id: PathId, actor: Caller, orders: Orders) -> OrderView:
    """One order (the resident's name masked unless the caller may read it)."""
    return orders.get(actor, order_id)


@router.get("/units/{code}/order-rates", response_model=CaseRates)
def order_rates(
    *,
    code: str,
    actor: Caller,
    orders: Orders,
    start: AwareDatetime | None = None,
    end: AwareDatetime | None = None,
) -> CaseRates:
    """The case loop's three rates for the service orders placed in a unit in
    ``[start, end)``."""
    return orders.rates(actor, code, start=start, end=end)
