"""Tables of the people package: the unit tree, staff, departments, households, residents."""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    Date,
    ForeignKey,
    Index,
    LargeBinary,
    Table,
    UniqueConstraint,
)

from commgov.kernel.columns import Int, Moment, Str
from commgov.kernel.tables import metadata
from commgov.people.model.limits import (
    ADDRESS_MAX,
    COVERS_MAX,
    DEPARTMENT_CODE_MAX,
    DEPARTMENT_KIND_MAX,
    DEPARTMENT_NAME_MAX,
    EMPLOYMENT_MAX,
    LEFT_REASON_MAX,
    LIST_MAX,
    NAME_MAX,
    PLUGIN_NAME_MAX,
    REASON_MAX,
    ROLE_MAX,
    UNIT_CODE_MAX,
    UNIT_KIND_MAX,
    UNIT_NAME_MAX,
    UNIT_PATH_MAX,
)

units = Table(
    "units",
    metadata,
    Column("id", Int, primary_key=True),
    Column("code", Str(UNIT_CODE_MAX), nullable=False, unique=True),
    Column("name", Str(UNIT_NAME_MAX), nullable=False),
    Column("kind", Str(UNIT_KIND_MAX), nullable=False),
    Column("grid_type", Str(UNIT_KIND_MAX)),
    Column("covers", Str(COVERS_MAX)),
    Column("parent_id", Int, ForeignKey("units.id")),
    Column("path", Str(UNIT_PATH_MAX), nullable=False),
    Column("depth", Int, nullable=False),
    Column("created_at", Moment(), nullable=False),
    Column("retired_at", Moment()),
    Column("retired_reason", Str(REASON_MAX)),
    Index(None, "parent_id"),
    Index(None, "path"),
)

unit_code_history = Table(
    "unit_code_history",
    metadata,
    Column("id", Int, primary_key=True),
    Column("unit_id", Int, ForeignKey("units.id"), nullable=False),
    Column("code", Str(UNIT_CODE_MAX), nullable=False),
    Column("replaced_at", Moment(), nullable=False),
    Index(None, "code"),
)

unit_plugins = Table(
    "unit_plugins",
    metadata,
    Column("unit_id", Int, ForeignKey("units.id"), primary_key=True),
    Column("plugin", Str(PLUGIN_NAME_MAX), primary_key=True),
)

staff = Table(
    "staff",
    metadata,
    Column("id", Int, primary_key=True),
    Column("name", Str(NAME_MAX), nullable=False),
    Column("role", Str(ROLE_MAX), nullable=False),
    Column("employment", Str(EMPLOYMENT_MAX)),
    Column("phone_cipher", LargeBinary),
    Column("department_id", Int, ForeignKey("departments.id")),
    Column("active", Boolean, nullable=False),
    Column("created_at", Moment(), nullable=False),
    Column("left_at", Moment()),
    Column("left_reason", Str(REASON_MAX)),
)

staff_units = Table(
    "staff_units",
    metadata,
    Column("staff_id", Int, ForeignKey("staff.id"), primary_key=True),
    Column("unit_id", Int, ForeignKey("units.id"), primary_key=True),
    Column("since", Moment()),
    Index(None, "unit_id"),
)

staff_postings = Table(
    "staff_postings",
    metadata,
    Column("id", Int, primary_key=True),
    Column("staff_id", Int, ForeignKey("staff.id"), nullable=False),
    Column("unit_id", Int, ForeignKey("units.id"), nullable=False),
    Column("from_at", Moment(), nullable=False),
    Column("until_at", Moment(), nullable=False),
    Column("end_reason", Str(REASON_MAX), nullable=False),
    Index(None, "staff_id"),
    Index(None, "unit_id"),
)
"""Postings that ended: a staff member answered for a unit from ``from_at`` until
``until_at`` (the current ones are in ``staff_units``, ``since`` there)."""

departments = Table(
    "departments",
    metadata,
    Column("id", Int, primary_key=True),
    Column("code", Str(DEPARTMENT_CODE_MAX), nullable=False, unique=True),
    Column("name", Str(DEPARTMENT_NAME_MAX), nullable=False),
    Column("kind", Str(DEPARTMENT_KIND_MAX), nullable=False),
    Column("unit_id", Int, ForeignKey("units.id"), nullable=False),
)

households = Table(
    "households",
    metadata,
    Column("id", Int, primary_key=True),
    Column("unit_id", Int, ForeignKey("units.id"), nullable=False),
    Column("address", Str(ADDRESS_MAX), nullable=False),
    Column("created_at", Moment(), nullable=False),
    Index(None, "unit_id"),
)

residents = Table(
    "residents",
    metadata,
    Column("id", Int, primary_key=True),
    Column("household_id", Int, ForeignKey("households.id"), nullable=False),
    Column("unit_id", Int, ForeignKey("units.id"), nullable=False),
    Column("name", Str(NAME_MAX), nullable=False),
    Column("id_cipher", LargeBinary),
    Column("id_hash", LargeBinary(32)),
    Column("phone_cipher", LargeBinary),
    Column("phone_hash", LargeBinary(32)),
    Column("birth_date", Date, nullable=False),
    Column("sex", Str(1), nullable=False),
    Column("care_groups", Str(LIST_MAX), nullable=False),
    Column("skills", Str(LIST_MAX), nullable=False),
    Column("tags", Str(LIST_MAX), nullable=False),
    Column("is_volunteer", Boolean, nullable=False),
    Column("is_party_member", Boolean, nullable=False),
    Column("created_at", Moment(), nullable=False),
    Column("moved_in_at", Moment()),
    Column("left_at", Moment()),
    Column("left_reason", Str(LEFT_REASON_MAX)),
    Column("merged_into", Int, ForeignKey("residents.id")),
    UniqueConstraint("id_hash"),
    Index(None, "household_id"),
    Index(None, "unit_id"),
    Index(None, "phone_hash"),
)

residencies = Table(
    "residencies",
    metadata,
    Column("id", Int, primary_key=True),
    Column("resident_id", Int, ForeignKey("residents.id"), nullable=False),
    Column("household_id", Int, ForeignKey("households.id"), nullable=False),
    Column("unit_id", Int, ForeignKey("units.id"), nullable=False),
    Column("from_at", Moment(), nullable=False),
    Column("until_at", Moment(), nullable=False),
    Column("end_reason", Str(LEFT_REASON_MAX), nullable=False),
    Index(None, "resident_id"),
    Index(None, "household_id"),
    Index(None, "unit_id"),
)
"""Residencies that ended: a resident lived in a household from ``from_at`` until
``until_at``. The current one is on the resident's row: ``household_id`` since
``moved_in_at`` (``NULL``: since ``created_at``) until ``left_at`` (``NULL``: still there)."""

__all__ = [
    "departments",
    "households",
    "residencies",
    "residents",
    "staff",
    "staff_postings",
    "staff_units",
    "unit_code_history",
    "unit_plugins",
    "units",
]
