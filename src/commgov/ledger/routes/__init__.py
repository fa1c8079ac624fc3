"""The ledgers over HTTP: accounts, history and transfers (``ledgers``), points (积分) and the
time bank (时间银行), one module each."""

from __future__ import annotations

from fastapi import APIRouter

from commgov.ledger.routes import ledgers, points, timebank

router = APIRouter()
for part in (ledgers.router, points.router, timebank.router):
    router.include_router(part)

__all__ = ["router"]
