"""webhooks, event subscribers and the deliveries of the outbox's events

Revision ID: 0016
Revises: 0001
Create Date: 2026-12-05 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "webhooks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("url", sa.String(length=500), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("secret_cipher", sa.LargeBinary(), nullable=False),
        sa.Column("kinds", sa.JSON(), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("removed_at", _WHEN, nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhooks")),
    )
    op.create_table(
        "event_subscribers",
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("floor", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_event_subscribers")),
    )
    op.create_table(
        "event_deliveries",
        sa.Column("subscriber", sa.String(length=120), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_at", _WHEN, nullable=True),
        sa.Column("last_error", sa.String(length=300), nullable=True),
        sa.Column("updated_at", _WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["subscriber"],
            ["event_subscribers.name"],
            name=op.f("fk_event_deliveries_subscriber_event_subscribers"),
        ),
        sa.PrimaryKeyConstraint("subscriber", "event_id", name=op.f("pk_event_deliveries")),
    )
    op.create_index(
        op.f("ix_event_deliveries_subscriber_state"),
        "event_deliveries",
        ["subscriber", "state"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_event_deliveries_subscriber_state"), table_name="event_deliveries")
    op.drop_table("event_deliveries")
    op.drop_table("event_subscribers")
    op.drop_table("webhooks")
