"""Who books, who sees, who decides.

- A **resident** (``Actor.resident(name, household_id, resident_id)``) books for themselves:
  the actor names its resident, who lives in its household and has not left the files. The
  party's unit is their home.
- **Staff** book for a unit they may write to: ``for_unit``, else the one unit they answer
  for, else the resource's own unit when they may write to it.
- A resource not ``shared`` takes bookings only from parties whose unit lies within its
  community; its ``bookers`` rule says whether residents, staff or both may book.
- Staff who may write to the resource's own unit decide: approve, reject, mark attended or
  no-show, close it; they and staff within reach read everything of it.
- A resource is seen by staff within reach of its unit, by anyone when it is shared, and by
  residents and staff of units within its community."""

from __future__ import annotations

from collections.abc import Sequence

import attrs

from commgov.errors import PermissionDenied, StateError, ValidationError
from commgov.kernel.access import READ, READ_PERSONAL, WRITE, Target
from commgov.kernel.actors import RESIDENT, Actor
from commgov.kernel.context import Context
from commgov.kernel.uow import UnitOfWork
from commgov.people.model.personal import mask_name
from commgov.people.model.units import (
    Unit,
    household_target,
    household_target_at,
    path_within,
    unit_target,
)
from commgov.people.repository import HouseholdRepository, UnitRepository
from commgov.people.service.grids import load_unit
from commgov.resources.model.values import Booking, Resource
from commgov.resources.model.vocab import BOOKERS, label
from commgov.resources.repository import Booker, Placed

COMMUNITIES = ("community", "village")
"""The kinds of unit a resource belongs to when it is not shared."""


@attrs.frozen
class Party:
    """Who a booking is for: a resident of a household, or a unit's staff."""

    unit: Unit
    resident_id: int | None = None
    household_id: int | None = None
    staff_id: int | None = None


def acts_as_resident(ctx: Context, actor: Actor) -> bool:
    spec = ctx.roles.get(actor.role)
    return actor.role == RESIDENT or (spec is not None and spec.acts_as == RESIDENT)


def scope_of(uow: UnitOfWork, unit: Unit) -> Unit:
    """The community a unit's resource belongs to: the unit itself or the nearest community
    or village above it; the unit itself when there is none."""
    if unit.kind in COMMUNITIES:
        return unit
    above = uow.repo(UnitRepository).many(unit.ancestor_ids)
    found = [u for u in above if u.kind in COMMUNITIES]
    return max(found, key=lambda u: u.depth) if found else unit


def booking_resident(ctx: Context, actor: Actor) -> int | None:
    """The resident the actor books as (``None`` for staff); a resident actor without its
    resident id is a ``ValidationError``."""
    if not acts_as_resident(ctx, actor):
        return None
    if actor.resident_id is None:
        raise ValidationError(
            "actor", actor.label(),
            "a resident books as themselves: give the actor its resident_id "
            "(Actor.resident(name, household_id, resident_id))",
        )  # fmt: skip
    return actor.resident_id


def party_of(
    ctx: Context,
    uow: UnitOfWork,
    actor: Actor,
    placed: Placed,
    *,
    for_unit: str | None,
    booker: Booker | None,
) -> Party:
    """The party the actor books for, once they may book the resource (``PermissionDenied``
    naming the rule that refuses them otherwise); ``booker``: the resident the actor books
    as, read with the resource (``booking_resident``)."""
    resource = placed.resource
    if booker is not None:
        party = _resident_party(ctx, actor, for_unit, booker)
        if resource.bookers == "staff":
            _refuse(actor, resource, f"only {label(BOOKERS, 'staff')} may book it")
    else:
        party = _staff_party(ctx, uow, actor, placed, for_unit)
        if resource.bookers == "residents":
            _refuse(actor, resource, f"only {label(BOOKERS, 'residents')} may book it")
    if not resource.shared and not path_within(party.unit.path, placed.scope):
        _refuse(
            actor, resource,
            f"it is not shared beyond {placed.scope.code} ({placed.scope.name}) and "
            f"{party.unit.code} lies outside (不对其他社区开放)",
        )  # fmt: skip
    return party


def _refuse(actor: Actor, resource: Resource, why: str) -> None:
    raise PermissionDenied(
        actor.label(), "book", f"resource {resource.id} ({resource.name}): {why}"
    )


def _resident_party(ctx: Context, actor: Actor, for_unit: str | None, booker: Booker) -> Party:
    if for_unit is not None:
        raise ValidationError("for_unit", for_unit, "a resident books for themselves")
    if booker.household_id != actor.household_id:
        raise PermissionDenied(
            actor.label(), "book for", f"resident {booker.id} (of another household)"
        )
    ctx.authorize(actor, WRITE, household_target(booker.home, booker.household_id))
    if booker.left_at is not None:
        raise StateError(
            f"resident {booker.id} ({mask_name(booker.name)}) left the files on "
            f"{booker.left_at:%Y-%m-%d}"
        )
    return Party(booker.home, resident_id=booker.id, household_id=booker.household_id)


