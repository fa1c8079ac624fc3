"""participation III: organisations, the units they serve, their members, party members'
dual registration, activities and sign-ups

Revision ID: 0014
Revises: 0001
Create Date: 2026-12-03 18:40:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "organisations",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("contact_name", sa.String(length=40), nullable=True),
        sa.Column("contact_phone_cipher", sa.LargeBinary(), nullable=True),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("dissolved_at", _WHEN, nullable=True),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["organisations.id"],
            name=op.f("fk_organisations_parent_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_organisations_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_organisations")),
        sa.UniqueConstraint("unit_id", "name", name=op.f("uq_organisations_unit_id_name")),
    )
    op.create_index(
        op.f("ix_organisations_parent_id"), "organisations", ["parent_id"], unique=False
    )
    op.create_table(
        "activities",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("booking_id", sa.Integer(), nullable=True),
        sa.Column("starts_at", _WHEN, nullable=False),
        sa.Column("ends_at", _WHEN, nullable=False),
        sa.Column("places", sa.Integer(), nullable=False),
        sa.Column("points_activity", sa.String(length=40), nullable=True),
        sa.Column("bank_time", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(length=40), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_activities_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_activities_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_activities")),
    )
    op.create_index(
        op.f("ix_activities_organisation_id_starts_at"),
        "activities",
        ["organisation_id", "starts_at"],
        unique=False,
    )
    op.create_index(
        op.f("ix_activities_unit_id_starts_at"),
        "activities",
        ["unit_id", "starts_at"],
        unique=False,
    )
    op.create_table(
        "organisation_units",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_organisation_units_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["unit_id"], ["units.id"], name=op.f("fk_organisation_units_unit_id_units")
        ),
        sa.PrimaryKeyConstraint("organisation_id", "unit_id", name=op.f("pk_organisation_units")),
    )
    op.create_table(
        "activity_signups",
        sa.Column("activity_id", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("state", sa.String(length=40), nullable=False),
        sa.Column("signed_at", _WHEN, nullable=False),
        sa.Column("queued", sa.Integer(), nullable=False),
        sa.Column("attended", sa.Boolean(), nullable=True),
        sa.Column("points", sa.Integer(), nullable=False),
        sa.Column("minutes", sa.Integer(), nullable=False),
        sa.Column("paid_round", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["activity_id"],
            ["activities.id"],
            name=op.f("fk_activity_signups_activity_id_activities"),
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["residents.id"],
            name=op.f("fk_activity_signups_resident_id_residents"),
        ),
        sa.PrimaryKeyConstraint("activity_id", "resident_id", name=op.f("pk_activity_signups")),
    )
    op.create_index(
        op.f("ix_activity_signups_resident_id"), "activity_signups", ["resident_id"], unique=False
    )
    op.create_table(
        "organisation_members",
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("joined_at", _WHEN, nullable=False),
        sa.Column("left_at", _WHEN, nullable=True),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_organisation_members_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["residents.id"],
            name=op.f("fk_organisation_members_resident_id_residents"),
        ),
        sa.PrimaryKeyConstraint(
            "organisation_id", "resident_id", name=op.f("pk_organisation_members")
        ),
    )
    op.create_index(
        op.f("ix_organisation_members_resident_id"),
        "organisation_members",
        ["resident_id"],
        unique=False,
    )
    op.create_table(
        "party_registrations",
        sa.Column("resident_id", sa.Integer(), nullable=False),
        sa.Column("organisation_id", sa.Integer(), nullable=False),
        sa.Column("workplace", sa.String(length=100), nullable=False),
        sa.Column("workplace_branch", sa.String(length=100), nullable=False),
        sa.Column("registered_at", _WHEN, nullable=False),
        sa.Column("registered_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["organisation_id"],
            ["organisations.id"],
            name=op.f("fk_party_registrations_organisation_id_organisations"),
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"],
            ["residents.id"],
            name=op.f("fk_party_registrations_resident_id_residents"),
        ),
        sa.PrimaryKeyConstraint("resident_id", name=op.f("pk_party_registrations")),
    )
    op.create_index(
        op.f("ix_party_registrations_organisation_id"),
        "party_registrations",
        ["organisation_id"],
        unique=False,
    )


def downgrade() -> None:
    for table in (
        "party_registrations",
        "organisation_members",
        "activity_signups",
        "organisation_units",
        "activities",
        "organisations",
    ):
        op.drop_table(table)
