"""Helpers the people, ledger and records route tests share: residents of grid A1, the rows
every core table holds (ledgers and API requests included), and a problem's checks."""

from __future__ import annotations

import httpx
from sqlalchemy import func, select
from tests.api.conftest import Api
from tests.conftest import row_counts
from tests.ledger.helpers import family

import commgov
from commgov.kernel.tables import api_requests
from commgov.ledger.tables import (
    ledger_accounts,
    ledger_pending,
    ledger_transfers,
    reward_items,
    timebank_services,
)

SYSTEM = commgov.Actor.system("ops")
LEDGER_TABLES = (
    ledger_accounts,
    ledger_transfers,
    ledger_pending,
    reward_items,
    timebank_services,
    api_requests,
)

__all__ = ["SYSTEM", "all_rows", "family", "problem"]


def all_rows(cg: commgov.Commgov) -> dict[str, int]:
    """``row_counts`` and the ledgers' tables and remembered requests: equal before and after
    a request means it wrote nothing."""
    counts = row_counts(cg)
    with cg.context.uow(readonly=True) as uow:
        for table in LEDGER_TABLES:
            query = select(func.count()).select_from(table)
            counts[table.name] = uow.conn.execute(query).scalar_one()
    return counts


def problem(answer: httpx.Response, status: int, field: str | None = None) -> dict[str, object]:
    """The RFC 9457 problem of ``answer``, checked to have ``status`` and name ``field``."""
    assert answer.status_code == status, answer.text
    assert answer.headers["content-type"] == "application/problem+json"
    found: dict[str, object] = answer.json()
    assert found["status"] == status
    if field is not None:
        assert found.get("field") == field, found
    return found


def system_headers(api: Api, **extra: str) -> dict[str, str]:
    """A system key's headers (the ledgers' system accounts are the system role's)."""
    return {**api.headers(SYSTEM), **extra}
