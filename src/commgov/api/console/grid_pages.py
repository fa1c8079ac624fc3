"""The grid page: the signed-in person's units with their counts (households, residents,
households with a member in a care group, open cases) and the units below."""

from __future__ import annotations

from typing import Any, Final

from fastapi import FastAPI, Request
from starlette.responses import Response

from commgov.api.console.site import ConsoleSite
from commgov.cases.model.vocab import UNRESOLVED
from commgov.errors import CommgovError
from commgov.facade import Commgov
from commgov.kernel.actors import Actor
from commgov.people.views import UnitView

OPEN_STATES: Final = frozenset(s.value for s in UNRESOLVED)


def add_grid_pages(app: FastAPI, site: ConsoleSite) -> None:
    """``/grids``: the units assigned to the staff member (the roots for a town-wide actor)."""
    cg = site.cg

    @app.get("/grids")
    def grids(request: Request) -> Response:
        visitor = site.staff(request)
        if isinstance(visitor, Response):
            return visitor
        actor = visitor.actor
        rows = []
        for unit in cg.grids.assigned(actor) or cg.grids.roots():
            try:
                rows.append(grid_row(cg, actor, unit))
            except CommgovError:
                continue  # a unit the actor may not read is not shown
        return site.page(request, visitor, "grids.html", {"rows": rows})


def grid_row(cg: Commgov, actor: Actor, unit: UnitView) -> dict[str, Any]:
    """One unit's line on the grid page: its counts and the units right below it."""
    counts = cg.grids.counts(actor, unit.code)
    counts["care_households"] = len(cg.household_files.care_household_ids(actor, unit.code))
    states = cg.cases.state_counts(actor, unit.code)
    counts["open_cases"] = sum(n for state, n in states.items() if state in OPEN_STATES)
    return {"unit": unit, "counts": counts, "below": cg.grids.children(unit.code)}
