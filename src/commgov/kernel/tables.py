"""The shared ``metadata`` every capability's tables register on, and the kernel's own tables:
store settings (``commgov_meta``), the audit log, the outbox of domain events and the HTTP
requests remembered under their ``Idempotency-Key``. Alembic migrations must produce exactly
the tables registered here once every capability is imported (``commgov.capabilities``)."""

from __future__ import annotations

from sqlalchemy import Column, Index, LargeBinary, MetaData, Table, UniqueConstraint

from commgov.kernel.columns import Int, Json, Moment, Str

NAMING = {
    "ix": "ix_%(table_name)s_%(column_0_N_name)s",
    "uq": "uq_%(table_name)s_%(column_0_N_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)

meta = Table(
    "commgov_meta",
    metadata,
    Column("key", Str(64), primary_key=True),
    Column("value", LargeBinary, nullable=False),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Int, primary_key=True),
    Column("at", Moment(), nullable=False),
    Column("actor", Str(200), nullable=False),
    Column("action", Str(64), nullable=False),
    Column("entity", Str(64), nullable=False),
    Column("entity_id", Str(64), nullable=False),
    Column("detail", Json, nullable=False),
    Index(None, "entity", "entity_id"),
)

outbox_events = Table(
    "outbox_events",
    metadata,
    Column("id", Int, primary_key=True),
    Column("at", Moment(), nullable=False),
    Column("kind", Str(64), nullable=False),
    Column("aggregate", Str(100), nullable=False),
    Column("payload", Json, nullable=False),
    Index(None, "aggregate", "id"),
)
"""Domain events, written in the transaction of the change they describe; ``id`` numbers them
and, within one ``aggregate`` (``case:12``), follows the order the changes committed in."""

api_requests = Table(
    "api_requests",
    metadata,
    Column("id", Int, primary_key=True),
    Column("caller", Str(200), nullable=False),
    Column("key", Str(200), nullable=False),
    Column("fingerprint", Str(64), nullable=False),
    Column("status", Int, nullable=False),
    Column("body_cipher", LargeBinary, nullable=True),
    Column("at", Moment(), nullable=False),
    UniqueConstraint("caller", "key"),
)
"""A POST answered under an ``Idempotency-Key``: a retry by the same caller with the same key
gets the stored answer instead of acting again. The answer is kept encrypted with the store's
key: it may hold what only that caller may read (a resident's phone, an address)."""

__all__ = ["api_requests", "audit_log", "meta", "metadata", "outbox_events"]
