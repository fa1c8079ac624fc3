"""API keys: stored as a public prefix and a SHA-256 digest, never the key itself."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Table

from commgov.integrations.model import LABEL_MAX, PREFIX_LENGTH, SYSTEM_NAME_MAX
from commgov.kernel.columns import Int, Json, Moment, Str
from commgov.kernel.tables import metadata

api_keys = Table(
    "api_keys",
    metadata,
    Column("id", Int, primary_key=True),
    Column("prefix", Str(PREFIX_LENGTH), nullable=False, unique=True),
    Column("digest", Str(64), nullable=False),
    Column("label", Str(LABEL_MAX), nullable=False),
    Column("staff_id", Int, ForeignKey("staff.id"), nullable=True),
    Column("department_id", Int, ForeignKey("departments.id"), nullable=True),
    Column("system", Str(SYSTEM_NAME_MAX), nullable=True),
    Column("scopes", Json, nullable=False),
    Column("created_at", Moment(), nullable=False),
    Column("created_by", Str(200), nullable=False),
    Column("expires_at", Moment(), nullable=True),
    Column("revoked_at", Moment(), nullable=True),
)

__all__ = ["api_keys"]
