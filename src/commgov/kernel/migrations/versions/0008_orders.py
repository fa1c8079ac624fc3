"""service orders: one row per order beside its case

Revision ID: 0008
Revises: 0001
Create Date: 2026-12-10 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = "0003"  # the cases table the orders refer to

_WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "service_orders",
        sa.Column("case_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("item", sa.String(length=64), nullable=False),
        sa.Column("item_name", sa.String(length=100), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("fee", sa.Integer(), nullable=False),
        sa.Column("time_limit_seconds", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("step", sa.String(length=16), nullable=False),
        sa.Column("provider_kind", sa.String(length=16), nullable=True),
        sa.Column("provider", sa.String(length=100), nullable=True),
        sa.Column("declines", sa.JSON(), nullable=False),
        sa.Column("placed_at", _WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["cases.id"], name=op.f("fk_service_orders_case_id_cases")
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_service_orders_household_id_households"),
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"], ["residents.id"], name=op.f("fk_service_orders_resident_id_residents")
        ),
        sa.PrimaryKeyConstraint("case_id", name=op.f("pk_service_orders")),
    )
    op.create_index(
        op.f("ix_service_orders_resident_id"), "service_orders", ["resident_id"], unique=False
    )
    op.create_index(op.f("ix_service_orders_step"), "service_orders", ["step"], unique=False)
    op.create_index(
        op.f("ix_service_orders_provider_kind_provider"),
        "service_orders",
        ["provider_kind", "provider"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_service_orders_provider_kind_provider"), table_name="service_orders")
    op.drop_index(op.f("ix_service_orders_step"), table_name="service_orders")
    op.drop_index(op.f("ix_service_orders_resident_id"), table_name="service_orders")
    op.drop_table("service_orders")
