"""The ledger's rules as pure values: accounts, transfers, the balance limits."""

from commgov.ledger.model.transfers import (
    KINDS,
    LEDGERS,
    Account,
    Limit,
    TransferRequest,
    check_limits,
    default_flags,
)

__all__ = [
    "KINDS",
    "LEDGERS",
    "Account",
    "Limit",
    "TransferRequest",
    "check_limits",
    "default_flags",
]
