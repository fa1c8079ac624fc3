"""Every capability's part of the HTTP API, in the order the OpenAPI document lists them and
requests are matched: a request is matched against the routes one by one, so the busiest
(Open311 reports, the case loop) come first."""

from __future__ import annotations

from fastapi import APIRouter

from commgov.api.open311 import router as open311_router
from commgov.cases.routes import router as case_router
from commgov.councils.routes import router as council_router
from commgov.integrations.routes import router as integration_router
from commgov.ledger.routes import router as ledger_router
from commgov.opinions.routes import router as opinion_router
from commgov.orders.routes import router as order_router
from commgov.organisations.routes import router as organisation_router
from commgov.people.routes import router as people_router
from commgov.projects.routes import router as project_router
from commgov.records.routes import router as record_router
from commgov.resources.routes import router as resource_router
from commgov.votes.routes import router as vote_router
from commgov.wishes.routes import router as wish_router

ROUTERS: tuple[APIRouter, ...] = (
    open311_router,
    case_router,
    people_router,
    ledger_router,
    record_router,
    wish_router,
    order_router,
    opinion_router,
    council_router,
    vote_router,
    project_router,
    resource_router,
    organisation_router,
    integration_router,
)
