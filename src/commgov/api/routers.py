"""Every capability's part of the HTTP API, in the order the OpenAPI document lists them."""

from __future__ import annotations

from fastapi import APIRouter

from commgov.cases.routes import router as case_router

ROUTERS: tuple[APIRouter, ...] = (case_router,)
