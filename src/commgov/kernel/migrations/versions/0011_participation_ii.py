"""participation II: councils, their members, topics, meetings and resolutions; votes, their
rolls, turnout and ballots; the owners' register; projects, their funding, progress tree,
timeline and ratings

Revision ID: 0011
Revises: 0001
Create Date: 2026-12-03 15:00:00.000000
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0011"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "councils",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("dissolved_at", _WHEN, nullable=True),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_councils_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_councils")),
    )
    op.create_index(op.f("ix_councils_unit_id"), "councils", ["unit_id"], unique=False)
    op.create_table(
        "council_meetings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("council_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("mode", sa.String(length=40), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=True),
        sa.Column("link", sa.String(length=200), nullable=True),
        sa.Column("starts_at", _WHEN, nullable=False),
        sa.Column("ends_at", _WHEN, nullable=False),
        sa.Column("capacity", sa.Integer(), nullable=True),
        sa.Column("code", sa.String(length=6), nullable=False),
        sa.Column("state", sa.String(length=40), nullable=False),
        sa.Column("minutes", sa.String(length=4000), nullable=True),
        sa.Column("closed_at", _WHEN, nullable=True),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_council_meetings_council_id_councils")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_council_meetings")),
    )
    op.create_index(
        op.f("ix_council_meetings_council_id_starts_at"),
        "council_meetings",
        ["council_id", "starts_at"],
        unique=False,
    )
    op.create_table(
        "dwellings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("label", sa.String(length=60), nullable=False),
        sa.Column("area", sa.BigInteger(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("registered_at", _WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"], ["households.id"], name=op.f("fk_dwellings_household_id_households")
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_dwellings_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dwellings")),
        sa.UniqueConstraint("unit_id", "label", name=op.f("uq_dwellings_unit_id_label")),
    )
    op.create_index(op.f("ix_dwellings_household_id"), "dwellings", ["household_id"], unique=False)
    op.create_table(
        "votes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("council_id", sa.Integer(), nullable=True),
        sa.Column("question", sa.String(length=500), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("options", sa.JSON(), nullable=False),
        sa.Column("max_choices", sa.Integer(), nullable=False),
        sa.Column("electorate", sa.String(length=40), nullable=False),
        sa.Column("rule", sa.String(length=40), nullable=False),
        sa.Column("matter", sa.Integer(), nullable=True),
        sa.Column("secret", sa.Boolean(), nullable=False),
        sa.Column("changeable", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(length=40), nullable=False),
        sa.Column("opened_at", _WHEN, nullable=False),
        sa.Column("closes_at", _WHEN, nullable=True),
        sa.Column("closed_at", _WHEN, nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("roll_headcount", sa.Integer(), nullable=False),
        sa.Column("roll_area", sa.BigInteger(), nullable=False),
        sa.Column("record", sa.JSON(), nullable=True),
        sa.Column("cancel_reason", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_votes_council_id_councils")
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_votes_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_votes")),
    )
    op.create_index(op.f("ix_votes_council_id"), "votes", ["council_id"], unique=False)
    op.create_index(op.f("ix_votes_unit_id"), "votes", ["unit_id"], unique=False)
    op.create_table(
        "council_members",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("council_id", sa.Integer(), nullable=False),
        sa.Column("seat", sa.String(length=40), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=True),
        sa.Column("staff_id", sa.Integer(), nullable=True),
        sa.Column("represents", sa.String(length=500), nullable=True),
        sa.Column("term_start", sa.Date(), nullable=False),
        sa.Column("term_end", sa.Date(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=True),
        sa.Column("end_reason", sa.String(length=500), nullable=True),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_council_members_council_id_councils")
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"], ["residents.id"], name=op.f("fk_council_members_resident_id_residents")
        ),
        sa.ForeignKeyConstraint(
            ["staff_id"], ["staff.id"], name=op.f("fk_council_members_staff_id_staff")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_council_members")),
    )
    op.create_index(
        op.f("ix_council_members_council_id"), "council_members", ["council_id"], unique=False
    )
    op.create_index(
        op.f("ix_council_members_resident_id"), "council_members", ["resident_id"], unique=False
    )
    op.create_table(
        "council_topics",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("council_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.String(length=4000), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("source_ref", sa.Integer(), nullable=True),
        sa.Column("raised_by", sa.String(length=200), nullable=False),
        sa.Column("state", sa.String(length=40), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.String(length=500), nullable=True),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["council_id"], ["councils.id"], name=op.f("fk_council_topics_council_id_councils")
        ),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["council_meetings.id"],
            name=op.f("fk_council_topics_meeting_id_council_meetings"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_council_topics")),
    )
    op.create_index(
        op.f("ix_council_topics_council_id_state"),
        "council_topics",
        ["council_id", "state"],
        unique=False,
    )
    op.create_table(
        "meeting_attendance",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("person", sa.String(length=40), nullable=False),
        sa.Column("at", _WHEN, nullable=False),
        sa.Column("how", sa.String(length=40), nullable=False),
        sa.Column("recorded_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["council_meetings.id"],
            name=op.f("fk_meeting_attendance_meeting_id_council_meetings"),
        ),
        sa.PrimaryKeyConstraint("meeting_id", "person", name=op.f("pk_meeting_attendance")),
    )
    op.create_table(
        "meeting_registrations",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("person", sa.String(length=40), nullable=False),
        sa.Column("registered_at", _WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["council_meetings.id"],
            name=op.f("fk_meeting_registrations_meeting_id_council_meetings"),
        ),
        sa.PrimaryKeyConstraint("meeting_id", "person", name=op.f("pk_meeting_registrations")),
    )
    op.create_table(
        "vote_ballots",
        sa.Column("vote_id", sa.Integer(), nullable=False),
        sa.Column("digest", sa.LargeBinary(length=32), nullable=False),
        sa.Column("owner", sa.LargeBinary(length=32), nullable=False),
        sa.Column("choices", sa.Integer(), nullable=False),
        sa.Column("headcount", sa.Integer(), nullable=False),
        sa.Column("area", sa.BigInteger(), nullable=False),
        sa.Column("paper", sa.Boolean(), nullable=False),
        sa.Column("voter_key", sa.String(length=40), nullable=True),
        sa.ForeignKeyConstraint(
            ["vote_id"], ["votes.id"], name=op.f("fk_vote_ballots_vote_id_votes")
        ),
        sa.PrimaryKeyConstraint("vote_id", "digest", name=op.f("pk_vote_ballots")),
        sa.UniqueConstraint("vote_id", "voter_key", name=op.f("uq_vote_ballots_vote_id_voter_key")),
    )
    op.create_table(
        "vote_roll",
        sa.Column("vote_id", sa.Integer(), nullable=False),
        sa.Column("voter_key", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("headcount", sa.Integer(), nullable=False),
        sa.Column("area", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(["vote_id"], ["votes.id"], name=op.f("fk_vote_roll_vote_id_votes")),
        sa.PrimaryKeyConstraint("vote_id", "voter_key", name=op.f("pk_vote_roll")),
    )
    op.create_table(
        "council_resolutions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=True),
        sa.Column("text", sa.String(length=4000), nullable=False),
        sa.Column("follow_up", sa.String(length=40), nullable=False),
        sa.Column("reference", sa.Integer(), nullable=True),
        sa.Column("owner_staff_id", sa.Integer(), nullable=True),
        sa.Column("owner_department_id", sa.Integer(), nullable=True),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("done_at", _WHEN, nullable=True),
        sa.Column("done_note", sa.String(length=500), nullable=True),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["council_meetings.id"],
            name=op.f("fk_council_resolutions_meeting_id_council_meetings"),
        ),
        sa.ForeignKeyConstraint(
            ["owner_department_id"],
            ["departments.id"],
            name=op.f("fk_council_resolutions_owner_department_id_departments"),
        ),
        sa.ForeignKeyConstraint(
            ["owner_staff_id"],
            ["staff.id"],
            name=op.f("fk_council_resolutions_owner_staff_id_staff"),
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"],
            ["council_topics.id"],
            name=op.f("fk_council_resolutions_topic_id_council_topics"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_council_resolutions")),
    )
    op.create_index(
        op.f("ix_council_resolutions_meeting_id"),
        "council_resolutions",
        ["meeting_id"],
        unique=False,
    )
    op.create_table(
        "meeting_agenda",
        sa.Column("meeting_id", sa.Integer(), nullable=False),
        sa.Column("topic_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("summary", sa.String(length=4000), nullable=True),
        sa.ForeignKeyConstraint(
            ["meeting_id"],
            ["council_meetings.id"],
            name=op.f("fk_meeting_agenda_meeting_id_council_meetings"),
        ),
        sa.ForeignKeyConstraint(
            ["topic_id"],
            ["council_topics.id"],
            name=op.f("fk_meeting_agenda_topic_id_council_topics"),
        ),
        sa.PrimaryKeyConstraint("meeting_id", "topic_id", name=op.f("pk_meeting_agenda")),
    )
    op.create_table(
        "vote_turnout",
        sa.Column("vote_id", sa.Integer(), nullable=False),
        sa.Column("voter_key", sa.String(length=40), nullable=False),
        sa.Column("cast_at", _WHEN, nullable=False),
        sa.Column("changed_at", _WHEN, nullable=True),
        sa.Column("paper", sa.Boolean(), nullable=False),
        sa.Column("entered_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["vote_id", "voter_key"],
            ["vote_roll.vote_id", "vote_roll.voter_key"],
            name=op.f("fk_vote_turnout_vote_id_vote_roll"),
        ),
        sa.PrimaryKeyConstraint("vote_id", "voter_key", name=op.f("pk_vote_turnout")),
    )
    op.create_table(
        "projects",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("unit_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("description", sa.String(length=4000), nullable=False),
        sa.Column("state", sa.String(length=40), nullable=False),
        sa.Column("budget", sa.BigInteger(), nullable=False),
        sa.Column("rollup", sa.String(length=40), nullable=False),
        sa.Column("resolution_id", sa.Integer(), nullable=True),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", _WHEN, nullable=False),
        sa.Column("started_at", _WHEN, nullable=True),
        sa.Column("finished_at", _WHEN, nullable=True),
        sa.Column("cancel_reason", sa.String(length=1000), nullable=True),
        sa.ForeignKeyConstraint(
            ["resolution_id"],
            ["council_resolutions.id"],
            name=op.f("fk_projects_resolution_id_council_resolutions"),
        ),
        sa.ForeignKeyConstraint(["unit_id"], ["units.id"], name=op.f("fk_projects_unit_id_units")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_projects")),
    )
    op.create_index(op.f("ix_projects_unit_id"), "projects", ["unit_id"], unique=False)
    op.create_table(
        "project_funding",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=40), nullable=False),
        sa.Column("amount", sa.BigInteger(), nullable=False),
        sa.Column("funder", sa.String(length=100), nullable=False),
        sa.Column("resident_id", sa.Integer(), nullable=True),
        sa.Column("client_id", sa.String(length=140), nullable=True),
        sa.Column("at", _WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_project_funding_project_id_projects")
        ),
        sa.ForeignKeyConstraint(
            ["resident_id"], ["residents.id"], name=op.f("fk_project_funding_resident_id_residents")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_funding")),
    )
    op.create_index(
        op.f("ix_project_funding_project_id"), "project_funding", ["project_id"], unique=False
    )
    op.create_table(
        "project_items",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("parent_id", sa.Integer(), nullable=True),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("weight", sa.Integer(), nullable=False),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("rollup", sa.String(length=40), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=True),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["parent_id"],
            ["project_items.id"],
            name=op.f("fk_project_items_parent_id_project_items"),
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_project_items_project_id_projects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_items")),
    )
    op.create_index(
        op.f("ix_project_items_project_id"), "project_items", ["project_id"], unique=False
    )
    op.create_table(
        "project_ratings",
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("household_id", sa.Integer(), nullable=False),
        sa.Column("rating", sa.Integer(), nullable=False),
        sa.Column("comment", sa.String(length=1000), nullable=True),
        sa.Column("case_id", sa.Integer(), nullable=True),
        sa.Column("rated_at", _WHEN, nullable=False),
        sa.ForeignKeyConstraint(
            ["household_id"],
            ["households.id"],
            name=op.f("fk_project_ratings_household_id_households"),
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_project_ratings_project_id_projects")
        ),
        sa.PrimaryKeyConstraint("project_id", "household_id", name=op.f("pk_project_ratings")),
    )
    op.create_table(
        "project_events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("project_id", sa.Integer(), nullable=False),
        sa.Column("at", _WHEN, nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("item_id", sa.Integer(), nullable=True),
        sa.Column("progress", sa.Integer(), nullable=False),
        sa.Column("text", sa.String(length=1000), nullable=False),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["item_id"], ["project_items.id"], name=op.f("fk_project_events_item_id_project_items")
        ),
        sa.ForeignKeyConstraint(
            ["project_id"], ["projects.id"], name=op.f("fk_project_events_project_id_projects")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_project_events")),
    )
    op.create_index(
        op.f("ix_project_events_project_id_at"),
        "project_events",
        ["project_id", "at"],
        unique=False,
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_project_events_project_id_at"), table_name="project_events")
    op.drop_table("project_events")
    op.drop_table("project_ratings")
    op.drop_index(op.f("ix_project_items_project_id"), table_name="project_items")
    op.drop_table("project_items")
    op.drop_index(op.f("ix_project_funding_project_id"), table_name="project_funding")
    op.drop_table("project_funding")
    op.drop_index(op.f("ix_projects_unit_id"), table_name="projects")
    op.drop_table("projects")
    op.drop_table("vote_turnout")
    op.drop_table("meeting_agenda")
    op.drop_index(op.f("ix_council_resolutions_meeting_id"), table_name="council_resolutions")
    op.drop_table("council_resolutions")
    op.drop_table("vote_roll")
    op.drop_table("vote_ballots")
    op.drop_table("meeting_registrations")
    op.drop_table("meeting_attendance")
    op.drop_index(op.f("ix_council_topics_council_id_state"), table_name="council_topics")
    op.drop_table("council_topics")
    op.drop_index(op.f("ix_council_members_resident_id"), table_name="council_members")
    op.drop_index(op.f("ix_council_members_council_id"), table_name="council_members")
    op.drop_table("council_members")
    op.drop_index(op.f("ix_votes_unit_id"), table_name="votes")
    op.drop_index(op.f("ix_votes_council_id"), table_name="votes")
    op.drop_table("votes")
    op.drop_index(op.f("ix_dwellings_household_id"), table_name="dwellings")
    op.drop_table("dwellings")
    op.drop_index(op.f("ix_council_meetings_council_id_starts_at"), table_name="council_meetings")
    op.drop_table("council_meetings")
    op.drop_index(op.f("ix_councils_unit_id"), table_name="councils")
    op.drop_table("councils")
