"""Tables of the double-entry ledgers (points 积分, time-bank minutes 时间银行) and what the
points and time-bank services keep beside them (rewards, recorded services).

Transfers are never updated or deleted; the only mutable rows are the running balances on
accounts (updated in the transfer's own transaction), the state of a pending transfer, a
reward's stock and a recorded service's state."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Index, Table, UniqueConstraint

from commgov.kernel.columns import BigInt, Int, Moment, Str
from commgov.kernel.tables import metadata
from commgov.ledger.model.bounds import NOTE_MAX

ledger_accounts = Table(
    "ledger_accounts",
    metadata,
    Column("id", Int, primary_key=True),
    Column("ledger", Str(32), nullable=False),
    Column("code", Str(120), nullable=False),
    Column("kind", Str(32), nullable=False),
    Column("unit_id", Int, ForeignKey("units.id")),
    Column("resident_id", Int, ForeignKey("residents.id")),
    Column("no_overdraft", Boolean, nullable=False),
    Column("no_positive", Boolean, nullable=False),
    Column("debits_posted", BigInt, nullable=False),
    Column("credits_posted", BigInt, nullable=False),
    Column("debits_pending", BigInt, nullable=False),
    Column("credits_pending", BigInt, nullable=False),
    Column("created_at", Moment(), nullable=False),
    UniqueConstraint("ledger", "code"),
    Index(None, "resident_id"),
    Index(None, "unit_id"),
)

ledger_transfers = Table(
    "ledger_transfers",
    metadata,
    Column("id", Int, primary_key=True),
    Column("ledger", Str(32), nullable=False),
    Column("client_id", Str(120), nullable=False),
    Column("kind", Str(16), nullable=False),
    Column("debit_id", Int, ForeignKey("ledger_accounts.id"), nullable=False),
    Column("credit_id", Int, ForeignKey("ledger_accounts.id"), nullable=False),
    Column("amount", BigInt, nullable=False),
    Column("reason", Str(64), nullable=False),
    Column("actor", Str(200), nullable=False),
    Column("pending_id", Int, ForeignKey("ledger_transfers.id")),
    Column("reverses_id", Int, ForeignKey("ledger_transfers.id")),
    Column("timeout_at", Moment()),
    Column("created_at", Moment(), nullable=False),
    UniqueConstraint("ledger", "client_id"),
    Index(None, "debit_id", "created_at"),
    Index(None, "credit_id", "reason", "created_at"),
)

ledger_pending = Table(
    "ledger_pending",
    metadata,
    Column("transfer_id", Int, ForeignKey("ledger_transfers.id"), primary_key=True),
    Column("state", Str(16), nullable=False),
    Column("closed_by", Int, ForeignKey("ledger_transfers.id")),
    Index(None, "state"),
)

reward_items = Table(
    "reward_items",
    metadata,
    Column("id", Int, primary_key=True),
    Column("unit_id", Int, ForeignKey("units.id"), nullable=False),
    Column("name", Str(120), nullable=False),
    Column("price", BigInt, nullable=False),
    Column("stock", Int, nullable=False),
    Column("partner_account_id", Int, ForeignKey("ledger_accounts.id")),
    Column("created_at", Moment(), nullable=False),
)

timebank_services = Table(
    "timebank_services",
    metadata,
    Column("id", Int, primary_key=True),
    Column("provider_id", Int, ForeignKey("residents.id"), nullable=False),
    Column("recipient_id", Int, ForeignKey("residents.id"), nullable=False),
    Column("kind", Str(64), nullable=False),
    Column("started_at", Moment(), nullable=False),
    Column("ended_at", Moment(), nullable=False),
    Column("minutes", Int, nullable=False),
    Column("state", Str(16), nullable=False),
    Column("transfer_id", Int, ForeignKey("ledger_transfers.id"), nullable=False),
    Column("closed_by", Str(200)),
    Column("note", Str(NOTE_MAX)),
    Index(None, "provider_id"),
    Index(None, "recipient_id"),
)
