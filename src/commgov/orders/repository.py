"""Loading and saving orders (SQLAlchemy Core on the unit of work's connection), model values
out. An order's case is loaded by the cases' own repository; the lists here join the case row
only to filter (where, overdue)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Final

import attrs
from sqlalchemy import (
    ColumnElement,
    and_,
    bindparam,
    exists,
    insert,
    not_,
    or_,
    select,
    update,
)

from commgov.cases.model.case import Case, ReportDetails
from commgov.cases.model.vocab import UNRESOLVED
from commgov.cases.repository import case_from_row, details_from_row
from commgov.cases.tables import cases
from commgov.kernel.repository import Repository
from commgov.orders.model.order import OPEN, Decline, Order
from commgov.orders.tables import service_orders
from commgov.people import tables as people
from commgov.people.model.units import Unit
from commgov.people.repository import under, unit_columns, unit_from_row

_OPEN: Final = sorted(OPEN)
_UNRESOLVED: Final = sorted(s.value for s in UNRESOLVED)
_CHANGING: Final = ("step", "provider_kind", "provider", "declines", "resident_id", "household_id")
"""The columns an order's life changes (the item, fields, fee and time limit never do)."""


def _decline_values(decline: Decline) -> dict[str, Any]:
    return {
        "provider_kind": decline.provider_kind,
        "provider": decline.provider,
        "reason": decline.reason,
        "at": decline.at.isoformat(),
        "by": decline.by,
    }


def _decline(data: dict[str, Any]) -> Decline:
    return Decline(
        provider_kind=data["provider_kind"],
        provider=data["provider"],
        reason=data["reason"],
        at=dt.datetime.fromisoformat(data["at"]),
        by=data["by"],
    )


def order_values(order: Order) -> dict[str, Any]:
    return {
        "case_id": order.id,
        "item": order.item,
        "item_name": order.item_name,
        "fields": dict(order.fields),
        "fee": order.fee,
        "time_limit_seconds": int(order.time_limit.total_seconds()),
        "resident_id": order.resident_id,
        "household_id": order.household_id,
        "step": order.step,
        "provider_kind": order.provider_kind,
        "provider": order.provider,
        "declines": [_decline_values(d) for d in order.declines],
        "placed_at": order.placed_at,
    }


def order_from_row(row: Any, prefix: str = "") -> Order:
    """The order of a ``service_orders`` row, or of its columns joined in as ``<prefix><name>``."""
    v = row._mapping
    return Order(
        id=v[f"{prefix}case_id"],
        item=v[f"{prefix}item"],
        item_name=v[f"{prefix}item_name"],
        fields=dict(v[f"{prefix}fields"]),
        fee=v[f"{prefix}fee"],
        time_limit=dt.timedelta(seconds=v[f"{prefix}time_limit_seconds"]),
        resident_id=v[f"{prefix}resident_id"],
        household_id=v[f"{prefix}household_id"],
        placed_at=v[f"{prefix}placed_at"],
        step=v[f"{prefix}step"],
        provider_kind=v[f"{prefix}provider_kind"],
        provider=v[f"{prefix}provider"],
        declines=tuple(_decline(d) for d in v[f"{prefix}declines"]),
    )


@attrs.frozen
class LoadedOrder:
    """An order with what every write on it needs, read in one statement: its case (and the
    case's report details), the case's grid and the ordering resident's name."""

    order: Order
    case: Case
    details: ReportDetails
    unit: Unit
    resident_name: str
    staff_department: str | None = None
    """The code of the department of the staff member ``load`` was asked about, if any."""
    staff_active: bool = False
    """Whether that staff member is active."""
    department_exists: bool = False
    """Whether the department code ``load`` was asked about is a department's."""


def overdue_at(now: dt.datetime) -> ColumnElement[bool]:
    """The order's case is unresolved and past its next deadline at ``now`` (as the case loop
    counts it: the response deadline until dispatched, then the resolve deadline)."""
    c = cases.c
    return and_(
        c.state.in_(_UNRESOLVED),
        or_(and_(c.responded_at.is_(None), c.response_due < now), c.resolve_due < now),
    )


# The statements every call runs, built once (their bound values given at each call).
_INSERT = insert(service_orders)
_GET = select(service_orders).where(service_orders.c.case_id == bindparam("id"))
_LOCK = _GET.with_for_update()
_SAVE = (
    update(service_orders)
    .where(service_orders.c.case_id == bindparam("_id"))
    .values({name: bindparam(name) for name in _CHANGING})
)
_NAMES = select(people.residents.c.id, people.residents.c.name).where(
    people.residents.c.id.in_(bindparam("ids", expanding=True))
)

