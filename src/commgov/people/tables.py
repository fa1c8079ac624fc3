"""Tables of the people package: the unit tree, staff, departments, households, residents."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    UniqueConstraint,
)

from commgov.kernel.tables import metadata

units = Table(
    "units",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(64), nullable=False, unique=True),
    Column("name", String(128), nullable=False),
    Column("kind", String(32), nullable=False),
    Column("grid_type", String(32)),
    Column("covers", String(64)),
    Column("parent_id", Integer, ForeignKey("units.id")),
    Column("path", String(512), nullable=False),
    Column("depth", Integer, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("retired_at", DateTime(timezone=True)),
    Column("retired_reason", String(200)),
    Index(None, "parent_id"),
    Index(None, "path"),
)

unit_code_history = Table(
    "unit_code_history",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("unit_id", Integer, ForeignKey("units.id"), nullable=False),
    Column("code", String(64), nullable=False),
    Column("replaced_at", DateTime(timezone=True), nullable=False),
    Index(None, "code"),
)

unit_plugins = Table(
    "unit_plugins",
    metadata,
    Column("unit_id", Integer, ForeignKey("units.id"), primary_key=True),
    Column("plugin", String(100), primary_key=True),
)

staff = Table(
    "staff",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("name", String(64), nullable=False),
    Column("role", String(64), nullable=False),
    Column("employment", String(32)),
    Column("phone_cipher", LargeBinary),
    Column("department_id", Integer, ForeignKey("departments.id")),
    Column("active", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
)

staff_units = Table(
    "staff_units",
    metadata,
    Column("staff_id", Integer, ForeignKey("staff.id"), primary_key=True),
    Column("unit_id", Integer, ForeignKey("units.id"), primary_key=True),
    Index(None, "unit_id"),
)

departments = Table(
    "departments",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("code", String(64), nullable=False, unique=True),
    Column("name", String(128), nullable=False),
    Column("kind", String(64), nullable=False),
    Column("unit_id", Integer, ForeignKey("units.id"), nullable=False),
)

households = Table(
    "households",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("unit_id", Integer, ForeignKey("units.id"), nullable=False),
    Column("address", String(200), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Index(None, "unit_id"),
)

residents = Table(
    "residents",
    metadata,
    Column("id", Integer, primary_key=True),
    Column("household_id", Integer, ForeignKey("households.id"), nullable=False),
    Column("unit_id", Integer, ForeignKey("units.id"), nullable=False),
    Column("name", String(64), nullable=False),
    Column("id_cipher", LargeBinary),
    Column("id_hash", LargeBinary(32)),
    Column("phone_cipher", LargeBinary),
    Column("phone_hash", LargeBinary(32)),
    Column("birth_date", Date, nullable=False),
    Column("sex", String(1), nullable=False),
    Column("care_groups", String(400), nullable=False),
    Column("skills", String(400), nullable=False),
    Column("tags", String(400), nullable=False),
    Column("is_volunteer", Boolean, nullable=False),
    Column("is_party_member", Boolean, nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    UniqueConstraint("id_hash"),
    Index(None, "household_id"),
    Index(None, "unit_id"),
    Index(None, "phone_hash"),
)

__all__ = [
    "departments",
    "households",
    "residents",
    "staff",
    "staff_units",
    "unit_code_history",
    "unit_plugins",
    "units",
]
