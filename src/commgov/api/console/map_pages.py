"""The map page: a grid (or a community with its grids) and its households drawn as SVG on the
server, from the map a plugin enabled on the unit draws (``commgov_unit_map``, GeoJSON). The
core stores no boundaries: a unit without one is outlined around its households, and a unit
with nothing on its map says so in words."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Annotated, Any, Final

from fastapi import FastAPI, Query, Request
from starlette.responses import Response

from commgov.api.console import svgmap
from commgov.api.console.i18n import gettext, language
from commgov.api.console.site import ConsoleSite, NavLink, Visitor
from commgov.errors import CommgovError, NotFoundError, PermissionDenied, PluginError
from commgov.kernel.actors import Actor
from commgov.people.views import UnitView

CODE_MOST: Final = 40
CHOICE_DEPTH: Final = 2
"""The units offered for a map: the reader's own units and two levels below them."""

Words = Callable[[str], str]


def add_map_pages(app: FastAPI, site: ConsoleSite) -> None:
    """``/map?unit=<code>``: the SVG map of a unit the staff member may read."""
    site.add_nav(NavLink("/map", "Map"))

    @app.get("/map")
    def unit_map(
        request: Request, unit: Annotated[str, Query(max_length=CODE_MOST)] = ""
    ) -> Response:
        visitor = site.staff(request)
        if isinstance(visitor, Response):
            return visitor
        words: Words = partial(gettext, language(request))
        context: dict[str, Any] = {"choices": unit_choices(site, visitor.actor), "unit": None}
        code = unit.strip() or next((u.code for u in site.cg.grids.assigned(visitor.actor)), "")
        if not code:
            return site.page(request, visitor, "map.html", context)
        try:
            drawn = _drawn(site, visitor, code, words)
        except NotFoundError:
            problem = words("No unit has the code %(code)s.") % {"code": code}
            return _refused(site, request, visitor, context, problem=problem, status=404)
        except PermissionDenied:
            problem = words("The unit %(code)s is not one of yours.") % {"code": code}
            return _refused(site, request, visitor, context, problem=problem, status=404)
        except PluginError:
            problem = words("The plugin that draws the map of %(code)s answered wrongly.")
            return _refused(
                site, request, visitor, context, problem=problem % {"code": code}, status=500
            )
        except CommgovError as error:
            problem = words("The unit code %(code)s was refused: %(reason)s") % {
                "code": code,
                "reason": str(error),
            }
            return _refused(site, request, visitor, context, problem=problem, status=422)
        return site.page(request, visitor, "map.html", {**context, **drawn})


def _refused(
    site: ConsoleSite,
    request: Request,
    visitor: Visitor,
    context: dict[str, Any],
    *,
    problem: str,
    status: int,
) -> Response:
    return site.page(request, visitor, "map.html", {**context, "problem": problem}, status=status)


def unit_choices(site: ConsoleSite, actor: Actor) -> list[UnitView]:
    """The units offered to the reader (for a map, for a town page): their own units (the
    roots for a town-wide actor) and the two levels below them, by code."""
    out: dict[str, UnitView] = {}
    for base in site.cg.grids.assigned(actor) or site.cg.grids.roots():
        out.setdefault(base.code, base)
        for below in site.cg.grids.descendants(base.code):
            if below.depth <= base.depth + CHOICE_DEPTH:
                out.setdefault(below.code, below)
    return sorted(out.values(), key=lambda u: u.code)


def _drawn(site: ConsoleSite, visitor: Visitor, code: str, words: Words) -> dict[str, Any]:
    """The map page's context for ``code``: the unit, its SVG map (``None`` when nothing is
    on it) and, per unit, how many of its households are on the map."""
    cg, actor = site.cg, visitor.actor
    unit = cg.grids.get(code)
    collection = cg.reports.unit_map(actor, code) or {}
    homes = {h.id: h.unit_code for h in cg.residents.households_under(actor, code)}
    units = [unit, *cg.grids.descendants(code)]
    names = {u.code: u.name for u in units}
    dots = svgmap.dots_from(collection, homes)
    areas = svgmap.areas_from(collection, names)
    areas += svgmap.hull_areas(dots, names, drawn=[a.code for a in areas])
    rows = _rows(units, homes, dots)
    if not dots and not areas:
        return {"unit": unit, "svg": None, "rows": rows}
    title = f"{unit.name} {unit.code}"
    legend = svgmap.MapWords(
        title=title,
        households=words("Household (its file number)"),
        outline=words("Unit boundary"),
        hull=words("Area around its households"),
    )
    return {"unit": unit, "svg": svgmap.draw(areas, dots, legend), "rows": rows}


def _rows(
    units: list[UnitView], homes: dict[int, str], dots: list[svgmap.MapDot]
) -> list[dict[str, Any]]:
    """Each unit that has households: how many it has and how many are on the map."""
    rows = []
    for unit in units:
        filed = sum(1 for home in homes.values() if home == unit.code)
        if filed:
            placed = sum(1 for dot in dots if dot.unit_code == unit.code)
            rows.append({"unit": unit, "households": filed, "placed": placed})
    return rows
