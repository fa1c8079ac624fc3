"""The integrations capability over HTTP (routes to be filled in)."""

from __future__ import annotations

from fastapi import APIRouter

from commgov.kernel.web.routes import PROBLEMS

router = APIRouter(tags=["integrations"], responses=PROBLEMS)
