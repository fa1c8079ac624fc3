"""师徒结对 and 银发调解团: mentor pairs and the pool of retired mediators, as plugin records.

A master (one of the 三师, or a retired mediator) mentors an apprentice (one of the 三员). An
apprentice has one mentor at a time: pairing again is refused until ``unpair``. Retired
mediators are staff with the ``silver_mediator`` role (so routing can send disputes to them);
``join_silver_pool`` records what each is good at."""

from __future__ import annotations

import datetime as dt
from typing import Final

import attrs

from commgov import Actor, Commgov, ConflictError, RecordView, StaffView, ValidationError
from commgov_yucheng7336 import vocab

MASTER_ROLES: Final = (*vocab.THREE_MASTERS, vocab.SILVER_MEDIATOR_ROLE)


@attrs.frozen
class MentorPair:
    master_id: int
    apprentice_id: int
    since: dt.datetime


def _staff(
    store: Commgov, actor: Actor, field: str, staff_id: object, roles: tuple[str, ...]
) -> StaffView:
    if isinstance(staff_id, bool) or not isinstance(staff_id, int):
        raise ValidationError(field, staff_id, "a staff id")
    try:
        member = store.staff.get(actor, staff_id)
    except LookupError:
        raise ValidationError(field, staff_id, "no staff member with this id") from None
    if member.role not in roles or not member.active:
        raise ValidationError(field, staff_id, f"an active {' or '.join(roles)}")
    return member


def _latest(store: Commgov, actor: Actor, under: str) -> dict[str, RecordView]:
    latest: dict[str, RecordView] = {}
    for record in store.records.find(actor, kind=vocab.MENTOR_PAIR, under=under):
        if record.ref is not None:
            latest[record.ref] = record
    return latest


def pair(store: Commgov, actor: Actor, *, master_id: int, apprentice_id: int) -> RecordView:
    """Pair a master with an apprentice (kept on the apprentice's unit)."""
    master = _staff(store, actor, "master_id", master_id, MASTER_ROLES)
    apprentice = _staff(store, actor, "apprentice_id", apprentice_id, vocab.THREE_OFFICERS)
    unit = apprentice.unit_codes[0]
    current = _latest(store, actor, unit).get(f"staff:{apprentice_id}")
    if current is not None and current.data["master_id"] is not None:
        raise ConflictError(
            f"apprentice_id={apprentice_id}: already mentored by staff {current.data['master_id']}"
        )
    return store.records.add(
        actor,
        kind=vocab.MENTOR_PAIR,
        unit=unit,
        data={"master_id": master.id, "apprentice_id": apprentice.id},
        ref=f"staff:{apprentice_id}",
    )


def unpair(store: Commgov, actor: Actor, *, apprentice_id: int) -> RecordView:
    """End an apprentice's current pairing."""
    apprentice = _staff(store, actor, "apprentice_id", apprentice_id, vocab.THREE_OFFICERS)
    unit = apprentice.unit_codes[0]
    current = _latest(store, actor, unit).get(f"staff:{apprentice_id}")
    if current is None or current.data["master_id"] is None:
        raise ValidationError("apprentice_id", apprentice_id, "has no mentor")
    return store.records.add(
        actor,
        kind=vocab.MENTOR_PAIR,
        unit=unit,
        data={"master_id": None, "apprentice_id": apprentice_id},
        ref=f"staff:{apprentice_id}",
    )


def pairs(store: Commgov, actor: Actor, under: str) -> list[MentorPair]:
    """The current pairs under a unit, by apprentice."""
    return sorted(
        (
            MentorPair(r.data["master_id"], r.data["apprentice_id"], r.at)
            for r in _latest(store, actor, under).values()
            if r.data["master_id"] is not None
        ),
        key=lambda p: p.apprentice_id,
    )


def mentor_of(store: Commgov, actor: Actor, apprentice_id: int) -> int | None:
    """The apprentice's current mentor, if any."""
    apprentice = _staff(store, actor, "apprentice_id", apprentice_id, vocab.THREE_OFFICERS)
    current = _latest(store, actor, apprentice.unit_codes[0]).get(f"staff:{apprentice_id}")
    return None if current is None else current.data["master_id"]


def join_silver_pool(
    store: Commgov, actor: Actor, *, staff_id: int, specialties: list[str]
) -> RecordView:
    """Record a retired mediator's specialties (e.g. 婚姻家庭, 邻里, 物业) in the pool."""
    member = _staff(store, actor, "staff_id", staff_id, (vocab.SILVER_MEDIATOR_ROLE,))
    if (
        not isinstance(specialties, list)
        or not specialties
        or not all(isinstance(s, str) and 0 < len(s.strip()) <= 40 for s in specialties)
    ):
        raise ValidationError("specialties", specialties, "1 or more texts of 1 to 40 characters")
    return store.records.add(
        actor,
        kind=vocab.SILVER_MEDIATOR,
        unit=member.unit_codes[0],
        data={"staff_id": staff_id, "specialties": [s.strip() for s in specialties]},
        ref=f"staff:{staff_id}",
    )


def silver_pool(store: Commgov, actor: Actor, under: str) -> dict[int, list[str]]:
    """The retired mediators under a unit and their specialties (latest record each)."""
    pool: dict[int, list[str]] = {}
    for record in store.records.find(actor, kind=vocab.SILVER_MEDIATOR, under=under):
        pool[int(record.data["staff_id"])] = list(record.data["specialties"])
    return pool
