"""The households living in a compound, as the votes and the projects meet them."""

from __future__ import annotations

from commgov.facade import Commgov
from commgov.kernel.actors import Actor
from commgov.people.views import ResidentView


class Homes:
    """The residents living in a grid, read once: one per household (who votes and rates for
    it) and every one (who may give points)."""

    def __init__(self, cg: Commgov, admin: Actor) -> None:
        self._cg = cg
        self._admin = admin
        self._living: dict[str, list[ResidentView]] = {}

    def residents(self, grid: str) -> list[ResidentView]:
        if grid not in self._living:
            found = self._cg.residents.under(self._admin, grid)
            self._living[grid] = sorted((r for r in found if r.active), key=lambda r: r.id)
        return self._living[grid]

    def households(self, grid: str) -> list[ResidentView]:
        """One resident per household living in ``grid`` (its first member), by household."""
        first: dict[int, ResidentView] = {}
        for resident in self.residents(grid):
            first.setdefault(resident.household_id, resident)
        return [first[h] for h in sorted(first)]
