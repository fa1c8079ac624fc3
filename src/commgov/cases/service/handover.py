"""Cases a departing staff member answers for, handed to a successor (``OpenWork``).

When a staff member leaves (``staff_left``) or stops answering for some units
(``staff_moved``: only cases in grids under ``Departure.unit_ids``), every case not in a
terminal state that they lead or co-operate on is handed to the successor with a
``hand_over`` event whose note is the departure's reason. Without a successor, or with one who
is not an active staff member, the whole life event is refused. Cases store their reporter as
an actor label and the reporting household, never a resident's id, so a resident merged into
another (``resident_merged``) leaves nothing to re-point; other departures leave the cases as
they are (a resident's own cases stay on record)."""

from __future__ import annotations

from typing import Final

from commgov.cases.model.actions import ACTIONS
from commgov.cases.model.case import Case
from commgov.cases.model.machine import step
from commgov.cases.model.vocab import Action
from commgov.cases.service.batch import CaseBatch
from commgov.cases.service.cases import case_rules
from commgov.kernel.actors import Actor
from commgov.kernel.context import Context
from commgov.kernel.handover import Departure, HandedOver
from commgov.kernel.uow import UnitOfWork
from commgov.people.repository import UnitRepository
from commgov.people.service.departures import taker

NAME: Final = "cases"
SHOWN_NUMBERS: Final = 5
"""Case numbers an error lists before ``…``."""


class CaseHandOver:
    """The cases' ``OpenWork`` (``commgov.capabilities.OPEN_WORK``)."""

    name = NAME

    def hand_over(
        self, ctx: Context, uow: UnitOfWork, actor: Actor, departure: Departure
    ) -> HandedOver:
        if departure.kind not in ("staff_left", "staff_moved"):
            return HandedOver(work=NAME)
        gone = f"staff:{departure.person_id}"
        batch = CaseBatch(ctx, uow, case_rules(ctx), actor, ctx.clock())
        paths = None
        if departure.kind == "staff_moved":
            paths = [u.path for u in uow.repo(UnitRepository).many(departure.unit_ids)]
        held = [batch.adopt(*stored) for stored in batch.repo.held_by(gone, paths)]
        if not held:
            return HandedOver(work=NAME)
        taker = _successor(uow, departure, held)
        for case in held:
            batch.authorize_case(ACTIONS[Action.HAND_OVER].permission, case)
            new, event = step(
                case,
                Action.HAND_OVER,
                at=batch.now,
                actor=actor.label(),
                note=departure.reason,
                data={"from": gone, "to": taker, "departure": departure.kind},
            )
            batch.record(new, event)
        batch.flush()
        detail: dict[str, object] = {
            "departure": departure.kind,
            "to": taker,
            "cases": len(held),
            "numbers": batch.numbers(c.id for c in held[:SHOWN_NUMBERS]),
        }
        ctx.audit(
            uow, actor, "cases.hand_over", entity="staff", entity_id=departure.person_id,
            detail=detail,
        )  # fmt: skip
        return HandedOver(work=NAME, handed_over=len(held))


def _successor(uow: UnitOfWork, departure: Departure, held: list[Case]) -> str:
    """``staff:<successor>``, or the ``ValidationError`` that refuses the departure."""
    gone = f"staff:{departure.person_id}"
    led = [c for c in held if c.lead is not None and c.lead.label() == gone]
    shown = ", ".join(str(c.number) for c in held[:SHOWN_NUMBERS])
    more = ", …" if len(held) > SHOWN_NUMBERS else ""
    what = (
        f"leads {len(led)} open case{'s' if len(led) != 1 else ''}"
        if len(led) == len(held)
        else f"leads or co-operates on {len(held)} open cases"
    )
    return f"staff:{taker(uow, departure, f'{what} ({shown}{more})')}"


__all__ = ["NAME", "CaseHandOver"]
