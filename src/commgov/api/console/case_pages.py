"""The case pages' routes: ``/cases`` (the board), ``/cases/{id}`` (a case) and
``/cases/{id}/act`` (a step taken from the case's page). What each shows and does lives in
``case_board``, ``case_detail`` and ``case_steps``."""

from __future__ import annotations

from typing import Annotated

from fastapi import FastAPI, Form, Request
from starlette.responses import Response

from commgov.api.console.case_board import board_page
from commgov.api.console.case_detail import case_page, missing_case, read_case_id
from commgov.api.console.case_steps import act_page
from commgov.api.console.site import ConsoleSite, NavLink

Field = Annotated[str, Form()]


def add_case_pages(app: FastAPI, site: ConsoleSite) -> None:
    """``/cases`` (the board), ``/cases/{id}`` (a case) and ``/cases/{id}/act`` (a step)."""
    site.add_nav(NavLink("/cases", "Case board"))

    @app.get("/cases")
    def board(
        request: Request,
        *,
        unit: str = "",
        category: str = "",
        channel: str = "",
        state: str = "",
        after: str = "",
    ) -> Response:
        visitor = site.staff(request)
        if isinstance(visitor, Response):
            return visitor
        given = {"unit": unit, "category": category, "channel": channel}
        return board_page(site, request, visitor, given | {"state": state, "after": after})

    @app.get("/cases/{case_id}")
    def case(request: Request, case_id: str) -> Response:
        visitor = site.staff(request)
        if isinstance(visitor, Response):
            return visitor
        found = read_case_id(case_id)
        if found is None:
            return missing_case(site, request, visitor, case_id)
        return case_page(site, request, visitor, found)

    @app.post("/cases/{case_id}/act")
    def act(
        request: Request,
        case_id: str,
        *,
        action: Field = "",
        csrf: Field = "",
        note: Field = "",
        kind: Field = "",
        duplicate_of: Field = "",
        category: Field = "",
        severity: Field = "",
        owner_level: Field = "",
        lead: Field = "",
        rating: Field = "",
        into: Field = "",
    ) -> Response:
        visitor = site.staff(request)
        if isinstance(visitor, Response):
            return visitor
        if not site.form_ok(visitor, csrf):
            return site.refused_form(request)
        form = {"action": action, "note": note, "kind": kind, "duplicate_of": duplicate_of}
        form |= {"category": category, "severity": severity, "owner_level": owner_level}
        form |= {"lead": lead, "rating": rating, "into": into}
        return act_page(site, request, visitor, case_id, form)
