"""The order table, on the shared metadata: one row per service order beside its case (the
order's id is its case's id), holding what the case does not."""

from __future__ import annotations

from sqlalchemy import Column, ForeignKey, Index, Table

from commgov.kernel.columns import Int, Json, Moment, Str
from commgov.kernel.tables import metadata
from commgov.orders.model.limits import ITEM_CODE_MAX, ITEM_NAME_MAX, PROVIDER_MAX, STEP_MAX

service_orders = Table(
    "service_orders",
    metadata,
    Column("case_id", Int, ForeignKey("cases.id"), primary_key=True, autoincrement=False),
    Column("item", Str(ITEM_CODE_MAX), nullable=False),
    Column("item_name", Str(ITEM_NAME_MAX), nullable=False),
    Column("fields", Json, nullable=False),
    Column("fee", Int, nullable=False),
    Column("time_limit_seconds", Int, nullable=False),
    Column("resident_id", Int, ForeignKey("residents.id"), nullable=False),
    Column("household_id", Int, ForeignKey("households.id"), nullable=False),
    Column("step", Str(STEP_MAX), nullable=False),
    Column("provider_kind", Str(STEP_MAX)),
    Column("provider", Str(PROVIDER_MAX)),
    Column("declines", Json, nullable=False),
    Column("placed_at", Moment(), nullable=False),
    Index(None, "resident_id"),
    Index(None, "step"),
    Index(None, "provider_kind", "provider"),
)
"""``declines`` lists ``{provider_kind, provider, reason, at, by}``; ``provider`` is a
department code, a staff id, or an organisation's, partner's or talent's name."""

__all__ = ["service_orders"]
