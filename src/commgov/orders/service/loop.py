"""The orders of one unit of work and the cases they run on: one ``CaseBatch`` for the case
steps, the orders loaded (and locked) once, everything written at the end in a few statements.
Any error before ``flush`` writes nothing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Final

from commgov.cases.model.case import Case, Lead
from commgov.cases.model.machine import step
from commgov.cases.model.vocab import UNRESOLVED, Action
from commgov.cases.service.actions import run_action
from commgov.cases.service.batch import CaseBatch
from commgov.cases.service.cases import case_rules
from commgov.cases.views import CaseCommand
from commgov.errors import NotFoundError
from commgov.kernel.access import READ_PERSONAL, Target
from commgov.kernel.actors import Actor
from commgov.kernel.context import Context
from commgov.kernel.uow import UnitOfWork
from commgov.kernel.values import INT32, check_int
from commgov.orders.model.order import STEPS, Order
from commgov.orders.repository import OrderRepository
from commgov.orders.views import DeclineView, OrderView
from commgov.people.model.personal import mask_name

DOOR: Final = Actor.system("一门受理 one door")
"""Who accepts and triages every order as it is placed (一门受理: one door takes them all)."""


class OrderLoop:
    """Loaded and new orders of one unit of work, with the batch of their cases."""

    def __init__(self, ctx: Context, uow: UnitOfWork, actor: Actor, now: dt.datetime) -> None:
        self.ctx, self.uow, self.actor, self.now = ctx, uow, actor, now
        self.batch = CaseBatch(ctx, uow, case_rules(ctx), actor, now)
        self.repo = uow.repo(OrderRepository)
        self.orders: dict[int, Order] = {}
        self._loaded: dict[int, Order] = {}
        self._new: list[int] = []
        self._visible: dict[tuple[str, int], bool] = {}
        self._names: dict[int, str] = {}
        self._department: str | bool | None = False  # not read yet

    # -- orders --------------------------------------------------------------------------
    def load(
        self, order_id: int, field: str = "order_id", *, department: str | None = None
    ) -> Order:
        """The order (its row locked until the unit of work ends), or ``NotFoundError``;
        whether the acting staff member is active and ``department`` (a code an assignment
        names) exists are read with it."""
        check_int(field, order_id, INT32)
        found = self.orders.get(order_id)
        if found is None:
            loaded = self.repo.load(
                order_id, lock=True, staff_id=self.actor.staff_id, department=department
            )
            if loaded is None:
                raise NotFoundError("service order", order_id)
            self._department = loaded.staff_department
            if self.actor.staff_id is not None:  # they may lead the case they assign
                self.batch.know_lead(Lead("staff", str(self.actor.staff_id)), loaded.staff_active)
            if department is not None:
                self.batch.know_lead(Lead("department", department), loaded.department_exists)
            self.batch.adopt(loaded.case, loaded.details)
            self.batch.remember(loaded.unit)
            self._names[order_id] = loaded.resident_name
            found = self.adopt(loaded.order)
        return found

    def actor_department(self) -> str | None:
        """The code of the acting staff member's department (read with the first order
        loaded, else now); ``None``: none."""
        if self._department is False:
            staff_id = self.actor.staff_id
            self._department = None if staff_id is None else self.repo.department_of(staff_id)
        return self._department if isinstance(self._department, str) else None

    def adopt(self, order: Order) -> Order:
        """Hold an order read elsewhere (unless held already)."""
        if order.id not in self.orders:
            self.orders[order.id] = self._loaded[order.id] = order
        return self.orders[order.id]

    def add(self, order: Order, resident_name: str) -> None:
        self.orders[order.id] = order
        self._new.append(order.id)
        self._names[order.id] = resident_name

    def put(self, order: Order) -> None:
        self.orders[order.id] = order

    def case(self, order: Order) -> Case:
        return self.batch.case(order.id)

    def target(self, order: Order) -> Target:
        """The permission target of an order: its grid and the ordering household."""
        unit = self.batch.unit(self.case(order).unit_id)
        what = f"service order {order.id} in unit {unit.code}"
        return Target(what, unit.path, order.household_id)

    def authorize(self, action: str, order: Order) -> None:
        self.ctx.authorize(self.actor, action, self.target(order))

    # -- case steps ----------------------------------------------------------------------
    def run(self, order: Order, command: CaseCommand) -> Case:
        """A public case action, as ``cg.cases`` takes it (its case permission checked)."""
        return run_action(self.batch, order.id, command)

    def quiet(
        self,
        order: Order,
        action: Action,
        *,
        by: Actor | None = None,
        note: str | None = None,
        data: Mapping[str, Any] | None = None,
    ) -> Case:
        """A case step the order's own permission covers (the door's accept and triage, a
        resident's rating, re-pointing the lead): no second check on the case. A close calls
        ``commgov_case_closed`` as the case loop's own close does."""
        batch = self.batch
        who = by or self.actor
        new, event = step(
            self.case(order), action, at=batch.now, actor=who.label(), note=note, data=data
        )
        batch.record(new, event)
        if action is Action.CLOSE:
            batch.rules.closed(batch.info(new), new.rating, who)
        return new

    # -- output --------------------------------------------------------------------------
    def flush(self) -> None:
        """Write the cases (numbering new ones), then insert new orders and save changed ones."""
        self.batch.flush()
        for order_id in self._new:
            self.repo.insert(self.orders[order_id])
        changed = [self.orders[i] for i, old in self._loaded.items() if self.orders[i] is not old]
        self.repo.save(changed)

    def visible(self, order: Order) -> bool:
        """Whether the actor may read the ordering resident's personal data (cached)."""
        target = self.target(order)
        key = (str(target.unit_path), order.household_id)
        if key not in self._visible:
            self._visible[key] = self.ctx.allowed(self.actor, READ_PERSONAL, target)
        return self._visible[key]

    def views(self, ids: list[int]) -> list[OrderView]:
        """The orders (after ``flush`` for new ones) as the actor may see them."""
        orders = [self.orders[i] for i in ids]
        self.batch.load(ids)
        missing = [o.resident_id for o in orders if o.id not in self._names]
        names = self.repo.resident_names(missing) if missing else {}
        return [
            self._view(o, self._names.get(o.id) or names.get(o.resident_id, "")) for o in orders
        ]

    def view(self, order_id: int) -> OrderView:
        return self.views([order_id])[0]

    def _view(self, order: Order, name: str) -> OrderView:
        case = self.case(order)
        visible = self.visible(order)
        now = self.batch.now
        late = case.state in UNRESOLVED and (
            (case.responded_at is None and case.response_due < now) or case.resolve_due < now
        )
        return OrderView(
            id=order.id,
            number=str(case.number),
            item=order.item,
            item_name=order.item_name,
            unit_code=self.batch.unit(case.unit_id).code,
            resident_id=order.resident_id,
            resident_name=name if visible else mask_name(name),
            household_id=order.household_id,
            fields=dict(order.fields),
            fee=order.fee,
            step=order.step,
            step_label=STEPS[order.step],
            provider_kind=order.provider_kind,
            provider=order.provider,
            declines=tuple(
                DeclineView(
                    provider_kind=d.provider_kind,
                    provider=d.provider,
                    reason=d.reason,
                    at=d.at,
                    by=d.by,
                )
                for d in order.declines
            ),
            case_state=case.state.value,
            lead=case.lead.label() if case.lead else None,
            placed_at=order.placed_at,
            response_due=case.response_due,
            resolve_due=case.resolve_due,
            resolved_at=case.resolved_at,
            closed_at=case.closed_at,
            overdue=late,
            rating=case.rating,
            reopen_count=case.reopen_count,
            personal_visible=visible,
        )


__all__ = ["DOOR", "OrderLoop"]
