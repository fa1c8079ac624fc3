"""plugin records

Revision ID: 0004
Revises: 0001
Create Date: 2026-11-24 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "plugin_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=64), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("at", _WHEN, nullable=False),
        sa.Column("ref", sa.String(length=120), nullable=True),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_plugin_records_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plugin_records")),
    )
    op.create_index(
        op.f("ix_plugin_records_kind_unit_id_at"),
        "plugin_records",
        ["kind", "unit_id", "at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_plugin_records_kind_ref"), "plugin_records", ["kind", "ref"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_plugin_records_kind_ref"), table_name="plugin_records")
    op.drop_index(op.f("ix_plugin_records_kind_unit_id_at"), table_name="plugin_records")
    op.drop_table("plugin_records")