_DEPARTMENT_CODE = select(people.departments.c.code).join(
    people.staff, people.staff.c.department_id == people.departments.c.id
)
_STAFF_DEPARTMENT = _DEPARTMENT_CODE.where(people.staff.c.id == bindparam("id"))
_LOAD = (
    select(
        cases,
        *(column.label(f"o_{column.name}") for column in service_orders.c),
        *unit_columns("u_"),
        people.residents.c.name.label("resident_name"),
        _DEPARTMENT_CODE.where(people.staff.c.id == bindparam("staff"))
        .scalar_subquery()
        .label("staff_department"),
        exists()
        .where(people.staff.c.id == bindparam("staff"), people.staff.c.active.is_(True))
        .label("staff_active"),
        exists()
        .where(people.departments.c.code == bindparam("department"))
        .label("department_exists"),
    )
    .select_from(
        service_orders.join(cases, cases.c.id == service_orders.c.case_id)
        .join(people.units, people.units.c.id == cases.c.unit_id)
        .join(people.residents, people.residents.c.id == service_orders.c.resident_id)
    )
    .where(service_orders.c.case_id == bindparam("id"))
)
_LOAD_LOCK = _LOAD.with_for_update(of=[service_orders, cases])
"""Both rows locked, so that after waiting for another writer PostgreSQL reads both again
(it re-reads only the rows it locks): the case comes back at its newest version."""


class OrderRepository(Repository):
    def load(
        self,
        case_id: int,
        *,
        lock: bool = False,
        staff_id: int | None = None,
        department: str | None = None,
    ) -> LoadedOrder | None:
        """The order of this case with its case, grid and resident's name; the department of
        ``staff_id`` (the acting staff member) and whether they are active; whether
        ``department`` is a department's code (one an assignment names). ``lock`` holds the
        order's and the case's rows until the transaction ends."""
        statement = _LOAD_LOCK if lock else _LOAD
        values = {"id": case_id, "staff": staff_id, "department": department}
        row = self.conn.execute(statement, values).first()
        if row is None:
            return None
        return LoadedOrder(
            order=order_from_row(row, "o_"),
            case=case_from_row(row),
            details=details_from_row(row),
            unit=unit_from_row(row, "u_"),
            resident_name=str(row.resident_name),
            staff_department=row.staff_department,
            staff_active=bool(row.staff_active),
            department_exists=bool(row.department_exists),
        )

    def insert(self, order: Order) -> None:
        self.conn.execute(_INSERT, order_values(order))

    def get(self, case_id: int, *, lock: bool = False) -> Order | None:
        """The order of this case; ``lock`` holds its row until the transaction ends (on
        PostgreSQL; SQLite's writers hold the store's lock already)."""
        row = self.conn.execute(_LOCK if lock else _GET, {"id": case_id}).first()
        return None if row is None else order_from_row(row)

    def save(self, orders: Sequence[Order]) -> None:
        for order in orders:
            values = order_values(order)
            changed = {name: values[name] for name in _CHANGING}
            self.conn.execute(_SAVE, {"_id": order.id, **changed})

    def listed(
        self,
        path: str,
        *,
        step: str | None = None,
        item: str | None = None,
        overdue: bool | None = None,
        now: dt.datetime,
        after_id: int | None = None,
        limit: int | None = None,
    ) -> list[Order]:
        """Orders in grids under ``path`` that pass every filter given, by id."""
        o = service_orders.c
        query = select(service_orders).join(cases, cases.c.id == o.case_id)
        query = query.where(under(cases.c.unit_id, path))
        if step is not None:
            query = query.where(o.step == step)
        if item is not None:
            query = query.where(o.item == item)
        if overdue is not None:
            late = overdue_at(now)
            query = query.where(late if overdue else not_(late))
        if after_id is not None:
            query = query.where(o.case_id > after_id)
        query = query.order_by(o.case_id).limit(limit)
        return [order_from_row(row) for row in self.conn.execute(query)]

    def open_of_resident(self, resident_id: int) -> list[Order]:
        """The resident's orders not yet closed or cancelled, by id, locked."""
        o = service_orders.c
        query = select(service_orders).where(o.resident_id == resident_id, o.step.in_(_OPEN))
        query = query.order_by(o.case_id).with_for_update()
        return [order_from_row(row) for row in self.conn.execute(query)]

    def open_with_provider(
        self, kind: str, provider: str, paths: Sequence[str] | None = None
    ) -> list[Order]:
        """Open orders given to this provider (in grids under one of ``paths`` when given), by
        id, locked."""
        if paths is not None and not paths:
            return []
        o = service_orders.c
        query = select(service_orders).where(
            o.provider_kind == kind, o.provider == provider, o.step.in_(_OPEN)
        )
        if paths is not None:
            inner = select(cases.c.id).where(or_(*(under(cases.c.unit_id, p) for p in paths)))
            query = query.where(o.case_id.in_(inner))
        query = query.order_by(o.case_id).with_for_update()
        return [order_from_row(row) for row in self.conn.execute(query)]

    def department_of(self, staff_id: int) -> str | None:
        """The code of the staff member's department (``None``: none, or no such staff)."""
        return self.conn.execute(_STAFF_DEPARTMENT, {"id": staff_id}).scalar_one_or_none()

    def resident_names(self, ids: Sequence[int]) -> dict[int, str]:
        """The names of these residents (left ones included), by id."""
        rows = self.conn.execute(_NAMES, {"ids": sorted(set(ids))})
        return {int(i): str(name) for i, name in rows}


__all__ = ["LoadedOrder", "OrderRepository", "order_from_row", "order_values", "overdue_at"]
