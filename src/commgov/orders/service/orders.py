"""``cg.orders``: the service catalogue (公共服务清单) and service orders on the case loop.

Each order is a case (channel ``service_order``, category ``service``) plus a row of its own:
点单 ``place`` reports the case and the one door (一门受理) accepts and triages it at once;
派单 ``assign`` dispatches it to the provider's lead; 接单 ``respond`` starts it or records a
decline; 办理 ``complete`` resolves it and informs the resident; 评单 ``rate`` visits it and
closes it, or reopens it on a poor rating; ``cancel`` withdraws it. Each call is one unit of
work: the order's row is locked first, then its case is changed with the case loop's version
check."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Final, TypeVar

from commgov.cases.model.case import Case, Lead, stamp
from commgov.cases.model.vocab import SATISFIED_MIN, UNRESOLVED, Action, State
from commgov.cases.service.intake import Intake
from commgov.cases.service.metrics import CaseRates, MetricsQuery
from commgov.cases.views import (
    CaseReport,
    DispatchCommand,
    InformCommand,
    ResolveCommand,
    StartCommand,
    WithdrawCommand,
    parse,
)
from commgov.errors import NotFoundError, PermissionDenied, StateError, ValidationError
from commgov.kernel import actors as roles
from commgov.kernel.actors import Actor
from commgov.kernel.context import Context
from commgov.kernel.times import optional_utc
from commgov.kernel.values import INT32, check_int, check_text
from commgov.orders import calls
from commgov.orders.defaults import CATEGORY
from commgov.orders.model import order as steps
from commgov.orders.model.access import ORDER_ASSIGN, ORDER_HANDLE, ORDER_PLACE, ORDER_READ
from commgov.orders.model.limits import ITEM_CODE_MAX, NOTE_MAX, PROVIDER_MAX, REASON_MAX
from commgov.orders.model.order import STEP_NAMES, Order, Step, checked_fields, may_order, said
from commgov.orders.model.rules import DUTIES, PROVIDER_KINDS, ProviderKind, ServiceItem
from commgov.orders.service.loop import DOOR, OrderLoop
from commgov.orders.views import OrderView, ServiceItemView
from commgov.people.calls import care_groups, department_kinds
from commgov.people.model.units import household_target, unit_target
from commgov.people.repository import ResidentRepository
from commgov.people.service.grids import load_unit
from commgov.people.service.resident_rows import split_stored

T = TypeVar("T")
CHANNEL: Final = "service_order"
LIST_MAX: Final = 10_000
"""The most orders one list returns (page on with ``after_id``)."""
RATINGS: Final = range(1, 6)


class OrderService:
    """Service orders (点单 → 派单 → 接单 → 办理 → 评单). Reach it as ``cg.orders``."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    # -- the catalogue -------------------------------------------------------------------
    def catalogue(self, unit: str) -> list[ServiceItemView]:
        """The services offered in ``unit`` (a grid, or any unit): the core's items and those
        of the plugins applying there, a town's item replacing the core's of the same code."""
        with self._ctx.uow(readonly=True) as uow:
            where = load_unit(uow, unit)
        kinds, groups = department_kinds(self._ctx), care_groups(self._ctx)
        return [
            _item_view(item, kinds, groups)
            for item in calls.catalogue(self._ctx, where.path).values()
        ]

    # -- writing -------------------------------------------------------------------------
    def _write(self, actor: Actor, action: str, work: Callable[[OrderLoop], int]) -> OrderView:
        """Run ``work`` in one unit of work, write what it changed, audit it, view it."""
        with self._ctx.uow() as uow:
            loop = OrderLoop(self._ctx, uow, actor, self._ctx.clock())
            order_id = work(loop)
            loop.flush()
            order = loop.orders[order_id]
            detail: dict[str, object] = {"item": order.item, "step": order.step}
            if order.provider_kind is not None:
                detail["provider_kind"] = order.provider_kind
            self._ctx.audit(
                uow, actor, action, entity="service_order", entity_id=order_id, detail=detail
            )
            return loop.view(order_id)

    def place(
        self,
        actor: Actor,
        *,
        resident_id: int,
        item: str,
        fields: Mapping[str, str] | None = None,
        note: str | None = None,
    ) -> OrderView:
        """点单: order ``item`` of the resident's grid's catalogue for ``resident_id``, with the
        item's fields filled (every required one, none unknown) and an optional ``note``. The
        case is reported in the household's grid with the item's time limit to resolve, and
        accepted and triaged at once (一门受理). Step ``ordered``."""
        check_int("resident_id", resident_id, INT32)
        code = check_text("item", item, ITEM_CODE_MAX)
        text = None if note is None else check_text("note", note, NOTE_MAX).strip() or None

        def work(loop: OrderLoop) -> int:
            found = loop.uow.repo(ResidentRepository).at_home(resident_id)
            if found is None:
                raise NotFoundError("resident", resident_id)
            row, home = found
            if row.left_at is not None:
                why = f"no longer lives here ({row.left_reason or 'left'})"
                raise ValidationError("resident_id", resident_id, why)
            loop.batch.remember(home)
            loop.batch.remember_household(row.household_id, row.unit_id)
            self._ctx.authorize(actor, ORDER_PLACE, household_target(home, row.household_id))
            spec = self._item(home.path, home.code, code, split_stored(row.care_groups))
            filled = checked_fields(spec, fields if fields is not None else {})
            report = CaseReport(
                text=spec.name if text is None else f"{spec.name}：{text}",
                channel=CHANNEL,
                unit=home.code,
                category=CATEGORY.code,
                household_id=row.household_id,
            )
            case_id = Intake(loop.batch, loop.batch.new_ids(1), dt.timedelta(0)).take(
                report, resolve_within=spec.time_limit
            )
            order = Order(
                id=case_id,
                item=spec.code,
                item_name=spec.name,
                fields=filled,
                fee=spec.fee,
                time_limit=spec.time_limit,
                resident_id=resident_id,
                household_id=row.household_id,
                placed_at=loop.now,
            )
            self._door(loop, order)
            loop.add(order, row.name)
            return order.id

        return self._write(actor, "order.place", work)

    def _item(self, path: str, unit: str, code: str, groups: tuple[str, ...]) -> ServiceItem:
        offered = calls.catalogue(self._ctx, path)
        spec = offered.get(code)
        if spec is None:
            known = ", ".join(offered) or "none"
            raise ValidationError("item", code, f"not in the catalogue of {unit}; offered: {known}")
        if not may_order(spec, groups):
            labels = care_groups(self._ctx)
            who = ", ".join(labels.get(w, w) for w in spec.who)
            raise ValidationError("item", code, f"only {who} may order it; the resident is not")
        return spec

    def _door(self, loop: OrderLoop, order: Order) -> None:
        """一门受理: accept the new case and triage it to the service category's level, its
        response deadline from the deadline rule and its resolve deadline the item's."""
        case = loop.case(order)
        if case.state is not State.REPORTED:  # a plugin's commgov_case_duplicate merged it
            raise StateError(
                f"the case of the order was {case.state.value} at intake (into case "
                f"{case.merged_into}): service orders are not merged"
            )
        loop.quiet(order, Action.ACCEPT, by=DOOR)
        rules = loop.batch.rules
        level = rules.categories.get(CATEGORY.code).level
        due = rules.due_times(
            loop.batch.unit(case.unit_id).path,
            category=CATEGORY.code,
            severity=case.severity,
            level=level,
            respond_from=case.reported_at,
            resolve_from=case.reported_at,
            resolve_within=case.resolve_within,  # the item's time limit, kept by the case
        )
        data = {
            "category": CATEGORY.code,
            "severity": case.severity,
            "owner_level": level,
            **due,
        }
        loop.quiet(order, Action.TRIAGE, by=DOOR, data=data)

    def assign(
        self,
        actor: Actor,
        order_id: int,
        *,
        provider_kind: ProviderKind,
        provider: str | int,
        note: str | None = None,
        lead_staff: int | None = None,
    ) -> OrderView:
        """派单: give the order to a provider. ``department``: a department code (the
        department leads the case); ``staff``: a staff id (they lead it); ``organisation``,
        ``partner``, ``talent``: a name, and the staff member assigning (or ``lead_staff``)
        leads the case and answers for it. Again after a decline (or before the provider
        answered) it goes to the new provider, the case's lead re-pointed. Step ``assigned``."""
        if provider_kind not in PROVIDER_KINDS:
            kinds = ", ".join(PROVIDER_KINDS)
            raise ValidationError("provider_kind", provider_kind, f"expected one of {kinds}")
        given = _provider(provider_kind, provider)
        text = None if note is None else check_text("note", note, NOTE_MAX).strip() or None
        if lead_staff is not None:
            check_int("lead_staff", lead_staff, INT32)

        named = given if provider_kind == "department" else None

        def work(loop: OrderLoop) -> int:
            order = loop.load(order_id, department=named)
            loop.authorize(ORDER_ASSIGN, order)
            case = loop.case(order)
            returned = case.state is State.TRIAGED and order.step in ("accepted", "reopened")
            order = steps.assigned(order, provider_kind, given, returned=returned)
            lead = self._lead(loop, provider_kind, given, lead_staff)
            if case.state is State.TRIAGED:
                loop.run(order, DispatchCommand(lead=lead, note=text))
            elif case.state is State.DISPATCHED:
                held = case.lead.label() if case.lead is not None else None
                if held is not None and held != lead:
                    data = {"from": held, "to": lead, "reassign": True}
                    loop.quiet(order, Action.HAND_OVER, note=text or "改派 reassigned", data=data)
            else:
                raise StateError(f"order {order.id}'s case is {case.state.value}: cannot assign")
            loop.put(order)
            return order.id

        return self._write(actor, "order.assign", work)

    def _lead(
        self, loop: OrderLoop, kind: ProviderKind, provider: str, lead_staff: int | None
    ) -> str:
        """The case lead for this provider, checked (an active staff member, a department)."""
        batch = loop.batch
        if kind == "department":
            if not batch.lead_exists(Lead("department", provider)):  # the dispatch reuses it
                raise ValidationError("provider", provider, "no department with this code")
            return f"department:{provider}"
        if kind == "staff":
            if not batch.lead_exists(Lead("staff", provider)):
                raise ValidationError("provider", int(provider), "no active staff member")
            return f"staff:{provider}"
        accountable = lead_staff if lead_staff is not None else loop.actor.staff_id
        field = "lead_staff" if lead_staff is not None else "actor"
        if accountable is None:
            raise ValidationError(
                "lead_staff",
                None,
                f"an order given to a {kind} needs a staff member to answer for it: "
                "assign it as a staff member or name lead_staff",
            )
        if not batch.lead_exists(Lead("staff", str(accountable))):
            raise ValidationError(field, accountable, "not an active staff member")
        return f"staff:{accountable}"

    def respond(
        self, actor: Actor, order_id: int, *, accept: bool, reason: str | None = None
    ) -> OrderView:
        """接单: the provider accepts (the case starts; step ``accepted``) or declines with a
        ``reason`` (step ``declined``: the case stays dispatched until it is assigned again)."""
        if not isinstance(accept, bool):
            raise ValidationError("accept", accept, "expected True or False")
        if accept:
            text = None if reason is None else check_text("reason", reason, REASON_MAX).strip()
        else:
            if reason is None:
                raise ValidationError("reason", None, "say why the order is declined")
            text = said("reason", reason, REASON_MAX)

        def work(loop: OrderLoop) -> int:
            order = loop.load(order_id)
            loop.authorize(ORDER_HANDLE, order)
            self._given_to(loop, order)
            steps.check_step(order, "accept" if accept else "decline")
            self._case_in(loop, order, State.DISPATCHED, "respond")
            if accept:
                loop.run(order, StartCommand(note=text or None))
                order = steps.accepted(order)
            else:
                assert text is not None
                order = steps.declined(order, reason=text, at=loop.now, by=actor.label())
            loop.put(order)
            return order.id

        return self._write(actor, "order.respond", work)

    def complete(
        self, actor: Actor, order_id: int, *, note: str, attachments: Sequence[str] = ()
    ) -> OrderView:
        """办理: the service is done; ``note`` says what was done, ``attachments`` are
        references (photos, receipts). The case is resolved and the resident informed; step
        ``done``, waiting for the rating."""
        text = said("note", note, NOTE_MAX)
        command = parse(ResolveCommand, {"note": text, "attachments": tuple(attachments)})

        def work(loop: OrderLoop) -> int:
            order = loop.load(order_id)
            loop.authorize(ORDER_HANDLE, order)
            self._given_to(loop, order)
            steps.check_step(order, "complete")
            self._case_in(loop, order, State.IN_PROGRESS, "complete")
            loop.run(order, command)
            loop.run(order, InformCommand())
            order = steps.completed(order)
            loop.put(order)
            return order.id

        return self._write(actor, "order.complete", work)

    def rate(
        self, actor: Actor, order_id: int, *, rating: int, note: str | None = None
    ) -> OrderView:
        """评单: the ordering household (or staff, on a visit) rates the service 1-5. Satisfied
        (3-5): the case is visited and closed, step ``closed``. Poor (1-2): the case reopens
        with the item's time limit again, step ``reopened``, to be completed again."""
        if isinstance(rating, bool) or not isinstance(rating, int) or rating not in RATINGS:
            raise ValidationError("rating", rating, "expected a whole number from 1 to 5")
        text = None if note is None else check_text("note", note, REASON_MAX).strip() or None

        def work(loop: OrderLoop) -> int:
            order = loop.load(order_id)
            loop.authorize(ORDER_PLACE, order)
            steps.check_step(order, "rate")
            case = self._case_in(loop, order, State.INFORMED, "rate")
            satisfied = rating >= SATISFIED_MIN
            data: dict[str, object] = {"rating": rating}
            if not satisfied:
                rules = loop.batch.rules
                path = loop.batch.unit(case.unit_id).path
                data["resolve_due"] = stamp(rules.due(path, loop.now, order.time_limit))
            loop.quiet(order, Action.VISIT, note=text, data=data)
            if satisfied:
                loop.quiet(order, Action.CLOSE)
            order = steps.rated(order, satisfied=satisfied)
            loop.put(order)
            return order.id

        return self._write(actor, "order.rate", work)

    def cancel(self, actor: Actor, order_id: int, *, reason: str) -> OrderView:
        """Cancel an order not yet done (the case is withdrawn with ``reason``)."""
        text = said("reason", reason, REASON_MAX)

        def work(loop: OrderLoop) -> int:
            order = loop.load(order_id)
            loop.authorize(ORDER_PLACE, order)
            steps.check_step(order, "cancel")
            case = loop.case(order)
            if case.state not in UNRESOLVED:
                raise StateError(f"order {order.id}'s case is {case.state.value}: cannot cancel")
            loop.run(order, WithdrawCommand(note=text))
            order = steps.cancelled(order)
            loop.put(order)
            return order.id

        return self._write(actor, "order.cancel", work)

    @staticmethod
    def _case_in(loop: OrderLoop, order: Order, state: State, action: str) -> Case:
        case = loop.case(order)
        if case.state is not state:
            raise StateError(
                f"order {order.id} is {order.step} but its case is {case.state.value} "
                f"(the case loop moved it: escalated or handled directly): cannot {action}"
                + (" before it is assigned again" if case.state is State.TRIAGED else "")
            )
        return case

    def _given_to(self, loop: OrderLoop, order: Order) -> None:
        """Department staff handle only the orders given to their department or to them."""
        spec = self._ctx.roles.get(loop.actor.role)
        if spec is None or spec.acts_as != roles.DEPARTMENT_STAFF:
            return
        staff_id = loop.actor.staff_id
        mine = False
        if staff_id is not None and order.provider_kind == "staff":
            mine = order.provider == str(staff_id)
        elif staff_id is not None and order.provider_kind == "department":
            mine = loop.actor_department() == order.provider
        if not mine:
            given = f"{order.provider_kind} {order.provider}" if order.provider else "nobody yet"
            raise PermissionDenied(
                loop.actor.label(), ORDER_HANDLE, f"service order {order.id} (given to {given})"
            )

    # -- reading -------------------------------------------------------------------------
    def _read(self, actor: Actor, work: Callable[[OrderLoop], T]) -> T:
        with self._ctx.uow(readonly=True) as uow:
            return work(OrderLoop(self._ctx, uow, actor, self._ctx.clock()))

    def get(self, actor: Actor, order_id: int) -> OrderView:
        def work(loop: OrderLoop) -> OrderView:
            order = self._stored(loop, order_id)
            loop.authorize(ORDER_READ, order)
            return loop.view(order.id)

        return self._read(actor, work)

    @staticmethod
    def _stored(loop: OrderLoop, order_id: int) -> Order:
        check_int("order_id", order_id, INT32)
        found = loop.repo.get(order_id)
        if found is None:
            raise NotFoundError("service order", order_id)
        return loop.adopt(found)

    def under(
        self,
        actor: Actor,
        unit: str,
        *,
        step: Step | None = None,
        item: str | None = None,
        overdue: bool | None = None,
        after_id: int | None = None,
        limit: int = 100,
    ) -> list[OrderView]:
        """Orders in grids under ``unit``, oldest first (by id), that pass every filter given:
        ``step``, ``item`` (a code), ``overdue`` (``True``: unresolved and past the case's
        next deadline now; ``False``: not). ``limit`` caps the rows (at most 10,000);
        ``after_id`` continues after the last id of a previous page."""
        if step is not None and step not in STEP_NAMES:
            raise ValidationError("step", step, f"expected one of {', '.join(STEP_NAMES)}")
        if item is not None:
            check_text("item", item, ITEM_CODE_MAX)
        if overdue is not None and not isinstance(overdue, bool):
            raise ValidationError("overdue", overdue, "expected True, False or None")
        if after_id is not None:
            check_int("after_id", after_id, INT32)
        if isinstance(limit, bool) or not isinstance(limit, int) or not 1 <= limit <= LIST_MAX:
            raise ValidationError("limit", limit, f"expected a whole number from 1 to {LIST_MAX}")

        def work(loop: OrderLoop) -> list[OrderView]:
            top = load_unit(loop.uow, unit)
            self._ctx.authorize(actor, ORDER_READ, unit_target(top))
            found = loop.repo.listed(
                top.path, step=step, item=item, overdue=overdue, now=loop.now,
                after_id=after_id, limit=limit,
            )  # fmt: skip
            for order in found:
                loop.adopt(order)
            return loop.views([o.id for o in found])

        return self._read(actor, work)

    def rates(
        self,
        actor: Actor,
        unit: str,
        *,
        start: dt.datetime | None = None,
        end: dt.datetime | None = None,
    ) -> CaseRates:
        """The case loop's three rates (response, resolution, satisfaction) of the service
        orders placed in ``unit`` in ``[start, end)``."""
        optional_utc("start", start)
        optional_utc("end", end)
        with self._ctx.uow(readonly=True) as uow:
            top = load_unit(uow, unit)
            self._ctx.authorize(actor, ORDER_READ, unit_target(top))
        query = MetricsQuery(self._ctx, actor, unit, start=start, end=end, channel=CHANNEL)
        return query.rates()[0]


def _provider(kind: ProviderKind, provider: object) -> str:
    """The provider as stored: a staff id's digits, a department code, a name (stripped)."""
    if kind == "staff":
        if isinstance(provider, str) and provider.strip().isdigit():
            provider = int(provider.strip())
        return str(check_int("provider", provider, INT32))
    return said("provider", provider, PROVIDER_MAX)


def _item_view(
    item: ServiceItem, kinds: Mapping[str, str], groups: Mapping[str, str]
) -> ServiceItemView:
    return ServiceItemView(
        code=item.code,
        name=item.name,
        department=item.department,
        department_label=kinds.get(item.department, item.department),
        duty=item.duty,
        duty_label=DUTIES[item.duty],
        who=item.who,
        who_labels=tuple(
            "居民 resident" if w == "resident" else groups.get(w, w) for w in item.who
        ),
        required=item.required,
        optional=item.optional,
        time_limit=item.time_limit,
        fee=item.fee,
        group=item.group,
    )


__all__ = ["CHANNEL", "LIST_MAX", "OrderService"]
