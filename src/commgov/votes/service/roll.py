"""Who may vote: the roll each electorate gives, built when a vote opens and frozen with it.

One entry per person, whatever seats they hold (a council member with two seats is one
voter), one per household, or one per owning household with the floor area of every
dwelling it owns (one owner of several dwellings counts once in the headcount, as the
Supreme People's Court's interpretation of the owners' rights has it)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from commgov.councils.service.councils import serving
from commgov.errors import ValidationError
from commgov.kernel.actors import Actor
from commgov.kernel.uow import UnitOfWork
from commgov.people.model.units import Unit
from commgov.votes.model.limits import LABEL_MAX
from commgov.votes.model.values import RollEntry
from commgov.votes.repository import VoteRepository

REPRESENTATIVES_SEAT = "residents_rep"


def build_roll(
    uow: UnitOfWork, electorate: str, unit: Unit, council_id: int | None, day: dt.date
) -> list[RollEntry]:
    """The roll of ``electorate`` for a vote under ``unit`` (and ``council_id``) on ``day``."""
    repo = uow.repo(VoteRepository)
    if electorate in ("council", "representatives"):
        assert council_id is not None
        members = serving(uow, council_id, day)
        if electorate == "representatives":
            members = [m for m in members if m.seat == REPRESENTATIVES_SEAT]
        by_person = {m.voter_key: m.name for m in members}
        entries = [RollEntry(k, name[:LABEL_MAX], 1, 0) for k, name in by_person.items()]
    elif electorate == "households":
        entries = [
            RollEntry(f"household:{h}", address[:LABEL_MAX], 1, 0)
            for h, address in repo.households_living_under(unit.path)
        ]
    else:
        owned: dict[int, list[tuple[str, int]]] = defaultdict(list)
        for d in repo.dwellings_under(unit.path):
            owned[d.household_id].append((d.label, d.area))
        entries = [
            RollEntry(
                f"household:{h}",
                ", ".join(label for label, _ in found)[:LABEL_MAX],
                1,
                sum(area for _, area in found),
            )
            for h, found in owned.items()
        ]
    if not entries:
        raise ValidationError(
            "electorate", electorate, f"nobody is on this electorate's roll in unit {unit.code}"
        )
    return sorted(entries, key=lambda e: e.voter_key)


def voter_keys(actor: Actor) -> list[str]:
    """Every key the actor may be on a roll under: their household, themselves as a resident,
    themselves as a staff member."""
    keys = []
    if actor.household_id is not None:
        keys.append(f"household:{actor.household_id}")
    if actor.resident_id is not None:
        keys.append(f"resident:{actor.resident_id}")
    if actor.staff_id is not None:
        keys.append(f"staff:{actor.staff_id}")
    return keys
