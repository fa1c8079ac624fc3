"""Open orders tied to people, handed over or closed when they leave (``OpenWork``).

- ``resident_left`` (moved out of the town, died): the resident's open orders end with the
  departure's reason: one not yet done is cancelled (its case withdrawn), one done and waiting
  for its rating is closed unrated.
- ``resident_merged``: the resident's open orders go to the kept record (and its household).
- ``staff_left``, ``staff_moved`` (within ``Departure.unit_ids``): open orders given to the
  staff member as provider go to the successor. The case's lead is handed over by the cases'
  own ``OpenWork`` already; without a fit successor the whole life event is refused.
- ``resident_moved``: orders stay as they are (the resident still lives in the town)."""

from __future__ import annotations

from typing import Final

import attrs

from commgov.cases.model.vocab import UNRESOLVED, State
from commgov.cases.views import CloseCommand, InformCommand, WithdrawCommand
from commgov.kernel.actors import Actor
from commgov.kernel.context import Context
from commgov.kernel.handover import Departure, HandedOver
from commgov.kernel.uow import UnitOfWork
from commgov.orders.model.order import Order, Step
from commgov.orders.service.loop import OrderLoop
from commgov.people.repository import ResidentRepository, UnitRepository
from commgov.people.service.departures import taker

NAME: Final = "orders"
SHOWN: Final = 5
"""Order ids an error lists before ``…``."""


class OrderHandOver:
    """The orders' ``OpenWork`` (``commgov.capabilities.OPEN_WORK``)."""

    name = NAME

    def hand_over(
        self, ctx: Context, uow: UnitOfWork, actor: Actor, departure: Departure
    ) -> HandedOver:
        loop = OrderLoop(ctx, uow, actor, ctx.clock())
        kind = departure.kind
        if kind == "resident_left":
            done = HandedOver(NAME, closed=_end(loop, departure))
        elif kind == "resident_merged":
            done = HandedOver(NAME, handed_over=_merge(loop, departure))
        elif kind in ("staff_left", "staff_moved"):
            done = HandedOver(NAME, handed_over=_repoint(loop, uow, departure))
        else:
            return HandedOver(NAME)
        if done.handed_over or done.closed:
            loop.flush()
            detail: dict[str, object] = {
                "departure": kind,
                "handed_over": done.handed_over,
                "closed": done.closed,
            }
            entity = "staff" if kind.startswith("staff") else "resident"
            ctx.audit(
                uow, actor, "orders.hand_over", entity=entity, entity_id=departure.person_id,
                detail=detail,
            )  # fmt: skip
        return done


def _end(loop: OrderLoop, departure: Departure) -> int:
    """Cancel or close the leaving resident's open orders with the departure's reason."""
    found = [loop.adopt(o) for o in loop.repo.open_of_resident(departure.person_id)]
    for order in found:
        case = loop.case(order)
        if case.state in UNRESOLVED:
            loop.run(order, WithdrawCommand(note=departure.reason))
            loop.put(attrs.evolve(order, step="cancelled"))
            continue
        if case.state is State.RESOLVED:
            loop.run(order, InformCommand(note=departure.reason))
        if loop.case(order).state in (State.INFORMED, State.VISITED):
            loop.run(order, CloseCommand(note=departure.reason))
        ended: Step = "closed" if loop.case(order).state is State.CLOSED else "cancelled"
        loop.put(attrs.evolve(order, step=ended))
    return len(found)


def _merge(loop: OrderLoop, departure: Departure) -> int:
    """Re-point the merged record's open orders to the kept record and its household."""
    kept = departure.successor_id
    found = [loop.adopt(o) for o in loop.repo.open_of_resident(departure.person_id)]
    if not found or kept is None:
        return 0
    household = loop.uow.repo(ResidentRepository).get(kept).household_id
    for order in found:
        loop.put(attrs.evolve(order, resident_id=kept, household_id=household))
    return len(found)


def _repoint(loop: OrderLoop, uow: UnitOfWork, departure: Departure) -> int:
    """Give the staff member's open orders (as provider) to the successor."""
    paths = None
    if departure.kind == "staff_moved":
        paths = [u.path for u in uow.repo(UnitRepository).many(departure.unit_ids)]
    gone = str(departure.person_id)
    found = [loop.adopt(o) for o in loop.repo.open_with_provider("staff", gone, paths)]
    if not found:
        return 0
    taker = _successor(uow, departure, found)
    for order in found:
        loop.put(attrs.evolve(order, provider=str(taker)))
    return len(found)


def _successor(uow: UnitOfWork, departure: Departure, found: list[Order]) -> int:
    shown = ", ".join(str(o.id) for o in found[:SHOWN]) + (", …" if len(found) > SHOWN else "")
    return taker(uow, departure, f"provides {len(found)} open service orders ({shown})")


__all__ = ["NAME", "OrderHandOver"]
