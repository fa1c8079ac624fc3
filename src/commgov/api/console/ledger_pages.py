"""A resident's points (积分) and time-bank (时间银行) statements: for staff who may read the
resident's household, at ``/residents/{id}/statement``, and for a signed-in resident, their own
at ``/me``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Annotated, Final
from urllib.parse import urlencode

import attrs
from fastapi import FastAPI, Query, Request
from starlette.responses import RedirectResponse, Response

from commgov.api.console.i18n import gettext, language
from commgov.api.console.queries import ID_MOST, query_day, query_number
from commgov.api.console.refusals import Problem, Refused, not_found
from commgov.api.console.site import ConsoleSite, NavLink, Visitor
from commgov.api.console.store_time import local_time, today
from commgov.errors import NotFoundError, PermissionDenied, ValidationError
from commgov.ledger.views import AccountStatement

if TYPE_CHECKING:
    from commgov.facade import Commgov

LONGEST_DAYS: Final = 3660
"""The longest statement period, in days (the ledger's own bound)."""
SERVICE_FIELDS: Final = {"start": "from", "end": "to", "resident_id": "resident_id"}
"""The ledger's names for the statement's fields → the page's."""


@attrs.frozen
class ShownLine:
    """A statement line as the page shows it: its time in the store's zone."""

    at: str
    label: str
    amount: int
    balance: int


@attrs.frozen
class ShownLedger:
    """One ledger's statement as the page shows it."""

    ledger: str
    title: str
    unit: str
    balance: int
    statement: AccountStatement
    lines: tuple[ShownLine, ...]


@attrs.frozen
class Period:
    """The days a statement page asks for (``None``: the ledger's default)."""

    start: dt.date | None
    end: dt.date | None


def statement_period(given_from: str | None, given_to: str | None, *, until: dt.date) -> Period:
    """The period asked for by ``from`` and ``to``; else ``Refused`` naming the field."""
    start, end = query_day("from", given_from), query_day("to", given_to)
    if start is None and end is not None:
        raise Refused(Problem("to", given_to or "", "give the first day (from) as well"))
    if start is not None and end is None and start > until:
        args = (("today", until.isoformat()),)
        raise Refused(Problem("from", given_from or "", "is after today ({today})", args))
    last = until if end is None else end
    if start is not None and last < start:
        args = (("first", start.isoformat()),)
        raise Refused(Problem("to", last.isoformat(), "is before the first day ({first})", args))
    if start is not None and (last - start).days > LONGEST_DAYS:
        args = (("days", str(LONGEST_DAYS)),)
        raise Refused(
            Problem("to", last.isoformat(), "a statement covers at most {days} days", args)
        )
    return Period(start, end)


def ledgers(cg: Commgov, visitor: Visitor, resident_id: int, period: Period) -> list[ShownLedger]:
    """The resident's points and time-bank statements over ``period``, as the API serves
    them (``NotFoundError``/``PermissionDenied`` for a resident the actor may not read)."""
    actor = visitor.actor
    points = cg.points.account_statement(actor, resident_id, start=period.start, end=period.end)
    bank = cg.timebank.account_statement(actor, resident_id, start=period.start, end=period.end)
    account = cg.points.balance(actor, resident_id)
    held = cg.timebank.person(actor, resident_id).held
    return [
        _shown(cg, "points", "Points", points, 0 if account is None else account.balance),
        _shown(cg, "minutes", "Time bank", bank, held),
    ]


def _shown(
    cg: Commgov, unit: str, title: str, statement: AccountStatement, balance: int
) -> ShownLedger:
    lines = tuple(
        ShownLine(
            at=local_time(cg, line.at),
            label=line.label,
            amount=line.amount,
            balance=line.balance,
        )
        for line in statement.lines
    )
    return ShownLedger(
        ledger=statement.ledger,
        title=title,
        unit=unit,
        balance=balance,
        statement=statement,
        lines=lines,
    )


def service_problem(exc: ValidationError) -> Problem:
    """A refusal of the ledger's, on the page's field names."""
    field = SERVICE_FIELDS.get(exc.field, exc.field)
    return Problem(field, str(exc.value), "refused: {detail}", (("detail", str(exc)),))


def add_ledger_pages(app: FastAPI, site: ConsoleSite) -> None:
    """``/residents`` (a form asking for a resident's number), ``/residents/{id}/statement``
    (staff) and ``/me`` (a resident's own statement)."""
    cg = site.cg
    site.add_nav(NavLink("/residents", "Statements"))
    site.add_nav(NavLink("/me", "My points", staff_only=False, resident_only=True))

    def refused(
        request: Request, visitor: Visitor, template: str, given: Mapping[str, str], why: Problem
    ) -> Response:
        context = {"given": given, "problem": why.words(language(request)), "ledgers": []}
        return site.page(request, visitor, template, context, status=422)

    def statement(
        request: Request, visitor: Visitor, resident_id: int, period: Period, *, own: bool
    ) -> Response:
        given = dict(request.query_params)
        try:
            shown = ledgers(cg, visitor, resident_id, period)
        except (NotFoundError, PermissionDenied):
            words = gettext(language(request), "There is no resident number {id} you may read.")
            return not_found(site, request, visitor, words.format(id=resident_id))
        except ValidationError as exc:
            return refused(request, visitor, "statement.html", given, service_problem(exc))
        context = {"ledgers": shown, "who": shown[0].statement, "own": own, "given": given}
        return site.page(request, visitor, "statement.html", context)

    @app.get("/residents")
    def resident_form(
        request: Request, resident_id: Annotated[str | None, Query()] = None
    ) -> Response:
        visitor = site.staff(request)
        if isinstance(visitor, Response):
            return visitor
        given = dict(request.query_params)
        if resident_id is None:
            return site.page(request, visitor, "statement_lookup.html", {"given": given})
        try:
            number = query_number("resident_id", resident_id, least=1, most=ID_MOST)
            if number is None:
                raise Refused(Problem("resident_id", resident_id, "give a resident number"))
            statement_period(given.get("from"), given.get("to"), until=today(cg))
        except Refused as exc:
            return refused(request, visitor, "statement_lookup.html", given, exc.problem)
        days = urlencode({k: given[k].strip() for k in ("from", "to") if given.get(k, "").strip()})
        target = f"/residents/{number}/statement" + (f"?{days}" if days else "")
        return RedirectResponse(site.here(request, target), status_code=303)

    @app.get("/residents/{resident_id}/statement")
    def resident_statement(
        request: Request,
        resident_id: str,
        given_from: Annotated[str | None, Query(alias="from")] = None,
        given_to: Annotated[str | None, Query(alias="to")] = None,
    ) -> Response:
        visitor = site.staff(request)
        if isinstance(visitor, Response):
            return visitor
        given = dict(request.query_params) | {"resident_id": resident_id}
        try:
            number = query_number("resident_id", resident_id, least=1, most=ID_MOST)
        except Refused as exc:
            return refused(request, visitor, "statement_lookup.html", given, exc.problem)
        try:
            period = statement_period(given_from, given_to, until=today(cg))
        except Refused as exc:
            return refused(request, visitor, "statement.html", given, exc.problem)
        assert number is not None  # a path segment is never blank
        return statement(request, visitor, number, period, own=False)

    @app.get("/me")
    def my_statement(
        request: Request,
        given_from: Annotated[str | None, Query(alias="from")] = None,
        given_to: Annotated[str | None, Query(alias="to")] = None,
    ) -> Response:
        visitor = site.anyone(request)
        if isinstance(visitor, Response):
            return visitor
        if not visitor.is_resident:
            return RedirectResponse(site.here(request, "/grids"), status_code=303)
        own = visitor.actor.resident_id
        if own is None:
            words = gettext(language(request), "This key is not tied to a resident's record.")
            return not_found(site, request, visitor, words)
        try:
            period = statement_period(given_from, given_to, until=today(cg))
        except Refused as exc:
            given = dict(request.query_params)
            return refused(request, visitor, "statement.html", given, exc.problem)
        return statement(request, visitor, own, period, own=True)