def _staff_party(
    ctx: Context, uow: UnitOfWork, actor: Actor, placed: Placed, for_unit: str | None
) -> Party:
    if for_unit is not None:
        unit = load_unit(uow, for_unit, field="for_unit", live=True)
    elif len(actor.units) == 1:
        (unit,) = uow.repo(UnitRepository).many(actor.units)
    elif ctx.allowed(actor, WRITE, unit_target(placed.owner)):
        unit = placed.owner
    else:
        raise ValidationError("for_unit", None, "say which of your units the booking is for")
    ctx.authorize(actor, WRITE, unit_target(unit))
    return Party(unit, staff_id=actor.staff_id)


def check_decides(ctx: Context, actor: Actor, placed: Placed) -> None:
    """Staff who may write to the resource's own unit decide on its bookings."""
    ctx.authorize(actor, WRITE, unit_target(placed.owner))


def homes(ctx: Context, uow: UnitOfWork, actor: Actor) -> list[str]:
    """The paths of the units the actor books from: a resident's home, staff's units."""
    if acts_as_resident(ctx, actor):
        if actor.household_id is None:
            return []
        path = uow.repo(HouseholdRepository).unit_path(actor.household_id)
        return [] if path is None else [path]
    return [u.path for u in uow.repo(UnitRepository).many(sorted(actor.units))]


def sees(ctx: Context, actor: Actor, placed: Placed, paths: Sequence[str]) -> bool:
    """May the actor see the resource? (``paths``: the actor's ``homes``.)"""
    if placed.resource.shared or any(path_within(p, placed.scope) for p in paths):
        return actor.role in ctx.roles
    return not acts_as_resident(ctx, actor) and ctx.allowed(actor, READ, unit_target(placed.owner))


def check_sees(ctx: Context, uow: UnitOfWork, actor: Actor, placed: Placed) -> None:
    if not sees(ctx, actor, placed, homes(ctx, uow, actor)):
        resource = placed.resource
        raise PermissionDenied(actor.label(), READ, f"resource {resource.id} ({resource.name})")


def party_target(booking: Booking, party_code: str, party_path: str) -> Target:
    """The permission target of a booking's party: its household, or its unit."""
    if booking.household_id is not None:
        return household_target_at(party_code, party_path, booking.household_id)
    return Target(f"unit {party_code}", party_path)


def is_booker(ctx: Context, actor: Actor, booking: Booking) -> bool:
    """Is the actor the resident who booked, or the staff member who did?"""
    if acts_as_resident(ctx, actor):
        return booking.resident_id is not None and actor.resident_id == booking.resident_id
    return booking.staff_id is not None and actor.staff_id == booking.staff_id


def check_reads_booking(
    ctx: Context, actor: Actor, booking: Booking, placed: Placed, party: tuple[str, str]
) -> None:
    """The booker, staff within reach of the resource's unit or of the party read a booking."""
    if is_booker(ctx, actor, booking):
        return
    if not acts_as_resident(ctx, actor) and (
        ctx.allowed(actor, READ, unit_target(placed.owner))
        or ctx.allowed(actor, READ, party_target(booking, *party))
    ):
        return
    raise PermissionDenied(actor.label(), READ, f"booking {booking.id}")


def check_cancels(
    ctx: Context, actor: Actor, booking: Booking, placed: Placed, party: tuple[str, str]
) -> None:
    """The booker, staff of the resource's unit, or staff of the party's unit cancel."""
    if acts_as_resident(ctx, actor):
        if not is_booker(ctx, actor, booking):
            raise PermissionDenied(actor.label(), "cancel", f"booking {booking.id} (not theirs)")
        ctx.authorize(actor, WRITE, party_target(booking, *party))
        return
    if ctx.allowed(actor, WRITE, unit_target(placed.owner)):
        return
    ctx.authorize(actor, WRITE, party_target(booking, *party))


class Names:
    """The booker's label as one actor may see it: a resident's name masked unless the
    actor is that resident or may read the personal data of their household (asked once per
    household)."""

    def __init__(self, ctx: Context, actor: Actor) -> None:
        self._ctx, self._actor = ctx, actor
        self._allowed: dict[int, bool] = {}

    def shown(self, booking: Booking, party_code: str, party_path: str) -> str:
        role, _, name = booking.booked_by.partition(":")
        household = booking.household_id
        if booking.resident_id is None or household is None:
            return booking.booked_by
        if is_booker(self._ctx, self._actor, booking):
            return booking.booked_by
        allowed = self._allowed.get(household)
        if allowed is None:
            target = household_target_at(party_code, party_path, household)
            allowed = self._allowed[household] = self._ctx.allowed(
                self._actor, READ_PERSONAL, target
            )
        return booking.booked_by if allowed else f"{role}:{mask_name(name)}"
