"""Bookings tied to a resident, handed over or cancelled when they leave (``OpenWork``).

- ``resident_left`` (died, moved out): their pending and approved bookings that have not
  started are cancelled with the departure's reason, their places given back.
- ``resident_merged``: every booking of theirs becomes the kept record's (the same person).
- ``resident_moved``: their bookings that have not started follow them to their new home;
  those on resources not shared beyond a community their new home lies outside are
  cancelled (they could not book them now).
- ``staff_left`` / ``staff_moved``: nothing changes — staff book for their unit, and the
  unit keeps its bookings.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

from commgov.kernel.actors import Actor
from commgov.kernel.context import Context
from commgov.kernel.handover import Departure, HandedOver
from commgov.kernel.uow import UnitOfWork
from commgov.people.model.units import path_within
from commgov.people.repository import ResidentRepository, UnitRepository
from commgov.resources.model.limits import NOTE_MAX
from commgov.resources.model.slots import slot_starts
from commgov.resources.model.values import Booking
from commgov.resources.repository import Placed, ResourceRepository

NAME: Final = "resources"


class ResourceHandOver:
    """The resources' ``OpenWork`` (``commgov.capabilities.OPEN_WORK``)."""

    name = NAME

    def hand_over(
        self, ctx: Context, uow: UnitOfWork, actor: Actor, departure: Departure
    ) -> HandedOver:
        repo = uow.repo(ResourceRepository)
        person = departure.person_id
        if departure.kind == "resident_left":
            found = repo.future_of_resident(person, ctx.clock())
            note = f"{departure.reason}: resident {person} left"
            cancel(ctx, uow, actor, found, note)
            _audit(ctx, uow, actor, departure, closed=len(found))
            return HandedOver(NAME, closed=len(found))
        if departure.kind == "resident_merged" and departure.successor_id is not None:
            kept = uow.repo(ResidentRepository).get(departure.successor_id)
            moved = repo.repoint_resident(person, kept.id, kept.household_id)
            _audit(ctx, uow, actor, departure, handed_over=moved)
            return HandedOver(NAME, handed_over=moved)
        if departure.kind == "resident_moved":
            row = uow.repo(ResidentRepository).get(person)
            home = uow.repo(UnitRepository).get(row.unit_id)
            found = repo.future_of_resident(person, ctx.clock())
            barred = [
                (b, p)
                for b, p in found
                if not p.resource.shared and not path_within(home.path, p.scope)
            ]
            for booking, _ in found:
                repo.update_booking(
                    booking.id, {"household_id": row.household_id, "unit_id": home.id}
                )
            cancel(
                ctx, uow, actor, barred, f"moved to {home.code}, outside the resource's community"
            )
            _audit(ctx, uow, actor, departure, closed=len(barred))
            return HandedOver(NAME, closed=len(barred))
        return HandedOver(NAME)


def cancel(
    ctx: Context,
    uow: UnitOfWork,
    actor: Actor,
    found: Sequence[tuple[Booking, Placed]],
    note: str,
) -> None:
    """Cancel the bookings (in resource and start order), giving their places back."""
    repo, now = uow.repo(ResourceRepository), ctx.clock()
    values = {"state": "cancelled", "note": note[:NOTE_MAX], "decided_by": actor.label(),
              "decided_at": now}  # fmt: skip
    for booking, placed in found:
        resource = placed.resource
        starts = slot_starts(booking.starts_at, booking.ends_at, resource.slot)
        repo.release(resource.id, resource.capacity, starts, booking.party_size)
        repo.update_booking(booking.id, values)


def _audit(
    ctx: Context,
    uow: UnitOfWork,
    actor: Actor,
    departure: Departure,
    *,
    closed: int = 0,
    handed_over: int = 0,
) -> None:
    if not closed and not handed_over:
        return
    detail: dict[str, object] = {
        "departure": departure.kind, "to": departure.successor_id, "cancelled": closed,
        "handed_over": handed_over,
    }  # fmt: skip
    ctx.audit(
        uow, actor, "resources.hand_over", entity="resident", entity_id=departure.person_id,
        detail=detail,
    )  # fmt: skip


__all__ = ["NAME", "ResourceHandOver"]
