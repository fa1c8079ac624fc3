"""Residents' life events: moving out or dying (迁出, 死亡), moving house, a record entered twice
merged into the other. Each is dated, audited, kept in the history, and hands the resident's
open work over (``commgov.kernel.handover``) in the same unit of work."""

from __future__ import annotations

import datetime as dt
from typing import Any, Final, Literal, get_args

from commgov.errors import StateError, ValidationError
from commgov.kernel.access import READ, READ_PERSONAL, WRITE
from commgov.kernel.actors import Actor
from commgov.kernel.context import Context
from commgov.kernel.handover import Departure
from commgov.kernel.uow import UnitOfWork
from commgov.kernel.values import check_int
from commgov.people.model.personal import mask_name
from commgov.people.model.units import Unit, household_target
from commgov.people.repository import HouseholdRepository, ResidentRepository, UnitRepository
from commgov.people.service.departures import event_time, hand_over
from commgov.people.service.resident_rows import split_stored
from commgov.people.views import LifeEventView, ResidencyView

LeaveReason = Literal["died", "moved_out"]
LEAVE_REASONS: Final[dict[LeaveReason, str]] = {"died": "死亡 died", "moved_out": "迁出 moved out"}
MOVED: Final = "moved"
MERGED: Final = "merged"


def living(uow: UnitOfWork, resident_id: int, *, field: str = "resident_id") -> Any:
    """A resident's row, locked, refused with ``StateError`` once they left the town's files."""
    row = uow.repo(ResidentRepository).get(check_int(field, resident_id), lock=True)
    if row.left_at is not None:
        why = LEAVE_REASONS.get(row.left_reason, row.left_reason)
        raise StateError(
            f"{field}={resident_id}: {mask_name(row.name)} left the files on "
            f"{row.left_at:%Y-%m-%d} ({why})"
        )
    return row


def since(row: Any) -> dt.datetime:
    """When the resident's current residency began: the recorded move-in, or the entry."""
    moment: dt.datetime = row.moved_in_at or row.created_at
    return moment


def moved_in(row: Any) -> dt.datetime | None:
    """A recorded move-in: no life event of the resident may be dated before it."""
    moment: dt.datetime | None = row.moved_in_at
    return moment


def leave(
    ctx: Context,
    actor: Actor,
    resident_id: int,
    *,
    reason: LeaveReason,
    at: dt.datetime | None,
) -> LifeEventView:
    if reason not in get_args(LeaveReason):
        raise ValidationError("reason", reason, f"expected one of {', '.join(LEAVE_REASONS)}")
    with ctx.uow() as uow:
        row = living(uow, resident_id)
        home = uow.repo(UnitRepository).get(row.unit_id)
        ctx.authorize(actor, WRITE, household_target(home, row.household_id))
        moment = event_time(ctx, at, moved_in(row))
        uow.repo(ResidentRepository).update(row.id, {"left_at": moment, "left_reason": reason})
        event = Departure(kind="resident_left", person_id=row.id, at=moment, reason=reason)
        done = hand_over(ctx, uow, actor, event)
        ctx.audit(
            uow,
            actor,
            "resident.leave",
            entity="resident",
            entity_id=row.id,
            detail={"reason": reason, "at": moment.isoformat(), "work": done.work},
        )
        return done


def move(
    ctx: Context, actor: Actor, resident_id: int, *, household_id: int, at: dt.datetime | None
) -> LifeEventView:
    check_int("household_id", household_id)
    with ctx.uow() as uow:
        row = living(uow, resident_id)
        if row.household_id == household_id:
            raise ValidationError("household_id", household_id, "they live there already")
        old_home = uow.repo(UnitRepository).get(row.unit_id)
        new_household = uow.repo(HouseholdRepository).get(household_id)
        new_home = uow.repo(UnitRepository).get(new_household.unit_id)
        if new_home.retired:
            raise ValidationError("household_id", household_id, "its unit was retired")
        ctx.authorize(actor, WRITE, household_target(old_home, row.household_id))
        ctx.authorize(actor, WRITE, household_target(new_home, household_id))
        moment = event_time(ctx, at, moved_in(row))
        repo = uow.repo(ResidentRepository)
        repo.end_residency(row, moment, MOVED)
        repo.update(
            row.id,
            {"household_id": household_id, "unit_id": new_home.id, "moved_in_at": moment},
        )
        event = Departure(
            kind="resident_moved",
            person_id=row.id,
            at=moment,
            reason=MOVED,
            unit_ids=(old_home.id,),
        )
        done = hand_over(ctx, uow, actor, event)
        detail = {"from": row.household_id, "to": household_id, "at": moment.isoformat()}
        ctx.audit(uow, actor, "resident.move", entity="resident", entity_id=row.id, detail=detail)
        return done


