"""Account codes and on-demand accounts shared by the points and time-bank services."""

from __future__ import annotations

from typing import Any

from commgov.kernel.uow import UnitOfWork
from commgov.ledger.repository import LedgerRepository

ISSUANCE = "system:issuance"
REDEMPTION = "system:redemption"
EXPIRY = "system:expiry"
CARE = "system:care"


def resident_code(resident_id: int) -> str:
    return f"resident:{resident_id}"


def pool_code(unit_code: str) -> str:
    return f"pool:{unit_code}"


def partner_code(name: str) -> str:
    return f"partner:{name}"


def ensure_accounts(
    uow: UnitOfWork, ledger: str, wanted: dict[str, dict[str, Any]], now: Any
) -> dict[str, int]:
    """Ids of the accounts ``wanted`` (code → kind, unit_id, resident_id, flags), opening the
    ones that do not exist yet in this unit of work."""
    repo = LedgerRepository(uow.conn)
    found = {code: row.id for code, row in repo.account_rows(ledger, wanted).items()}
    for code, spec in wanted.items():
        if code in found:
            continue
        system = spec["kind"] == "system"
        found[code] = repo.add_account(
            {
                "ledger": ledger,
                "code": code,
                "kind": spec["kind"],
                "unit_id": spec.get("unit_id"),
                "resident_id": spec.get("resident_id"),
                "no_overdraft": not system,
                "no_positive": code == ISSUANCE,
                "debits_posted": 0,
                "credits_posted": 0,
                "debits_pending": 0,
                "credits_pending": 0,
                "created_at": now,
            }
        )
    return found


def resident_account(resident_id: int, unit_id: int) -> dict[str, Any]:
    return {"kind": "resident", "resident_id": resident_id, "unit_id": unit_id}


SYSTEM: dict[str, Any] = {"kind": "system"}
