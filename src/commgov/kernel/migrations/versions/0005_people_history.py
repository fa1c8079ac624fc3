"""people history: residents and staff who leave or move, and the residencies and postings
that ended

Revision ID: 0005
Revises: 0001
Create Date: 2026-12-02 14:45:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0005"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    with op.batch_alter_table("residents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("moved_in_at", _WHEN, nullable=True))
        batch_op.add_column(sa.Column("left_at", _WHEN, nullable=True))
        batch_op.add_column(sa.Column("left_reason", sa.String(length=32), nullable=True))
        batch_op.add_column(sa.Column("merged_into", sa.Integer(), nullable=True))
        batch_op.create_foreign_key(
            batch_op.f("fk_residents_merged_into_residents"), "residents", ["merged_into"], ["id"]
        )
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.add_column(sa.Column("left_at", _WHEN, nullable=True))
        batch_op.add_column(sa.Column("left_reason", sa.String(length=200), nullable=True))
    with op.batch_alter_table("staff_units", schema=None) as batch_op:
        batch_op.add_column(sa.Column("since", _WHEN, nullable=True))
    op.create_table(
        "residencies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("from_at", _WHEN, nullable=False),
        sa.Column("until_at", _WHEN, nullable=False),
        sa.Column("end_reason", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["resident_id"], ["residents.id"], name=op.f("fk_residencies_resident_id_residents")
        ),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_residencies_household_id_households"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_residencies_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_residencies")),
    )
    with op.batch_alter_table("residencies", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_residencies_resident_id"), ["resident_id"])
        batch_op.create_index(batch_op.f("ix_residencies_household_id"), ["household_id"])
        batch_op.create_index(batch_op.f("ix_residencies_unit_id"), ["unit_id"])
    op.create_table(
        "staff_postings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("staff_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("from_at", _WHEN, nullable=False),
        sa.Column("until_at", _WHEN, nullable=False),
        sa.Column("end_reason", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_staff_postings_staff_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_staff_postings_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_staff_postings")),
    )
    with op.batch_alter_table("staff_postings", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_staff_postings_staff_id"), ["staff_id"])
        batch_op.create_index(batch_op.f("ix_staff_postings_unit_id"), ["unit_id"])


def downgrade() -> None:
    op.drop_table("staff_postings")
    op.drop_table("residencies")
    with op.batch_alter_table("staff_units", schema=None) as batch_op:
        batch_op.drop_column("since")
    with op.batch_alter_table("staff", schema=None) as batch_op:
        batch_op.drop_column("left_reason")
        batch_op.drop_column("left_at")
    with op.batch_alter_table("residents", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_residents_merged_into_residents"), type_="foreignkey"
        )
        batch_op.drop_column("merged_into")
        batch_op.drop_column("left_reason")
        batch_op.drop_column("left_at")
        batch_op.drop_column("moved_in_at")
