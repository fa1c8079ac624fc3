"""The outbox event every new transfer writes (``docs/events.md``): its kind, the aggregate it
is ordered within and its payload of ids, codes, amounts and times, never names. PostgreSQL
builds the same payload in the batch's own statement (``repository.ledger``)."""

from __future__ import annotations

from typing import Any, Final

from commgov.ledger.model.transfers import Transfer

TRANSFER_EVENTS: Final = {
    "posted": "transfer.posted",
    "pending": "transfer.pending",
    "post": "transfer.pending_posted",
    "void": "transfer.pending_voided",
    "expire": "transfer.pending_expired",
}
"""The outbox kind of a new transfer of each kind."""


def transfer_aggregate(debit_id: int, credit_id: int) -> str:
    """The outbox aggregate of a transfer: its two accounts, lower id first
    (``accounts:3-17``). Both are locked while it is written, and a pending transfer, its post
    or void and a reversal all keep the same two accounts, so they are delivered in order."""
    low, high = sorted((debit_id, credit_id))
    return f"accounts:{low}-{high}"


def transfer_payload(t: Transfer, debit: str | None, credit: str | None) -> dict[str, Any]:
    """The payload of ``t``'s event; ``debit`` and ``credit`` are its accounts' codes."""
    return {
        "transfer_id": t.id,
        "ledger": t.ledger,
        "client_id": t.client_id,
        "kind": t.kind,
        "debit": debit,
        "credit": credit,
        "debit_id": t.debit_id,
        "credit_id": t.credit_id,
        "amount": t.amount,
        "pending_id": t.pending_id,
        "reverses_id": t.reverses_id,
        "at": t.created_at.isoformat(),
    }
