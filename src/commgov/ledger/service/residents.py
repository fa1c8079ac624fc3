"""The residents a ledger call serves: found (a clerk-worded ``NotFoundError`` otherwise),
authorised, and for a write still living in the town (a clerk-worded ``StateError`` once they
died, moved out or were merged); and the name a reader may see."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from commgov.errors import NotFoundError, StateError
from commgov.kernel.access import READ_PERSONAL
from commgov.kernel.actors import Actor
from commgov.kernel.context import Context
from commgov.kernel.times import local_date, stored
from commgov.kernel.uow import UnitOfWork
from commgov.ledger.model import entity_id
from commgov.ledger.model.words import has_left, no_such
from commgov.people.model.personal import mask_name
from commgov.people.model.units import Unit, household_target
from commgov.people.repository import ResidentRepository


def ledger_resident(
    ctx: Context,
    uow: UnitOfWork,
    actor: Actor,
    resident_id: int,
    action: str,
    *,
    field: str = "resident_id",
    live: bool = False,
) -> tuple[Any, Unit]:
    """A resident's row and unit, once ``actor`` may ``action`` their household. With ``live``
    (a write that gives, takes or records something for them) the row is locked, so a life
    event on the same person waits or is waited for, and a resident who has left is refused."""
    found = entity_id(field, resident_id)
    at_home = uow.repo(ResidentRepository).at_home(found, lock=live)
    if at_home is None:
        raise NotFoundError("resident", found, message=no_such("resident", found))
    row, home = at_home
    ctx.authorize(actor, action, household_target(home, row.household_id))
    if live:
        refuse_left(ctx, row)
    return row, home


def ledger_residents(
    ctx: Context,
    uow: UnitOfWork,
    actor: Actor,
    resident_ids: Iterable[int],
    action: str,
    *,
    live: bool = False,
) -> dict[int, tuple[Any, Unit]]:
    """``ledger_resident`` for many residents (already checked ids) in one read, the rows
    locked in id order with ``live``; the first missing, refused or departed resident in id
    order raises as ``ledger_resident`` would."""
    found = uow.repo(ResidentRepository).all_at_home(resident_ids, lock=live)
    for resident_id in sorted(set(resident_ids)):
        if resident_id not in found:
            raise NotFoundError("resident", resident_id, message=no_such("resident", resident_id))
        row, home = found[resident_id]
        ctx.authorize(actor, action, household_target(home, row.household_id))
        if live:
            refuse_left(ctx, row)
    return found


def left_words(ctx: Context, row: Any) -> str | None:
    """How the resident left, in a clerk's words (``None`` while they live in the town)."""
    if row.left_at is None:
        return None
    day = local_date(stored(row.left_at), ctx.zone)
    return has_left(row.name, row.left_reason, day, row.merged_into)


def refuse_left(ctx: Context, row: Any) -> None:
    """A ``StateError`` in a clerk's words when the resident has left the town's files."""
    words = left_words(ctx, row)
    if words is not None:
        raise StateError(words)


def shown_name(ctx: Context, actor: Actor, row: Any, home: Unit) -> str:
    """The resident's name as ``actor`` may see it: a care-group member's is masked unless the
    actor may read personal data of their household."""
    if not row.care_groups:
        return str(row.name)
    if ctx.allowed(actor, READ_PERSONAL, household_target(home, row.household_id)):
        return str(row.name)
    return mask_name(row.name)
