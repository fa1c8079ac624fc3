"""Open wishes tied to people, handed over or closed when they leave (``OpenWork``).

- ``resident_left`` (died, moved out): their open wants and offers are withdrawn with the
  departure's reason, and every live match of them (proposed or accepted) is cancelled, the
  capacity it held given back. Their suggestions stay open: they are about the community.
- ``resident_merged``: their wishes are re-pointed to the kept record.
- ``resident_moved``: nothing changes (the author keeps their wishes; their household is read
  when they act).
- ``staff_left`` / ``staff_moved``: the open wishes they authored (for ``staff_moved``, those in
  units under ``Departure.unit_ids``) go to the successor; without an active successor the
  life event is refused with a ``ValidationError`` naming ``hand_over_to``.
"""

from __future__ import annotations

from typing import Final

from commgov.kernel.actors import Actor
from commgov.kernel.context import Context
from commgov.kernel.handover import Departure, HandedOver
from commgov.kernel.uow import UnitOfWork
from commgov.people.repository import UnitRepository
from commgov.people.service.departures import taker
from commgov.wishes.model.limits import NOTE_MAX
from commgov.wishes.model.vocab import WISH_STATES
from commgov.wishes.repository import WishRepository
from commgov.wishes.service.desk import WishDesk, wish_categories
from commgov.wishes.service.posting import close

NAME: Final = "wishes"
OPEN: Final = ("open", "matched")


class WishHandOver:
    """The wishes' ``OpenWork`` (``commgov.capabilities.OPEN_WORK``)."""

    name = NAME

    def hand_over(
        self, ctx: Context, uow: UnitOfWork, actor: Actor, departure: Departure
    ) -> HandedOver:
        repo = uow.repo(WishRepository)
        person = departure.person_id
        if departure.kind == "resident_left":
            mine = repo.of_author(resident_id=person, states=OPEN)
            gone = [w for w in mine if w.kind in ("want", "offer")]
            if not gone:
                return HandedOver(NAME)
            desk = WishDesk(ctx, uow, actor, ctx.clock(), wish_categories(ctx))
            reason = f"{departure.reason}: resident {person} left"[:NOTE_MAX]
            locked = [w for w in desk.lock(w.id for w in gone).values() if w.state in OPEN]
            ended = close(desk, locked, "withdrawn", reason)
            _audit(ctx, uow, actor, departure, closed=len(gone), matches=ended)
            return HandedOver(NAME, closed=len(gone))
        if departure.kind == "resident_merged" and departure.successor_id is not None:
            mine = repo.of_author(resident_id=person, states=WISH_STATES)
            for wish in mine:
                repo.update(wish.id, {"author_resident_id": departure.successor_id})
            if mine:
                _audit(ctx, uow, actor, departure, handed_over=len(mine))
            return HandedOver(NAME, handed_over=len(mine))
        if departure.kind in ("staff_left", "staff_moved"):
            mine = repo.of_author(staff_id=person, states=OPEN)
            if departure.kind == "staff_moved":
                units = uow.repo(UnitRepository).many(departure.unit_ids)
                mine = [w for w in mine if any(w.unit_path.startswith(u.path) for u in units)]
            if not mine:
                return HandedOver(NAME)
            taker = _successor(uow, departure, len(mine))
            for wish in mine:
                repo.update(wish.id, {"author_staff_id": taker})
            _audit(ctx, uow, actor, departure, handed_over=len(mine))
            return HandedOver(NAME, handed_over=len(mine))
        return HandedOver(NAME)


def _successor(uow: UnitOfWork, departure: Departure, count: int) -> int:
    return taker(uow, departure, f"authored {count} open wish{'es' if count != 1 else ''}")


def _audit(
    ctx: Context,
    uow: UnitOfWork,
    actor: Actor,
    departure: Departure,
    *,
    closed: int = 0,
    handed_over: int = 0,
    matches: int = 0,
) -> None:
    detail: dict[str, object] = {
        "departure": departure.kind,
        "to": departure.successor_id,
        "closed": closed,
        "handed_over": handed_over,
        "matches_ended": matches,
    }
    ctx.audit(
        uow, actor, "wishes.hand_over", entity=departure.kind.split("_")[0],
        entity_id=departure.person_id,
        detail=detail,
    )  # fmt: skip


__all__ = ["NAME", "WishHandOver"]
