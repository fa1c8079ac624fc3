"""api keys held by residents (the console's own statement for a resident)

Revision ID: 0017
Revises: 0015
Create Date: 2026-12-04 21:50:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0015"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("api_keys") as batch:
        batch.add_column(sa.Column("resident_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            op.f("fk_api_keys_resident_id_residents"), "residents", ["resident_id"], ["id"]
        )


def downgrade() -> None:
    with op.batch_alter_table("api_keys") as batch:
        batch.drop_constraint(op.f("fk_api_keys_resident_id_residents"), type_="foreignkey")
        batch.drop_column("resident_id")