def merge(
    ctx: Context,
    actor: Actor,
    duplicate_id: int,
    *,
    into: int,
    fill: Any,
) -> LifeEventView:
    """``fill(kept_id, changes)`` writes the duplicate's values the kept record lacks (the
    resident service's update, so the same checks apply)."""
    check_int("into", into)
    if duplicate_id == into:
        raise ValidationError("into", into, "is the record being merged")
    with ctx.uow() as uow:
        repo = uow.repo(ResidentRepository)
        low, high = sorted((duplicate_id, into))  # lock in id order: two merges cannot deadlock
        rows = {
            low: living(uow, low, field="resident_id" if low == duplicate_id else "into"),
            high: living(uow, high, field="resident_id" if high == duplicate_id else "into"),
        }
        dup, kept = rows[duplicate_id], rows[into]
        for row in (dup, kept):
            home = uow.repo(UnitRepository).get(row.unit_id)
            ctx.authorize(actor, WRITE, household_target(home, row.household_id))
        moment = event_time(ctx, None, None)
        changes = _missing_on_kept(ctx, dup, kept)
        if dup.id_hash is not None and "identity_number" in changes:
            repo.update(dup.id, {"id_hash": None})  # the number moves to the kept record
        if changes:
            fill(into, changes)
        repo.end_residency(dup, moment, MERGED)
        repo.update(dup.id, {"left_at": moment, "left_reason": MERGED, "merged_into": into})
        event = Departure(
            kind="resident_merged",
            person_id=dup.id,
            at=moment,
            reason=MERGED,
            successor_id=into,
        )
        done = hand_over(ctx, uow, actor, event)
        detail = {"into": into, "filled": sorted(changes), "work": done.work}
        ctx.audit(uow, actor, "resident.merge", entity="resident", entity_id=dup.id, detail=detail)
        return done


def _missing_on_kept(ctx: Context, dup: Any, kept: Any) -> dict[str, Any]:
    """The duplicate's values the kept record lacks: identity number and phone when the kept
    one has none, and the union of care groups, skills and tags."""
    changes: dict[str, Any] = {}
    if kept.id_cipher is None and dup.id_cipher is not None:
        changes["identity_number"] = ctx.cipher.decrypt(dup.id_cipher)
    if kept.phone_cipher is None and dup.phone_cipher is not None:
        changes["phone"] = ctx.cipher.decrypt(dup.phone_cipher)
    for field in ("care_groups", "skills", "tags"):
        kept_labels = split_stored(getattr(kept, field))
        extra = [x for x in split_stored(getattr(dup, field)) if x not in kept_labels]
        if extra:
            changes[field] = [*kept_labels, *extra]
    for flag in ("is_volunteer", "is_party_member"):
        if getattr(dup, flag) and not getattr(kept, flag):
            changes[flag] = True
    return changes


# -- history ---------------------------------------------------------------------------------


def history(
    ctx: Context,
    actor: Actor,
    *,
    resident_id: int | None = None,
    household_id: int | None = None,
) -> list[ResidencyView]:
    """Residencies of one resident, or in one household, oldest first: the ended ones and the
    current ones (``until_at`` ``None`` while they live there)."""
    with ctx.uow(readonly=True) as uow:
        repo = uow.repo(ResidentRepository)
        if household_id is not None:
            household = uow.repo(HouseholdRepository).get(check_int("household_id", household_id))
            home = uow.repo(UnitRepository).get(household.unit_id)
            ctx.authorize(actor, READ, household_target(home, household.id))
            current = repo.of_household(household.id, include_left=True)
            ended = repo.residencies(household_id=household.id)
        else:
            row = repo.get(check_int("resident_id", resident_id))
            home = uow.repo(UnitRepository).get(row.unit_id)
            ctx.authorize(actor, READ, household_target(home, row.household_id))
            current = [row]
            ended = repo.residencies(resident_id=row.id)
        people = {r.id: r for r in current}
        for stay in ended:
            if stay.resident_id not in people:
                people[stay.resident_id] = repo.get(stay.resident_id)
        units = {u.id: u for u in uow.repo(UnitRepository).many({s.unit_id for s in ended})}
        units[home.id] = home
        found = [
            _residency(ctx, actor, people[s.resident_id], units[s.unit_id],
                       household_id=s.household_id, start=s.from_at, end=s.until_at,
                       reason=s.end_reason)
            for s in ended
        ]  # fmt: skip
        for row in current:
            if row.left_reason == MERGED:
                continue  # its stay here ended with the merge, among the ended ones
            row_home = home if row.unit_id == home.id else uow.repo(UnitRepository).get(row.unit_id)
            found.append(
                _residency(ctx, actor, row, row_home, household_id=row.household_id,
                           start=since(row), end=row.left_at, reason=row.left_reason)
            )  # fmt: skip
        return sorted(found, key=lambda v: (v.from_at, v.resident_id))


def _residency(
    ctx: Context,
    actor: Actor,
    row: Any,
    home: Unit,
    *,
    household_id: int,
    start: dt.datetime,
    end: dt.datetime | None,
    reason: str | None,
) -> ResidencyView:
    if end is not None:
        start = min(start, end)  # a stay that ended before its record was entered
    visible = ctx.allowed(actor, READ_PERSONAL, household_target(home, household_id))
    name = row.name if visible or not split_stored(row.care_groups) else mask_name(row.name)
    return ResidencyView(
        resident_id=row.id,
        household_id=household_id,
        unit_code=home.code,
        name=name,
        from_at=start,
        until_at=end,
        end_reason=reason,
    )
