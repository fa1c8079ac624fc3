"""一户一档 at a glance: per-unit counts of households, residents and complete files.

Counted in SQL without decrypting anything, so a town's 125,000 files are summarised in one
query. A resident's file is *complete* when both the identity number and the phone are on it
(the birth date always is)."""

from __future__ import annotations

import attrs
from sqlalchemy import Integer, case, distinct, func, select

from commgov.kernel.access import READ, Target
from commgov.kernel.actors import Actor
from commgov.kernel.context import Context
from commgov.people import tables as t
from commgov.people.repository import UnitRepository
from commgov.people.service.grids import load_unit


@attrs.frozen
class FileCounts:
    """Counts for one unit (the households and residents attached to it directly)."""

    unit_code: str
    households: int
    households_with_members: int
    residents: int
    complete_files: int
    care_households: int


class HouseholdFiles:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def counts(self, actor: Actor, unit: str) -> dict[str, FileCounts]:
        """``{unit code: FileCounts}`` for every unit under ``unit`` that has households."""
        with self._ctx.uow(readonly=True) as uow:
            top = load_unit(uow, unit)
            self._ctx.authorize(actor, READ, Target(f"unit {top.code}", top.path))
            codes = {u.id: u.code for u in uow.repo(UnitRepository).subtree(top)}
            h, r = t.households, t.residents
            homes = (
                select(h.c.unit_id, func.count().label("n"))
                .where(h.c.unit_id.in_(list(codes)))
                .group_by(h.c.unit_id)
            )
            complete = case(
                (r.c.id_cipher.is_not(None) & r.c.phone_cipher.is_not(None), 1), else_=0
            )
            cared = case((r.c.care_groups != "", r.c.household_id), else_=None)
            people = (
                select(
                    r.c.unit_id,
                    func.count().label("residents"),
                    func.sum(complete.cast(Integer)).label("complete"),
                    func.count(distinct(r.c.household_id)).label("with_members"),
                    func.count(distinct(cared)).label("care"),
                )
                .where(r.c.unit_id.in_(list(codes)))
                .group_by(r.c.unit_id)
            )
            found = {row.unit_id: int(row.n) for row in uow.conn.execute(homes)}
            by_unit = {row.unit_id: row for row in uow.conn.execute(people)}
        return {
            codes[unit_id]: FileCounts(
                unit_code=codes[unit_id],
                households=n,
                households_with_members=int(by_unit[unit_id].with_members)
                if unit_id in by_unit
                else 0,
                residents=int(by_unit[unit_id].residents) if unit_id in by_unit else 0,
                complete_files=int(by_unit[unit_id].complete or 0) if unit_id in by_unit else 0,
                care_households=int(by_unit[unit_id].care) if unit_id in by_unit else 0,
            )
            for unit_id, n in sorted(found.items(), key=lambda item: codes[item[0]])
        }

    def care_household_ids(self, actor: Actor, unit: str) -> list[int]:
        """Households under ``unit`` with at least one member in a care group (重点人群)."""
        with self._ctx.uow(readonly=True) as uow:
            top = load_unit(uow, unit)
            self._ctx.authorize(actor, READ, Target(f"unit {top.code}", top.path))
            ids = [u.id for u in uow.repo(UnitRepository).subtree(top)]
            r = t.residents
            query = (
                select(r.c.household_id)
                .distinct()
                .where(r.c.unit_id.in_(ids), r.c.care_groups != "")
                .order_by(r.c.household_id)
            )
            return [int(x) for x in uow.conn.execute(query).scalars()]
