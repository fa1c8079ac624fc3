"""A service order as a plain value, and its steps (点单 → 派单 → 接单 → 办理 → 评单).

The order's own step says where it stands in the seed's loop; the case it runs on carries the
deadlines, the events and the rates. ``CASE_STATES`` says which case state each step goes with
when only the order's service has moved the case."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Final, Literal, get_args

import attrs

from commgov.errors import StateError, ValidationError
from commgov.kernel.values import check_text, shown
from commgov.orders.model.limits import FIELD_VALUE_MAX, REASON_MAX
from commgov.orders.model.rules import RESIDENTS, ProviderKind, ServiceItem

Step = Literal[
    "ordered", "assigned", "accepted", "declined", "done", "reopened", "closed", "cancelled"
]
STEPS: Final[dict[Step, str]] = {
    "ordered": "已点单 ordered",
    "assigned": "已派单 assigned",
    "accepted": "已接单 accepted",
    "declined": "已拒单 declined",
    "done": "已办结 done",
    "reopened": "重办 reopened",
    "closed": "已评单 closed",
    "cancelled": "已取消 cancelled",
}
STEP_NAMES: Final[tuple[Step, ...]] = get_args(Step)
FINAL: Final[frozenset[Step]] = frozenset({"closed", "cancelled"})
"""Steps an order never leaves."""
OPEN: Final[frozenset[Step]] = frozenset(STEP_NAMES) - FINAL
CASE_STATES: Final[dict[Step, str]] = {
    "ordered": "triaged",
    "assigned": "dispatched",
    "declined": "dispatched",
    "accepted": "in_progress",
    "reopened": "in_progress",
    "done": "informed",
    "closed": "closed",
    "cancelled": "withdrawn",
}
"""The case state of an order in each step (escalation by the case loop may move the case)."""

OrderAction = Literal["assign", "accept", "decline", "complete", "rate", "cancel"]
SOURCES: Final[dict[OrderAction, frozenset[Step]]] = {
    "assign": frozenset({"ordered", "assigned", "declined"}),
    "accept": frozenset({"assigned"}),
    "decline": frozenset({"assigned"}),
    "complete": frozenset({"accepted", "reopened"}),
    "rate": frozenset({"done"}),
    "cancel": frozenset({"ordered", "assigned", "accepted", "declined", "reopened"}),
}
"""The steps each action may be taken from."""


@attrs.frozen
class Decline:
    """A provider said no (接单 refused), with the reason."""

    provider_kind: ProviderKind
    provider: str
    reason: str
    at: dt.datetime
    by: str
    """The actor's label."""


@attrs.frozen
class Order:
    """What an order keeps beside its case: the item (code, name, fee and time limit as they
    were when ordered), the filled fields, the ordering resident, the provider, the step and
    the declines. Its id is its case's id."""

    id: int
    item: str
    item_name: str
    fields: Mapping[str, str]
    fee: int
    time_limit: dt.timedelta
    resident_id: int
    household_id: int
    placed_at: dt.datetime
    step: Step = "ordered"
    provider_kind: ProviderKind | None = None
    provider: str | None = None
    declines: tuple[Decline, ...] = ()


def check_step(order: Order, action: OrderAction) -> None:
    """``StateError`` unless ``action`` may be taken in the order's step."""
    if order.step not in SOURCES[action]:
        allowed = ", ".join(s for s in STEP_NAMES if s in SOURCES[action])
        raise StateError(f"order {order.id} is {order.step}: cannot {action} (only when {allowed})")


def assigned(order: Order, kind: ProviderKind, provider: str, *, returned: bool = False) -> Order:
    """Given to a provider; ``returned``: the case loop sent an accepted or reopened order's
    case back to be dispatched again (escalation), so it is assigned again from that step."""
    if not (returned and order.step in ("accepted", "reopened")):
        check_step(order, "assign")
    return attrs.evolve(order, step="assigned", provider_kind=kind, provider=provider)


def accepted(order: Order) -> Order:
    check_step(order, "accept")
    return attrs.evolve(order, step="accepted")


def declined(order: Order, *, reason: str, at: dt.datetime, by: str) -> Order:
    check_step(order, "decline")
    assert order.provider_kind is not None and order.provider is not None
    no = Decline(order.provider_kind, order.provider, reason, at, by)
    return attrs.evolve(order, step="declined", declines=(*order.declines, no))


def completed(order: Order) -> Order:
    check_step(order, "complete")
    return attrs.evolve(order, step="done")


def rated(order: Order, *, satisfied: bool) -> Order:
    check_step(order, "rate")
    return attrs.evolve(order, step="closed" if satisfied else "reopened")


def cancelled(order: Order) -> Order:
    check_step(order, "cancel")
    return attrs.evolve(order, step="cancelled")


# -- checks on what callers give -------------------------------------------------------------


def may_order(item: ServiceItem, care_groups: tuple[str, ...]) -> bool:
    """Whether a resident in ``care_groups`` may order ``item``."""
    return RESIDENTS in item.who or bool(set(item.who) & set(care_groups))


def checked_fields(item: ServiceItem, fields: object) -> dict[str, str]:
    """The filled fields, stripped: every required one present and not empty, none unknown."""
    if not isinstance(fields, Mapping):
        raise ValidationError("fields", fields, "expected a mapping of field name to text")
    known = item.fields
    out: dict[str, str] = {}
    for name, value in fields.items():
        field = f"fields.{name}"
        if name not in known:
            takes = ", ".join(known) or "no fields"
            given = shown(value) if isinstance(value, str) else value
            raise ValidationError(field, given, f"unknown field; {item.code} takes {takes}")
        text = check_text(field, value, FIELD_VALUE_MAX).strip()
        if text:
            out[str(name)] = text
        elif name in item.required:
            raise ValidationError(field, value, f"required by {item.code}: must not be empty")
    for name in item.required:
        if name not in out:
            raise ValidationError(f"fields.{name}", None, f"required by {item.code}")
    return {name: out[name] for name in known if name in out}


def said(field: str, value: object, limit: int = REASON_MAX) -> str:
    """A reason or note that must say something: text, stripped, not empty."""
    text = check_text(field, value, limit).strip()
    if not text:
        raise ValidationError(field, value, "must not be empty")
    return text
