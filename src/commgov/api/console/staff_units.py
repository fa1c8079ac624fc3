"""The units a staff member may see: those they are assigned to and every unit below them."""

from __future__ import annotations

from collections.abc import Sequence

from commgov.api.console.site import ConsoleSite
from commgov.errors import ValidationError
from commgov.kernel.actors import Actor
from commgov.people.views import UnitView


def top_units(site: ConsoleSite, actor: Actor) -> list[UnitView]:
    """The units the actor is assigned to (the roots for a town-wide actor)."""
    return site.cg.grids.assigned(actor) or site.cg.grids.roots()


def visible_units(site: ConsoleSite, actor: Actor) -> list[UnitView]:
    """The actor's units and every unit below them, each once, tops first."""
    seen: dict[str, UnitView] = {}
    for top in top_units(site, actor):
        for unit in (top, *site.cg.grids.descendants(top.code)):
            seen.setdefault(unit.code, unit)
    return list(seen.values())


def chosen_unit(given: str, units: Sequence[UnitView]) -> str:
    """``given`` when it is one of ``units``; else ``ValidationError`` on ``unit``."""
    if given not in {u.code for u in units}:
        raise ValidationError("unit", given, "not a unit you may see")
    return given
