"""opinions: service points and their visit log

Revision ID: 0009
Revises: 0001
Create Date: 2026-12-01 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0009"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "service_points",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("address", sa.String(length=200), nullable=True),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("retired_at", _WHEN, nullable=True),
        sa.Column("retired_reason", sa.String(length=200), nullable=True),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_service_points_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_points")),
    )
    op.create_index(op.f("ix_service_points_unit_id"), "service_points", ["unit_id"], unique=False)
    op.create_table(
        "opinion_visits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("point_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=64), nullable=False),
        sa.Column("note", sa.String(length=2000), nullable=False),
        sa.Column("at", _WHEN, nullable=False),
        sa.Column("people", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("wish_id", sa.Integer(), nullable=True),
        sa.Column("council_topic", sa.String(length=120), nullable=True),
        sa.ForeignKeyConstraint(
            ["point_id"],
            ["service_points.id"],
            name=op.f("fk_opinion_visits_point_id_service_points"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_opinion_visits_unit_id_units")
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["residents.id"],
            name=op.f("fk_opinion_visits_resident_id_residents"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opinion_visits")),
        sa.UniqueConstraint("case_id", name=op.f("uq_opinion_visits_case_id")),
    )
    op.create_index(
        op.f("ix_opinion_visits_unit_id_at"), "opinion_visits", ["unit_id", "at"], unique=False
    )
    op.create_index(
        op.f("ix_opinion_visits_point_id_at"), "opinion_visits", ["point_id", "at"], unique=False
    )
    op.create_index(
        op.f("ix_opinion_visits_resident_id"), "opinion_visits", ["resident_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_opinion_visits_resident_id"), table_name="opinion_visits")
    op.drop_index(op.f("ix_opinion_visits_point_id_at"), table_name="opinion_visits")
    op.drop_index(op.f("ix_opinion_visits_unit_id_at"), table_name="opinion_visits")
    op.drop_table("opinion_visits")
    op.drop_index(op.f("ix_service_points_unit_id"), table_name="service_points")
    op.drop_table("service_points")
