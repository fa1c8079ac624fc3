"""resources: shared resources, their closed periods, bookings and series, and the per-slot
usage whose CHECK holds capacity

Revision ID: 0012
Revises: 0001
Create Date: 2026-12-05 10:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "resources",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("scope_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("slot_minutes", sa.Integer(), nullable=False),
        sa.Column("hours", sa.JSON(), nullable=False),
        sa.Column("bookers", sa.String(length=40), nullable=False),
        sa.Column("shared", sa.Boolean(), nullable=False),
        sa.Column("horizon_days", sa.Integer(), nullable=False),
        sa.Column("longest_minutes", sa.Integer(), nullable=False),
        sa.Column("approval", sa.Boolean(), nullable=False),
        sa.Column("description", sa.String(length=1000), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["scope_id"], ["units.id"], name=op.f("fk_resources_scope_id_units")
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_resources_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resources")),
    )
    op.create_index(op.f("ix_resources_unit_id"), "resources", ["unit_id"], unique=False)
    op.create_table(
        "resource_closures",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", _WHEN, nullable=False),
        sa.Column("ends_at", _WHEN, nullable=False),
        sa.Column("reason", sa.String(length=500), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["resources.id"],
            name=op.f("fk_resource_closures_resource_id_resources"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resource_closures")),
    )
    op.create_index(
        op.f("ix_resource_closures_resource_id_starts_at"),
        "resource_closures",
        ["resource_id", "starts_at"],
        unique=False,
    )
    op.create_table(
        "resource_series",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.Column("repeat", sa.String(length=40), nullable=False),
        sa.Column("occurrences", sa.Integer(), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["resources.id"],
            name=op.f("fk_resource_series_resource_id_resources"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resource_series")),
    )
    op.create_table(
        "resource_slots",
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.Column("starts_at", _WHEN, nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=False),
        sa.Column("used", sa.Integer(), nullable=False),
        sa.CheckConstraint(
            "used >= 0 AND used <= capacity",
            name=op.f("ck_resource_slots_used_within_capacity"),
        ),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["resources.id"],
            name=op.f("fk_resource_slots_resource_id_resources"),
        ),
        sa.PrimaryKeyConstraint("resource_id", "starts_at", name=op.f("pk_resource_slots")),
    )
    op.create_table(
        "resource_bookings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("resource_id", sa.Integer(), nullable=False),
        sa.Column("series_id", sa.Integer(), nullable=True),
        sa.Column("starts_at", _WHEN, nullable=False),
        sa.Column("ends_at", _WHEN, nullable=False),
        sa.Column("party_size", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=40), nullable=False),
        sa.Column("booked_by", sa.String(length=200), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=True),
        sa.Column("household_id", sa.Integer(), nullable=True),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("purpose", sa.String(length=500), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("decided_at", _WHEN, nullable=True),
        sa.Column("released_from", _WHEN, nullable=True),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_resource_bookings_household_id_households"),
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["residents.id"],
            name=op.f("fk_resource_bookings_resident_id_residents"),
        ),
        sa.ForeignKeyConstraint(
            ["resource_id"],
            ["resources.id"],
            name=op.f("fk_resource_bookings_resource_id_resources"),
        ),
        sa.ForeignKeyConstraint(
            ["series_id"],
            ["resource_series.id"],
            name=op.f("fk_resource_bookings_series_id_resource_series"),
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_resource_bookings_staff_id_staff")
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_resource_bookings_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_resource_bookings")),
    )
    op.create_index(
        op.f("ix_resource_bookings_resident_id"),
        "resource_bookings",
        ["resident_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_resource_bookings_resource_id_starts_at"),
        "resource_bookings",
        ["resource_id", "starts_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_resource_bookings_staff_id"), "resource_bookings", ["staff_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_resource_bookings_staff_id"), table_name="resource_bookings")
    op.drop_index(
        op.f("ix_resource_bookings_resource_id_starts_at"), table_name="resource_bookings"
    )
    op.drop_index(op.f("ix_resource_bookings_resident_id"), table_name="resource_bookings")
    op.drop_table("resource_bookings")
    op.drop_table("resource_slots")
    op.drop_table("resource_series")
    op.drop_index(
        op.f("ix_resource_closures_resource_id_starts_at"), table_name="resource_closures"
    )
    op.drop_table("resource_closures")
    op.drop_index(op.f("ix_resources_unit_id"), table_name="resources")
    op.drop_table("resources")
