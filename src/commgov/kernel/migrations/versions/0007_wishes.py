"""wishes

Revision ID: 0007
Revises: 0001
Create Date: 2026-12-01 09:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = "0003"  # the cases table a suggestion's case is in

_WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "wishes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("category", sa.String(length=100), nullable=False),
        sa.Column("text", sa.String(length=1000), nullable=False),
        sa.Column("author_kind", sa.String(length=16), nullable=False),
        sa.Column("author_resident_id", sa.Integer(), nullable=True),
        sa.Column("author_staff_id", sa.Integer(), nullable=True),
        sa.Column("author_name", sa.String(length=100), nullable=True),
        sa.Column("author_ref", sa.String(length=500), nullable=True),
        sa.Column("address", sa.String(length=200), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("photos", sa.JSON(), nullable=False),
        sa.Column("wanted_by", sa.Date(), nullable=True),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("committed", sa.Integer(), nullable=False),
        sa.Column("tier", sa.String(length=16), nullable=True),
        sa.Column("target", sa.Date(), nullable=True),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("closed_at", _WHEN, nullable=True),
        sa.Column("closed_reason", sa.String(length=500), nullable=True),
        sa.Column("rating", sa.Integer(), nullable=True),
        sa.Column("evidence", sa.JSON(), nullable=False),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("referred_to", sa.String(length=16), nullable=True),
        sa.Column("reference", sa.String(length=500), nullable=True),
        sa.Column("rewards", sa.JSON(), nullable=False),
        sa.CheckConstraint(
            "committed >= 0 AND committed <= quantity",
            name=op.f("ck_wishes_committed_within_quantity"),
        ),
        sa.ForeignKeyConstraint(
            ["author_resident_id"],
            ["residents.id"],
            name=op.f("fk_wishes_author_resident_id_residents"),
        ),
        sa.ForeignKeyConstraint(
            ["author_staff_id"], ["staff.id"], name=op.f("fk_wishes_author_staff_id_staff")
        ),
        sa.ForeignKeyConstraint(["case_id"], ["cases.id"], name=op.f("fk_wishes_case_id_cases")),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_wishes_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wishes")),
    )
    op.create_index(
        op.f("ix_wishes_unit_id_kind_state"), "wishes", ["unit_id", "kind", "state"], unique=False
    )
    op.create_index(
        op.f("ix_wishes_author_resident_id"), "wishes", ["author_resident_id"], unique=False
    )
    op.create_index(op.f("ix_wishes_author_staff_id"), "wishes", ["author_staff_id"], unique=False)
    op.create_table(
        "wish_matches",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("want_id", sa.Integer(), nullable=False),
        sa.Column("offer_id", sa.Integer(), nullable=False),
        sa.Column("quantity", sa.Integer(), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
        sa.Column("reasons", sa.JSON(), nullable=False),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("proposed_by", sa.String(length=200), nullable=False),
        sa.Column("proposed_at", _WHEN, nullable=False),
        sa.Column("decided_by", sa.String(length=200), nullable=True),
        sa.Column("decided_at", _WHEN, nullable=True),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["offer_id"], ["wishes.id"], name=op.f("fk_wish_matches_offer_id_wishes")
        ),
        sa.ForeignKeyConstraint(
            ["want_id"], ["wishes.id"], name=op.f("fk_wish_matches_want_id_wishes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_wish_matches")),
    )
    op.create_index(op.f("ix_wish_matches_want_id"), "wish_matches", ["want_id"], unique=False)
    op.create_index(op.f("ix_wish_matches_offer_id"), "wish_matches", ["offer_id"], unique=False)


def downgrade() -> None:
    op.drop_index(op.f("ix_wish_matches_offer_id"), table_name="wish_matches")
    op.drop_index(op.f("ix_wish_matches_want_id"), table_name="wish_matches")
    op.drop_table("wish_matches")
    op.drop_index(op.f("ix_wishes_author_staff_id"), table_name="wishes")
    op.drop_index(op.f("ix_wishes_author_resident_id"), table_name="wishes")
    op.drop_index(op.f("ix_wishes_unit_id_kind_state"), table_name="wishes")
    op.drop_table("wishes")
