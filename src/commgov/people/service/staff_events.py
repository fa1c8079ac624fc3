"""Staff life events: leaving (deactivated) and being reassigned to other units. Each is dated,
audited, kept as ended postings, and hands the staff member's open work to a successor
(``commgov.kernel.handover``) in the same unit of work."""

from __future__ import annotations

import datetime as dt
from typing import Any

from commgov.errors import PermissionDenied, StateError, ValidationError
from commgov.kernel.access import MANAGE_STAFF, READ
from commgov.kernel.actors import Actor
from commgov.kernel.context import Context
from commgov.kernel.handover import Departure
from commgov.kernel.uow import UnitOfWork
from commgov.kernel.values import check_int
from commgov.people.model.units import unit_target
from commgov.people.repository import StaffRepository, UnitRepository
from commgov.people.service.departures import checked_reason, event_time, hand_over, successor
from commgov.people.service.grids import load_unit
from commgov.people.views import LifeEventView, PostingView

REASSIGNED = "reassigned"


def serving(uow: UnitOfWork, staff_id: int) -> Any:
    """A staff member's row, locked; ``StateError`` once they left."""
    row = uow.repo(StaffRepository).get_locked(check_int("staff_id", staff_id))
    if not row.active:
        raise StateError(f"staff_id={staff_id}: {left_text(row)}")
    return row


def left_text(row: Any) -> str:
    when = f" on {row.left_at:%Y-%m-%d}" if row.left_at is not None else ""
    why = f" ({row.left_reason})" if row.left_reason else ""
    return f"staff member {row.id} left{when}{why}"


def _posted_since(uow: UnitOfWork, row: Any) -> dt.datetime | None:
    """When the latest of the staff member's recorded postings (reassignments) began."""
    started = uow.repo(StaffRepository).recorded_since(row.id)
    return max(started, default=None)


def deactivate(
    ctx: Context,
    actor: Actor,
    staff_id: int,
    *,
    reason: str,
    hand_over_to: int | None,
    at: dt.datetime | None,
) -> LifeEventView:
    why = checked_reason(reason)
    with ctx.uow() as uow:
        row = serving(uow, staff_id)
        unit_ids = uow.repo(StaffRepository).unit_ids(row.id)
        for unit in uow.repo(UnitRepository).many(unit_ids):
            ctx.authorize(actor, MANAGE_STAFF, unit_target(unit))
        taker = successor(uow, row.id, hand_over_to)
        moment = event_time(ctx, at, _posted_since(uow, row))
        repo = uow.repo(StaffRepository)
        repo.end_postings(row, unit_ids, moment, why)
        repo.update(row.id, {"active": False, "left_at": moment, "left_reason": why})
        event = Departure(
            kind="staff_left",
            person_id=row.id,
            at=moment,
            reason=why,
            successor_id=taker,
            unit_ids=tuple(unit_ids),
        )
        done = hand_over(ctx, uow, actor, event)
        detail = {"hand_over_to": taker, "at": moment.isoformat(), "work": done.work}
        ctx.audit(uow, actor, "staff.deactivate", entity="staff", entity_id=row.id, detail=detail)
        return done


def reassign(
    ctx: Context,
    actor: Actor,
    staff_id: int,
    *,
    units: list[str],
    hand_over_to: int | None,
    at: dt.datetime | None,
) -> LifeEventView:
    if isinstance(units, str) or not isinstance(units, list | tuple) or not units:
        raise ValidationError("units", units, "expected a list of at least one unit code")
    with ctx.uow() as uow:
        row = serving(uow, staff_id)
        wanted = {u.id: u for u in (load_unit(uow, c, field="units", live=True) for c in units)}
        current = set(uow.repo(StaffRepository).unit_ids(row.id))
        leaving = sorted(current - set(wanted))
        joining = sorted(set(wanted) - current)
        if not leaving and not joining:
            raise ValidationError("units", units, "they answer for exactly these units already")
        touched = uow.repo(UnitRepository).many([*leaving]) + [wanted[u] for u in joining]
        for unit in touched:
            ctx.authorize(actor, MANAGE_STAFF, unit_target(unit))
        taker = successor(uow, row.id, hand_over_to)
        moment = event_time(ctx, at, _posted_since(uow, row))
        repo = uow.repo(StaffRepository)
        repo.end_postings(row, leaving, moment, REASSIGNED)
        repo.assign(row.id, joining, since=moment)
        event = Departure(
            kind="staff_moved",
            person_id=row.id,
            at=moment,
            reason=REASSIGNED,
            successor_id=taker,
            unit_ids=tuple(leaving),
        )
        done = hand_over(ctx, uow, actor, event)
        codes = {u.id: u.code for u in touched}
        detail = {
            "left": [codes[u] for u in leaving],
            "joined": [codes[u] for u in joining],
            "hand_over_to": taker,
            "work": done.work,
        }
        ctx.audit(uow, actor, "staff.reassign", entity="staff", entity_id=row.id, detail=detail)
        return done


def postings(ctx: Context, actor: Actor, staff_id: int) -> list[PostingView]:
    check_int("staff_id", staff_id)
    with ctx.uow(readonly=True) as uow:
        found = uow.repo(StaffRepository).postings(staff_id)
        units = {u.id: u for u in uow.repo(UnitRepository).many({p[0] for p in found})}
        if not any(ctx.allowed(actor, READ, unit_target(u)) for u in units.values()):
            raise PermissionDenied(actor.label(), READ, f"staff member {staff_id}")
        return [
            PostingView(unit_code=units[u].code, from_at=f, until_at=until, end_reason=why or None)
            for u, f, until, why in found
        ]
