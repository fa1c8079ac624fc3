"""The accounts the points and time-bank services open on demand: their codes and kinds."""

from __future__ import annotations

from typing import Final

import attrs

ISSUANCE: Final = "system:issuance"
REDEMPTION: Final = "system:redemption"
EXPIRY: Final = "system:expiry"
CARE: Final = "system:care"


def resident_code(resident_id: int) -> str:
    return f"resident:{resident_id}"


def pool_code(unit_code: str) -> str:
    return f"pool:{unit_code}"


def clearing_code(unit_code: str) -> str:
    """A unit's clearing account on the time ledger (``clearing:<unit code>``): what its
    community owes (below zero) or is owed for services across communities."""
    return f"clearing:{unit_code}"


def partner_code(name: str) -> str:
    return f"partner:{name}"


def fund_code(name: str) -> str:
    """A fund residents give points to (a project's): ``fund:<name>``."""
    return f"fund:{name}"


@attrs.frozen
class AccountSpec:
    """An account to open if it does not exist yet: its kind and where it lives. Its limits
    are the defaults for its kind (``default_flags``)."""

    kind: str
    unit_id: int | None = None
    resident_id: int | None = None


SYSTEM: Final = AccountSpec("system")
CLEARING: Final = "clearing"
"""The kind of a clearing account: it may go below zero or above it (``default_flags``)."""


def resident_account(resident_id: int, unit_id: int) -> AccountSpec:
    return AccountSpec("resident", unit_id=unit_id, resident_id=resident_id)
