"""Accounts and transfers (TigerBeetle's semantics: integer amounts, immutable transfers, a
client id as idempotency key, pending → post/void, balance limits as account flags)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Final, NamedTuple

import attrs

from commgov.errors import InsufficientFunds, ValidationError
from commgov.kernel.times import duration
from commgov.ledger.model.bounds import CLIENT_ID_MAX, CODE_MAX, REASON_MAX, text, whole

LEDGERS: Final = {"points": "积分 points", "time": "时间银行 time-bank minutes"}
KINDS: Final = ("resident", "staff", "organisation", "partner", "system", "clearing")
TRANSFER_KINDS: Final = ("posted", "pending", "post", "void", "expire")
POSTING_KINDS: Final = ("posted", "post")
"""Transfers that move posted balances (a single-phase transfer, a post of a pending one)."""
BALANCE_COLUMNS: Final = ("debits_posted", "credits_posted", "debits_pending", "credits_pending")
"""The running columns an account keeps, each at most ``MAX_TOTAL``, in the order balances are
passed around (``check_limits``, the batch's running balances)."""


class Account(NamedTuple):
    """An account with its running balances. ``balance`` is credits minus debits, posted. A
    typed named tuple, as ``Transfer``: a batch locks and loads a thousand at once, and the
    lock query reads its fields in this order, so a row becomes one as it is."""

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
    unit_id: int | None = None
    resident_id: int | None = None

    @property
    def balance(self) -> int:
        return self.credits_posted - self.debits_posted

    @property
    def available(self) -> int:
        """What can still be debited: the posted balance less pending debits."""
        return self.credits_posted - self.debits_posted - self.debits_pending


def default_flags(kind: str, code: str) -> tuple[bool, bool]:
    """(no_overdraft, no_positive): people and organisations may not go below zero; an
    issuance account may not go above it; other system accounts and clearing accounts (a
    community's position in services across communities) are free."""
    if kind == "clearing":
        return False, False
    if kind != "system":
        return True, False
    return False, code.startswith("system:issuance")


class Transfer(NamedTuple):
    """A transfer as stored; never changed once written. A typed named tuple rather than an
    attrs class: a batch builds one per transfer, and a tuple is several times cheaper to
    build. Its fields are the columns of ``ledger_transfers``, in their order (the repository
    checks it), so a row becomes a ``Transfer`` as it is."""

    id: int
    ledger: str
    client_id: str
    kind: str
    debit_id: int
    credit_id: int
    amount: int
    reason: str
    actor: str
    pending_id: int | None
    reverses_id: int | None
    timeout_at: dt.datetime | None
    created_at: dt.datetime


def posted_balance(transfers: Iterable[Transfer], account_id: int) -> int:
    """Credits minus debits of ``account_id`` over the posting transfers among ``transfers``."""
    total = 0
    for t in transfers:
        if t.kind not in POSTING_KINDS:
            continue
        if t.credit_id == account_id:
            total += t.amount
        elif t.debit_id == account_id:
            total -= t.amount
    return total


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
        """Field-level checks that need no store; raises ``ValidationError``. Whatever the
        type of a value, a bad one is refused here, naming its field."""
        text("client_id", self.client_id, CLIENT_ID_MAX)
        if not isinstance(self.ledger, str) or self.ledger not in LEDGERS:
            raise ValidationError("ledger", self.ledger, f"expected one of {', '.join(LEDGERS)}")
        if not isinstance(self.kind, str) or self.kind not in TRANSFER_KINDS[:4]:
            raise ValidationError("kind", self.kind, "expected posted, pending, post or void")
        text("reason", self.reason, REASON_MAX)
        moves = self.kind in ("posted", "pending")
        text("debit", self.debit, CODE_MAX, empty=not moves)
        text("credit", self.credit, CODE_MAX, empty=not moves)
        if self.kind == "void":
            whole("amount", self.amount, least=0, most=0)
        else:
            whole("amount", self.amount, least=1 if moves else 0)
        if moves:
            if self.debit == self.credit:
                raise ValidationError("credit", self.credit, "debit and credit must differ")
            if self.pending is not None:
                raise ValidationError(
                    "pending", self.pending, "only a post or a void names a pending transfer"
                )
        else:
            if self.pending is None:
                raise ValidationError(
                    "pending", self.pending, f"a {self.kind} names its pending transfer"
                )
            text("pending", self.pending, CLIENT_ID_MAX)
            if self.reverses is not None:
                raise ValidationError(
                    "reverses", self.reverses, "a post or a void reverses nothing"
                )
        if self.reverses is not None:
            text("reverses", self.reverses, CLIENT_ID_MAX)
        if self.timeout is not None:
            if self.kind != "pending":
                raise ValidationError("timeout", self.timeout, "only pending transfers time out")
            duration("timeout", self.timeout)


@attrs.frozen
class Limit:
    """A broken balance limit, found before anything is written. ``available`` is set for an
    overdraft: what the debited account could still spend."""

    field: str
    account: str
    reason: str
    available: int | None = None

    def error(self, amount: int) -> ValidationError:
        """The error to raise: ``InsufficientFunds`` for an overdraft."""
        if self.available is not None:
            return InsufficientFunds(self.account, self.available, amount)
        return ValidationError(self.field, amount, self.reason)


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
        available = cp - dp - dq
        return Limit(
            "amount", debit.code, f"overdraws {debit.code} (available {available})", available
        )
    cdp, ccp, _, ccq = credit_now
    if credit.no_positive and ccp + ccq + amount > cdp:
        return Limit("amount", credit.code, f"would take {credit.code} above zero")
    return None
