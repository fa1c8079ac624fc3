"""A page with a section per unit: the unit asked for (``?unit=``), else those the signed-in
staff member answers for; a unit they may not read is left out, or, when asked for, a 404."""

from __future__ import annotations

from collections.abc import Callable

from fastapi import Request
from starlette.responses import Response

from commgov.api.console.i18n import gettext, language
from commgov.api.console.refusals import Problem, Refused, not_found
from commgov.api.console.site import ConsoleSite, Visitor
from commgov.api.console.staff_units import top_units
from commgov.errors import NotFoundError, PermissionDenied
from commgov.people.views import UnitView


def asked_units(site: ConsoleSite, visitor: Visitor, code: str | None) -> list[UnitView]:
    """The unit asked for, else the units the staff member is assigned to (the roots for a
    town-wide actor); an unknown unit is ``NotFoundError``."""
    if code is None:
        return top_units(site, visitor.actor)
    return [site.cg.grids.get(code)]


def unit_code(given: str | None) -> str | None:
    """The unit asked for, stripped (``None`` when blank); a code of digits only."""
    if given is None or not given.strip():
        return None
    text = given.strip()
    if not text.isdigit() or len(text) > 32:
        raise Refused(Problem("unit", given, "expected a unit's code (digits)"))
    return text


def unknown_unit(site: ConsoleSite, request: Request, visitor: Visitor, code: str) -> Response:
    """The 404 page for a unit that does not exist or that the visitor may not read."""
    words = gettext(language(request), "There is no unit {code} you may read.")
    return not_found(site, request, visitor, words.format(code=code))


def refused(
    site: ConsoleSite, request: Request, visitor: Visitor, template: str, problem: Problem
) -> Response:
    """``template`` again with the refusal (422): nothing shown, nothing changed."""
    context = {"problem": problem.words(language(request)), "given": dict(request.query_params)}
    return site.page(request, visitor, template, {"sections": [], **context}, status=422)


def per_unit(
    site: ConsoleSite, request: Request, visitor: Visitor, template: str,
    build: Callable[[UnitView], object],
) -> Response:  # fmt: skip
    """``template`` with a section per unit asked for (``?unit=``) or answered for; a unit
    the actor may not read is left out, or, when asked for, a 404 page."""
    try:
        code = unit_code(request.query_params.get("unit"))
    except Refused as exc:
        return refused(site, request, visitor, template, exc.problem)
    try:
        units = asked_units(site, visitor, code)
    except NotFoundError:
        return unknown_unit(site, request, visitor, code or "")
    sections = []
    for unit in units:
        try:
            sections.append(build(unit))
        except PermissionDenied:
            if code is not None:
                return unknown_unit(site, request, visitor, code)
    context = {"sections": sections, "given": dict(request.query_params)}
    return site.page(request, visitor, template, context)
