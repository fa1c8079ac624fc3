"""The council tables, on the shared metadata: councils and their memberships. Rows are
written by ``commgov.councils.service`` only."""

from __future__ import annotations

from sqlalchemy import Column, Date, ForeignKey, Index, Table

from commgov.councils.model.limits import (
    CODE_DIGITS,
    CODE_MAX,
    NAME_MAX,
    NOTE_MAX,
    PERSON_KEY_MAX,
    PLACE_MAX,
    TEXT_MAX,
    TITLE_MAX,
)
from commgov.kernel.actors import LABEL_MAX as ACTOR_MAX
from commgov.kernel.columns import Int, Moment, Str
from commgov.kernel.tables import metadata

councils = Table(
    "councils",
    metadata,
    Column("id", Int, primary_key=True),
    Column("unit_id", Int, ForeignKey("units.id"), nullable=False),
    Column("name", Str(NAME_MAX), nullable=False),
    Column("kind", Str(CODE_MAX), nullable=False),
    Column("created_at", Moment(), nullable=False),
    Column("dissolved_at", Moment()),
    Index(None, "unit_id"),
)

council_members = Table(
    "council_members",
    metadata,
    Column("id", Int, primary_key=True),
    Column("council_id", Int, ForeignKey("councils.id"), nullable=False),
    Column("seat", Str(CODE_MAX), nullable=False),
    Column("role", Str(CODE_MAX), nullable=False),
    Column("name", Str(NAME_MAX), nullable=False),
    Column("resident_id", Int, ForeignKey("residents.id")),
    Column("staff_id", Int, ForeignKey("staff.id")),
    Column("represents", Str(NOTE_MAX)),
    Column("term_start", Date, nullable=False),
    Column("term_end", Date, nullable=False),
    Column("ended_on", Date),
    Column("end_reason", Str(NOTE_MAX)),
    Index(None, "council_id"),
    Index(None, "resident_id"),
)
"""A person holding two seats has two rows; a vote's roll counts them once."""

council_topics = Table(
    "council_topics",
    metadata,
    Column("id", Int, primary_key=True),
    Column("council_id", Int, ForeignKey("councils.id"), nullable=False),
    Column("title", Str(TITLE_MAX), nullable=False),
    Column("description", Str(TEXT_MAX), nullable=False),
    Column("source", Str(CODE_MAX), nullable=False),
    Column("source_ref", Int),
    Column("raised_by", Str(ACTOR_MAX), nullable=False),
    Column("state", Str(CODE_MAX), nullable=False),
    Column("meeting_id", Int, ForeignKey("council_meetings.id")),
    Column("note", Str(NOTE_MAX)),
    Column("created_at", Moment(), nullable=False),
    Index(None, "council_id", "state"),
)
"""``source_ref`` is the suggestion's (wish's) or the case's id; ``meeting_id`` the meeting
whose agenda holds the topic now."""

council_meetings = Table(
    "council_meetings",
    metadata,
    Column("id", Int, primary_key=True),
    Column("council_id", Int, ForeignKey("councils.id"), nullable=False),
    Column("title", Str(TITLE_MAX), nullable=False),
    Column("mode", Str(CODE_MAX), nullable=False),
    Column("place", Str(PLACE_MAX)),
    Column("link", Str(PLACE_MAX)),
    Column("starts_at", Moment(), nullable=False),
    Column("ends_at", Moment(), nullable=False),
    Column("capacity", Int),
    Column("code", Str(CODE_DIGITS), nullable=False),
    Column("state", Str(CODE_MAX), nullable=False),
    Column("minutes", Str(TEXT_MAX)),
    Column("closed_at", Moment()),
    Column("created_at", Moment(), nullable=False),
    Index(None, "council_id", "starts_at"),
)

meeting_agenda = Table(
    "meeting_agenda",
    metadata,
    Column("meeting_id", Int, ForeignKey("council_meetings.id"), primary_key=True),
    Column("topic_id", Int, ForeignKey("council_topics.id"), primary_key=True),
    Column("position", Int, nullable=False),
    Column("summary", Str(TEXT_MAX)),
)
"""The topics a meeting takes up, in order, each with its summary in the minutes."""

meeting_registrations = Table(
    "meeting_registrations",
    metadata,
    Column("meeting_id", Int, ForeignKey("council_meetings.id"), primary_key=True),
    Column("person", Str(PERSON_KEY_MAX), primary_key=True),
    Column("registered_at", Moment(), nullable=False),
)

meeting_attendance = Table(
    "meeting_attendance",
    metadata,
    Column("meeting_id", Int, ForeignKey("council_meetings.id"), primary_key=True),
    Column("person", Str(PERSON_KEY_MAX), primary_key=True),
    Column("at", Moment(), nullable=False),
    Column("how", Str(CODE_MAX), nullable=False),
    Column("recorded_by", Str(ACTOR_MAX), nullable=False),
)

council_resolutions = Table(
    "council_resolutions",
    metadata,
    Column("id", Int, primary_key=True),
    Column("meeting_id", Int, ForeignKey("council_meetings.id"), nullable=False),
    Column("topic_id", Int, ForeignKey("council_topics.id")),
    Column("text", Str(TEXT_MAX), nullable=False),
    Column("follow_up", Str(CODE_MAX), nullable=False),
    Column("reference", Int),
    Column("owner_staff_id", Int, ForeignKey("staff.id")),
    Column("owner_department_id", Int, ForeignKey("departments.id")),
    Column("due_on", Date),
    Column("done_at", Moment()),
    Column("done_note", Str(NOTE_MAX)),
    Column("created_at", Moment(), nullable=False),
    Index(None, "meeting_id"),
)
"""``reference`` is the id of the case, project or vote that follows the resolution."""

__all__ = [
    "council_meetings",
    "council_members",
    "council_resolutions",
    "council_topics",
    "councils",
    "meeting_agenda",
    "meeting_attendance",
    "meeting_registrations",
]
