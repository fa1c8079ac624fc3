"""Tables of the double-entry ledgers (points 积分, time-bank minutes 时间银行) and what the
points and time-bank services keep beside them (rewards, recorded services).

Transfers are never updated or deleted; the only mutable rows are the running balances on
accounts (updated in the transfer's own transaction), the state of a pending transfer, a
reward's stock and a recorded service's state."""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
)

from commgov.kernel.tables import metadata

ledger_accounts = Table(
    "ledger_accounts",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("ledger", String(32), nullable=False),
    Column("code", String(120), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("unit_id", Integer, ForeignKey("units.id")),
    Column("resident_id", Integer, ForeignKey("residents.id")),
    Column("no_overdraft", Boolean, nullable=False),
    Column("no_positive", Boolean, nullable=False),
    Column("debits_posted", BigInteger, nullable=False),
    Column("credits_posted", BigInteger, nullable=False),
    Column("debits_pending", BigInteger, nullable=False),
    Column("credits_pending", BigInteger, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("ledger", "code"),
    Index(None, "resident_id"),
    Index(None, "unit_id"),
)

ledger_transfers = Table(
    "ledger_transfers",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("ledger", String(32), nullable=False),
    Column("client_id", String(120), nullable=False),
    Column("kind", String(16), nullable=False),
    Column("debit_id", Integer, ForeignKey("ledger_accounts.id"), nullable=False),
    Column("credit_id", Integer, ForeignKey("ledger_accounts.id"), nullable=False),
    Column("amount", BigInteger, nullable=False),
    Column("reason", String(64), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("pending_id", Integer, ForeignKey("ledger_transfers.id")),
    Column("reverses_id", Integer, ForeignKey("ledger_transfers.id")),
    Column("timeout_at", DateTime(timezone=True)),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("ledger", "client_id"),
    Index(None, "debit_id", "created_at"),
    Index(None, "credit_id", "reason", "created_at"),
)

ledger_pending = Table(
    "ledger_pending",
    metadata,
    Column("transfer_id", Integer, ForeignKey("ledger_transfers.id"), primary_key=True),
    Column("state", String(16), nullable=False),
    Column("closed_by", Integer, ForeignKey("ledger_transfers.id")),
    Index(None, "state"),
)

reward_items = Table(
    "reward_items",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("unit_id", Integer, ForeignKey("units.id"), nullable=False),
    Column("name", String(120), nullable=False),
    Column("price", BigInteger, nullable=False),
    Column("stock", Integer, nullable=False),
    Column("partner_account_id", Integer, ForeignKey("ledger_accounts.id")),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

timebank_services = Table(
    "timebank_services",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("provider_id", Integer, ForeignKey("residents.id"), nullable=False),
    Column("recipient_id", Integer, ForeignKey("residents.id"), nullable=False),
    Column("kind", String(64), nullable=False),
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("ended_at", DateTime(timezone=True), nullable=False),
    Column("minutes", Integer, nullable=False),
    Column("state", String(16), nullable=False),
    Column("transfer_id", Integer, ForeignKey("ledger_transfers.id"), nullable=False),
    Column("closed_by", String(200)),
    Column("note", String(200)),
    Index(None, "provider_id"),
    Index(None, "recipient_id"),
)
