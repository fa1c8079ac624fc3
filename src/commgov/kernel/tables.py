"""The shared ``metadata`` every capability's tables register on, and the kernel's own tables:
store settings (``commgov_meta``) and the audit log. Alembic migrations must produce exactly
the tables registered here once every capability is imported (``commgov.capabilities``)."""

from __future__ import annotations

from sqlalchemy import Column, Index, LargeBinary, MetaData, Table

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

__all__ = ["audit_log", "meta", "metadata"]
