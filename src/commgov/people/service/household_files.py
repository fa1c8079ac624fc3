"""一户一档 at a glance: per-unit counts of households, residents and complete files.

Counted in SQL without decrypting anything, so a town's 125,000 files are summarised in one
query. A resident's file is *complete* when both the identity number and the phone are on it
(the birth date always is)."""

from __future__ import annotations

from commgov.kernel.access import READ, Target
from commgov.kernel.actors import Actor
from commgov.kernel.context import Context
from commgov.people.repository import HouseholdRepository, ResidentRepository, UnitRepository
from commgov.people.service.grids import load_unit
from commgov.people.views import FileCounts


class HouseholdFiles:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def counts(self, actor: Actor, unit: str) -> dict[str, FileCounts]:
        """``{unit code: FileCounts}`` for every unit under ``unit`` that has households."""
        with self._ctx.uow(readonly=True) as uow:
            top = load_unit(uow, unit)
            self._ctx.authorize(actor, READ, Target(f"unit {top.code}", top.path))
            codes = {u.id: u.code for u in uow.repo(UnitRepository).subtree(top)}
            counts = uow.repo(HouseholdRepository).file_counts(codes)
        return dict(sorted(counts.items()))

    def care_household_ids(self, actor: Actor, unit: str) -> list[int]:
        """Households under ``unit`` with at least one member in a care group (重点人群)."""
        with self._ctx.uow(readonly=True) as uow:
            top = load_unit(uow, unit)
            self._ctx.authorize(actor, READ, Target(f"unit {top.code}", top.path))
            ids = [u.id for u in uow.repo(UnitRepository).subtree(top)]
            return uow.repo(ResidentRepository).care_household_ids(ids)
