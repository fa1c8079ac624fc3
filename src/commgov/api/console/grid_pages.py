"""The grid page: the signed-in person's units with their counts and the units below."""

from __future__ import annotations

from fastapi import FastAPI, Request
from starlette.responses import Response

from commgov.api.console.site import ConsoleSite
from commgov.errors import CommgovError


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
                counts = cg.grids.counts(actor, unit.code)
            except CommgovError:
                continue  # a unit the actor may not read is not shown
            rows.append({"unit": unit, "counts": counts, "below": cg.grids.children(unit.code)})
        return site.page(request, visitor, "grids.html", {"rows": rows})
