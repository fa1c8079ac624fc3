"""case numbers: a gap-free number per town and year beside the id, the counters they are
taken from, and the reporter's phone (encrypted)

Revision ID: 0006
Revises: 0003
Create Date: 2026-12-03 10:00:00.000000

Existing cases are numbered in id order per town and year (the year in the store's time zone),
and their report events carry the number as new ones do.
"""

import datetime as dt
from collections.abc import Sequence
from typing import Any
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_TOWN_KINDS = ("town", "street")
_DEFAULT_ZONE = "Asia/Shanghai"
_NUMBER_COLUMNS = ("town_id", "year", "seq")


def upgrade() -> None:
    op.create_table(
        "case_counters",
        sa.Column("town_id", sa.Integer(), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["town_id"], ["units.id"], name=op.f("fk_case_counters_town_id_units")
        ),
        sa.PrimaryKeyConstraint("town_id", "year", name=op.f("pk_case_counters")),
    )
    # NOT NULL with a default, so SQLite adds them in place (no copy of a table holding rows);
    # the default goes again below where the back end can drop it
    for name in _NUMBER_COLUMNS:
        op.add_column("cases", sa.Column(name, sa.Integer(), nullable=False, server_default="0"))
    op.add_column("cases", sa.Column("reporter_phone_cipher", sa.LargeBinary(), nullable=True))
    _number_existing_cases(op.get_bind())
    if op.get_bind().dialect.name != "sqlite":
        for name in _NUMBER_COLUMNS:
            op.alter_column("cases", name, server_default=None)
    op.create_index(
        op.f("ix_cases_town_id_year_seq"), "cases", ["town_id", "year", "seq"], unique=True
    )


def _number_existing_cases(conn: sa.Connection) -> None:
    meta = sa.table("commgov_meta", sa.column("key", sa.String), sa.column("value", sa.LargeBinary))
    units = sa.table(
        "units",
        sa.column("id", sa.Integer),
        sa.column("kind", sa.String),
        sa.column("path", sa.String),
    )
    cases = sa.table(
        "cases",
        sa.column("id", sa.Integer),
        sa.column("unit_id", sa.Integer),
        sa.column("reported_at", sa.DateTime(timezone=True)),
        *(sa.column(name, sa.Integer) for name in _NUMBER_COLUMNS),
    )
    events = sa.table(
        "case_events",
        sa.column("id", sa.Integer),
        sa.column("case_id", sa.Integer),
        sa.column("seq", sa.Integer),
        sa.column("data", sa.JSON),
    )
    counters = sa.table(
        "case_counters",
        sa.column("town_id", sa.Integer),
        sa.column("year", sa.Integer),
        sa.column("last", sa.Integer),
    )
    kept = conn.execute(sa.select(meta.c.value).where(meta.c.key == "time_zone")).scalar()
    zone = ZoneInfo(bytes(kept).decode() if kept is not None else _DEFAULT_ZONE)
    kinds: dict[int, str] = {}
    paths: dict[int, list[int]] = {}
    for unit_id, kind, path in conn.execute(sa.select(units.c.id, units.c.kind, units.c.path)):
        kinds[unit_id] = kind
        paths[unit_id] = [int(p) for p in path.strip("/").split("/")]

    def town_of(unit_id: int) -> int:
        line = paths[unit_id]
        return next((u for u in reversed(line) if kinds.get(u) in _TOWN_KINDS), line[0])

    last: dict[tuple[int, int], int] = {}
    numbers: list[dict[str, Any]] = []
    query = sa.select(cases.c.id, cases.c.unit_id, cases.c.reported_at).order_by(cases.c.id)
    for case_id, unit_id, reported_at in conn.execute(query):
        moment = reported_at if reported_at.tzinfo else reported_at.replace(tzinfo=dt.UTC)
        key = (town_of(unit_id), moment.astimezone(zone).year)
        last[key] = last.get(key, 0) + 1
        numbers.append({"_id": case_id, "town_id": key[0], "year": key[1], "seq": last[key]})
    if not numbers:
        return
    conn.execute(
        sa.update(cases)
        .where(cases.c.id == sa.bindparam("_id"))
        .values({name: sa.bindparam(name) for name in _NUMBER_COLUMNS}),
        numbers,
    )
    conn.execute(
        sa.insert(counters), [{"town_id": t, "year": y, "last": n} for (t, y), n in last.items()]
    )
    by_case = {n["_id"]: n for n in numbers}
    reports = conn.execute(
        sa.select(events.c.id, events.c.case_id, events.c.data).where(events.c.seq == 1)
    ).all()
    conn.execute(
        sa.update(events)
        .where(events.c.id == sa.bindparam("_id"))
        .values(data=sa.bindparam("data")),
        [
            {
                "_id": event_id,
                "data": {
                    **data,
                    "town_id": by_case[case_id]["town_id"],
                    "number": f"{by_case[case_id]['year']}-{by_case[case_id]['seq']:06d}",
                },
            }
            for event_id, case_id, data in reports
            if case_id in by_case
        ],
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_cases_town_id_year_seq"), table_name="cases")
    with op.batch_alter_table("cases", schema=None) as batch_op:
        batch_op.drop_column("reporter_phone_cipher")
        for name in reversed(_NUMBER_COLUMNS):
            batch_op.drop_column(name)
    op.drop_table("case_counters")
