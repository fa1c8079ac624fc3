"""The organisation tables, on the shared metadata: organisations, the units they serve, their
members, party members' dual registration, activities and sign-ups. Rows are written by
``commgov.organisations.service`` only."""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Index, LargeBinary, Table, UniqueConstraint

from commgov.kernel.actors import LABEL_MAX as ACTOR_MAX
from commgov.kernel.columns import Int, Moment, Str
from commgov.kernel.tables import metadata
from commgov.organisations.model.limits import (
    CODE_MAX,
    CONTACT_MAX,
    NAME_MAX,
    NOTE_MAX,
    WORKPLACE_MAX,
)

organisations = Table(
    "organisations",
    metadata,
    Column("id", Int, primary_key=True),
    Column("name", Str(NAME_MAX), nullable=False),
    Column("kind", Str(CODE_MAX), nullable=False),
    Column("unit_id", Int, ForeignKey("units.id"), nullable=False),
    Column("parent_id", Int, ForeignKey("organisations.id")),
    Column("contact_name", Str(CONTACT_MAX)),
    Column("contact_phone_cipher", LargeBinary),
    Column("created_at", Moment(), nullable=False),
    Column("created_by", Str(ACTOR_MAX), nullable=False),
    Column("dissolved_at", Moment()),
    UniqueConstraint("unit_id", "name"),
    Index(None, "parent_id"),
)

organisation_units = Table(
    "organisation_units",
    metadata,
    Column("organisation_id", Int, ForeignKey("organisations.id"), primary_key=True),
    Column("unit_id", Int, ForeignKey("units.id"), primary_key=True),
)
"""The units an organisation serves besides its home (a team serving several communities)."""

organisation_members = Table(
    "organisation_members",
    metadata,
    Column("organisation_id", Int, ForeignKey("organisations.id"), primary_key=True),
    Column("resident_id", Int, ForeignKey("residents.id"), primary_key=True),
    Column("role", Str(CODE_MAX), nullable=False),
    Column("joined_at", Moment(), nullable=False),
    Column("left_at", Moment()),
    Index(None, "resident_id"),
)

party_registrations = Table(
    "party_registrations",
    metadata,
    Column("resident_id", Int, ForeignKey("residents.id"), primary_key=True),
    Column("organisation_id", Int, ForeignKey("organisations.id"), nullable=False),
    Column("workplace", Str(WORKPLACE_MAX), nullable=False),
    Column("workplace_branch", Str(WORKPLACE_MAX), nullable=False),
    Column("registered_at", Moment(), nullable=False),
    Column("registered_by", Str(ACTOR_MAX), nullable=False),
    Index(None, "organisation_id"),
)
"""Party members' dual registration (党员双报到): the workplace they report to and the branch
of the community they live in, where they serve."""

activities = Table(
    "activities",
    metadata,
    Column("id", Int, primary_key=True),
    Column("organisation_id", Int, ForeignKey("organisations.id"), nullable=False),
    Column("title", Str(NAME_MAX), nullable=False),
    Column("kind", Str(CODE_MAX), nullable=False),
    Column("unit_id", Int, ForeignKey("units.id"), nullable=False),
    Column("booking_id", Int),
    Column("starts_at", Moment(), nullable=False),
    Column("ends_at", Moment(), nullable=False),
    Column("places", Int, nullable=False),
    Column("points_activity", Str(CODE_MAX)),
    Column("bank_time", Boolean, nullable=False),
    Column("state", Str(CODE_MAX), nullable=False),
    Column("note", Str(NOTE_MAX), nullable=False),
    Column("created_at", Moment(), nullable=False),
    Column("created_by", Str(ACTOR_MAX), nullable=False),
    Index(None, "organisation_id", "starts_at"),
    Index(None, "unit_id", "starts_at"),
)

activity_signups = Table(
    "activity_signups",
    metadata,
    Column("activity_id", Int, ForeignKey("activities.id"), primary_key=True),
    Column("resident_id", Int, ForeignKey("residents.id"), primary_key=True),
    Column("state", Str(CODE_MAX), nullable=False),
    Column("signed_at", Moment(), nullable=False),
    Column("queued", Int, nullable=False),
    Column("attended", Boolean),
    Column("points", Int, nullable=False),
    Column("minutes", Int, nullable=False),
    Column("paid_round", Int, nullable=False),
    Index(None, "resident_id"),
)
"""One row per resident and activity: signing up twice is refused by the key. ``queued``
orders the sign-ups of an activity (the waiting list), counted under the activity's lock."""
