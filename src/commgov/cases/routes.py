"""The case loop over HTTP: report, act, list, read events and rates."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import JSONResponse

from commgov.cases.model.vocab import Channel
from commgov.cases.service.cases import CaseService
from commgov.cases.service.metrics import CaseRates, Grouping
from commgov.cases.views import CaseCommand, CaseEventView, CaseReport, CaseView, CategoryView
from commgov.kernel.web.once import IdempotencyKey, once
from commgov.kernel.web.pages import Cursor, Limit, Page, decode_cursor, page_of
from commgov.kernel.web.routes import PROBLEMS, PathId
from commgov.kernel.web.state import Caller, service

router = APIRouter(tags=["cases"], responses=PROBLEMS)
Cases = Annotated[CaseService, Depends(service(CaseService))]
UnitCode = Annotated[str, Query(min_length=1, max_length=64, description="A unit's code.")]


@router.post("/cases", status_code=201, response_model=CaseView)
def report_case(
    request: Request, body: CaseReport, actor: Caller, cases: Cases, key: IdempotencyKey = None
) -> JSONResponse:
    """Report a case (上报): its text, where (a grid code, a point, an address or the
    reporter's household), photos as references; the case loop routes it from there."""
    return once(request, actor, key, body, lambda: cases.report(actor, body))


@router.post("/cases/{case_id}/actions", response_model=CaseView)
def act_on_case(
    *,
    request: Request,
    case_id: PathId,
    body: CaseCommand,
    actor: Caller,
    cases: Cases,
    key: IdempotencyKey = None,
) -> JSONResponse:
    """One step of the case loop (accept, triage, dispatch, start, resolve, visit, close …),
    chosen by ``action``; only the steps the caller may take here succeed."""
    return once(request, actor, key, body, lambda: cases.act(actor, case_id, body), status=200)


@router.get("/cases", response_model=Page[CaseView])
def list_cases(
    *,
    actor: Caller,
    cases: Cases,
    unit: UnitCode,
    state: Annotated[list[str] | None, Query(max_length=20)] = None,
    category: Annotated[str | None, Query(max_length=64)] = None,
    channel: Channel | None = None,
    since: dt.date | None = None,
    until: dt.date | None = None,
    overdue: bool = False,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> Page[CaseView]:
    """Cases in the grids under ``unit``, oldest first, a page at a time; ``since``/``until``
    are days in the store's time zone (``until`` included)."""
    found = cases.under(
        actor,
        unit,
        state=state,
        category=category,
        channel=channel,
        since=since,
        until=until,
        overdue=overdue,
        after_id=decode_cursor(cursor),
        limit=limit + 1,
    )
    return page_of(found, limit, key=lambda c: c.id)


@router.get("/cases/{case_id}", response_model=CaseView)
def get_case(case_id: PathId, actor: Caller, cases: Cases) -> CaseView:
    return cases.get(actor, case_id)


@router.get("/cases/{case_id}/events", response_model=list[CaseEventView])
def case_events(case_id: PathId, actor: Caller, cases: Cases) -> list[CaseEventView]:
    """The case's timeline, first event first."""
    return cases.history(actor, case_id)


@router.get("/case-categories", response_model=list[CategoryView])
def case_categories(actor: Caller, cases: Cases) -> list[CategoryView]:
    """The categories cases are filed under (the core's and the plugins')."""
    return cases.categories()


@router.get("/units/{code}/case-rates", response_model=list[CaseRates])
def case_rates(
    *,
    code: str,
    actor: Caller,
    cases: Cases,
    start: dt.datetime | None = None,
    end: dt.datetime | None = None,
    by: Grouping | None = None,
) -> list[CaseRates]:
    """The three rates (response, resolution, satisfaction) for a unit over a period, for the
    unit as a whole or ``by`` grid or child unit."""
    return cases.rates(actor, code, start=start, end=end, by=by)
