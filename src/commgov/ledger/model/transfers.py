"""Accounts and transfers (TigerBeetle's semantics: integer amounts, immutable transfers, a
client id as idempotency key, pending → post/void, balance limits as account flags)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Final

import attrs

from commgov.errors import ValidationError

LEDGERS: Final = {"points": "积分 points", "time": "时间银行 time-bank minutes"}
KINDS: Final = ("resident", "staff", "organisation", "partner", "system")
TRANSFER_KINDS: Final = ("posted", "pending", "post", "void", "expire")


@attrs.frozen
class Account:
    """An account with its running balances. ``balance`` is credits minus debits, posted."""

    id: int
    ledger: str
    code: str
    kind: str
    no_overdraft: bool
    no_positive: bool
    debits_posted: int = 0
    credits_posted: int = 0
    debits_pending: int = 0
    credits_pending: int = 0

    @property
    def balance(self) -> int:
        return self.credits_posted - self.debits_posted

    @property
    def available(self) -> int:
        """What can still be debited: the posted balance less pending debits."""
        return self.credits_posted - self.debits_posted - self.debits_pending


def default_flags(kind: str, code: str) -> tuple[bool, bool]:
    """(no_overdraft, no_positive): people and organisations may not go below zero; an
    issuance account may not go above it; other system accounts are free."""
    if kind != "system":
        return True, False
    return False, code.startswith("system:issuance")


@attrs.frozen
class TransferRequest:
    """One transfer asked for. ``kind``: ``posted`` (single phase) or ``pending``; ``post`` and
    ``void`` close the pending transfer ``pending`` (its client id); ``reverses`` names a
    transfer this one corrects."""

    client_id: str
    ledger: str
    debit: str
    credit: str
    amount: int
    reason: str
    kind: str = "posted"
    pending: str | None = None
    reverses: str | None = None
    timeout: dt.timedelta | None = None

    def check(self) -> None:
        """Field-level checks that need no store; raises ``ValidationError``."""
        if not self.client_id or len(self.client_id) > 120:
            raise ValidationError("client_id", self.client_id, "1 to 120 characters")
        if self.ledger not in LEDGERS:
            raise ValidationError("ledger", self.ledger, f"expected one of {', '.join(LEDGERS)}")
        if self.kind not in TRANSFER_KINDS[:4]:
            raise ValidationError("kind", self.kind, "expected posted, pending, post or void")
        if isinstance(self.amount, bool) or not isinstance(self.amount, int):
            raise ValidationError("amount", self.amount, "must be a whole number")
        if self.kind in ("posted", "pending") and self.amount <= 0:
            raise ValidationError("amount", self.amount, "must be positive")
        if self.kind == "post" and self.amount < 0:
            raise ValidationError("amount", self.amount, "must not be negative (0 posts it all)")
        if self.kind in ("post", "void") and not self.pending:
            raise ValidationError(
                "pending", self.pending, f"a {self.kind} names its pending transfer"
            )
        if self.kind in ("posted", "pending") and self.debit == self.credit:
            raise ValidationError("credit", self.credit, "debit and credit must differ")
        if not self.reason or len(self.reason) > 64:
            raise ValidationError("reason", self.reason, "1 to 64 characters")
        if self.timeout is not None and (self.kind != "pending" or self.timeout <= dt.timedelta(0)):
            raise ValidationError(
                "timeout", self.timeout, "a positive timeout, on pending transfers"
            )


@attrs.frozen
class Limit:
    """A broken balance limit, found before anything is written."""

    field: str
    account: str
    reason: str


def check_limits(
    debit: Account,
    debit_now: Sequence[int],
    credit: Account,
    credit_now: Sequence[int],
    amount: int,
) -> Limit | None:
    """Would moving ``amount`` more (pending or posted) break either account's flag, given
    their current (debits_posted, credits_posted, debits_pending, credits_pending)? Pending
    debits count against the limit at once, as TigerBeetle counts them."""
    dp, cp, dq, _ = debit_now
    if debit.no_overdraft and dp + dq + amount > cp:
        return Limit("amount", debit.code, f"overdraws {debit.code} (available {cp - dp - dq})")
    cdp, ccp, _, ccq = credit_now
    if credit.no_positive and ccp + ccq + amount > cdp:
        return Limit("amount", credit.code, f"would take {credit.code} above zero")
    return None
