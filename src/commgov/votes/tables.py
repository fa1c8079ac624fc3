"""The vote tables, on the shared metadata. Rows are written by ``commgov.votes.service`` only.

- ``votes``: the question, its options, electorate and rule, and the counts once closed.
- ``vote_roll``: who may vote, frozen when the vote opens, with each voter's weight.
- ``vote_turnout``: who voted. Its primary key (vote, voter) is the one-ballot rule, and its
  foreign key to the roll refuses anyone not on it: both enforced by the store.
- ``vote_ballots``: what was chosen. A secret ballot's row names no voter and carries no time
  or sequence: it is found by its receipt's digest only, and changed only by its voter holding
  the receipt (``owner``). An open ballot's row names its voter.
- ``dwellings``: the owners' register (专有部分 and their floor areas) an owners' vote weighs.
"""

from __future__ import annotations

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    ForeignKeyConstraint,
    Index,
    LargeBinary,
    Table,
    UniqueConstraint,
)

from commgov.kernel.actors import LABEL_MAX as ACTOR_MAX
from commgov.kernel.columns import BigInt, Int, Json, Moment, Str
from commgov.kernel.tables import metadata
from commgov.votes.model.limits import (
    CODE_MAX,
    DWELLING_MAX,
    LABEL_MAX,
    NOTE_MAX,
    QUESTION_MAX,
    VOTER_KEY_MAX,
)

votes = Table(
    "votes",
    metadata,
    Column("id", Int, primary_key=True),
    Column("unit_id", Int, ForeignKey("units.id"), nullable=False),
    Column("council_id", Int, ForeignKey("councils.id")),
    Column("question", Str(QUESTION_MAX), nullable=False),
    Column("kind", Str(CODE_MAX), nullable=False),
    Column("options", Json(), nullable=False),
    Column("max_choices", Int, nullable=False),
    Column("electorate", Str(CODE_MAX), nullable=False),
    Column("rule", Str(CODE_MAX), nullable=False),
    Column("matter", Int),
    Column("secret", Boolean, nullable=False),
    Column("changeable", Boolean, nullable=False),
    Column("state", Str(CODE_MAX), nullable=False),
    Column("opened_at", Moment(), nullable=False),
    Column("closes_at", Moment()),
    Column("closed_at", Moment()),
    Column("created_by", Str(ACTOR_MAX), nullable=False),
    Column("roll_headcount", Int, nullable=False),
    Column("roll_area", BigInt, nullable=False),
    Column("record", Json()),
    Column("cancel_reason", Str(NOTE_MAX)),
    Index(None, "unit_id"),
    Index(None, "council_id"),
)

vote_roll = Table(
    "vote_roll",
    metadata,
    Column("vote_id", Int, ForeignKey("votes.id"), primary_key=True),
    Column("voter_key", Str(VOTER_KEY_MAX), primary_key=True),
    Column("label", Str(LABEL_MAX), nullable=False),
    Column("headcount", Int, nullable=False),
    Column("area", BigInt, nullable=False),
)

vote_turnout = Table(
    "vote_turnout",
    metadata,
    Column("vote_id", Int, primary_key=True),
    Column("voter_key", Str(VOTER_KEY_MAX), primary_key=True),
    Column("cast_at", Moment(), nullable=False),
    Column("changed_at", Moment()),
    Column("paper", Boolean, nullable=False),
    Column("entered_by", Str(ACTOR_MAX), nullable=False),
    ForeignKeyConstraint(["vote_id", "voter_key"], ["vote_roll.vote_id", "vote_roll.voter_key"]),
)

vote_ballots = Table(
    "vote_ballots",
    metadata,
    Column("vote_id", Int, ForeignKey("votes.id"), primary_key=True),
    Column("digest", LargeBinary(32), primary_key=True),
    Column("owner", LargeBinary(32), nullable=False),
    Column("choices", Int, nullable=False),
    Column("headcount", Int, nullable=False),
    Column("area", BigInt, nullable=False),
    Column("paper", Boolean, nullable=False),
    Column("voter_key", Str(VOTER_KEY_MAX)),
    UniqueConstraint("vote_id", "voter_key"),
)
"""``voter_key`` is set on open ballots only; a secret ballot is reached by its digest.
``owner`` hashes the voter's key with the receipt: changing a ballot needs both, so one voter
cannot replace another's ballot with a receipt that is not theirs, and without the receipt the
tag says nothing about whose ballot it is."""

dwellings = Table(
    "dwellings",
    metadata,
    Column("id", Int, primary_key=True),
    Column("unit_id", Int, ForeignKey("units.id"), nullable=False),
    Column("label", Str(DWELLING_MAX), nullable=False),
    Column("area", BigInt, nullable=False),
    Column("household_id", Int, ForeignKey("households.id"), nullable=False),
    Column("registered_at", Moment(), nullable=False),
    UniqueConstraint("unit_id", "label"),
    Index(None, "household_id"),
)

__all__ = ["dwellings", "vote_ballots", "vote_roll", "vote_turnout", "votes"]
