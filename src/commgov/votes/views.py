"""What the vote service hands out: votes, receipts, results with both weights, turnout, the
owners' register."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from commgov.kernel.views import View


class VoteView(View):
    """A vote as anyone within reach sees it: no counts until it closes."""

    id: int
    unit_code: str
    council_id: int | None
    question: str
    kind: str
    options: list[str]
    max_choices: int
    electorate: str
    rule: str
    matter: int | None
    secret: bool
    changeable: bool
    state: str
    state_label: str
    opened_at: dt.datetime
    closes_at: dt.datetime | None
    closed_at: dt.datetime | None
    roll_headcount: int
    roll_area: Decimal
    """The roll's total floor area in m² (0 unless the electorate is the owners)."""
    cancel_reason: str | None = None


class BallotReceipt(View):
    """What a voter gets back: the ``receipt`` (a secret: keep it to check, after the vote
    closes, that the ballot was counted, and to change a secret ballot while the vote
    allows it) and whether this replaced an earlier ballot."""

    vote_id: int
    receipt: str
    digest: str
    """The receipt's digest, as the result will publish it."""
    changed: bool
    paper: bool

    def __repr_args__(self):  # type: ignore[no-untyped-def]
        for key, value in super().__repr_args__():
            yield key, "…" if key == "receipt" else value


class OptionResult(View):
    """One option's support on both weights, its shares of those who took part, and whether
    it carried."""

    label: str
    headcount: int
    area: Decimal
    headcount_share: float
    area_share: float
    carried: bool


class OpenChoice(View):
    """Who chose what, published for an open (not secret) vote once it closes."""

    voter: str
    choices: list[str]
    paper: bool


class ResultView(View):
    """A closed vote's result, reported on both weights: the roll, those who took part (and
    whether each weight met the quorum), each option's support, the outcome, and the receipt
    digests of every counted ballot (hex, sorted) so any voter can find theirs."""

    vote_id: int
    question: str
    rule: str
    matter: int | None
    threshold: str
    roll_headcount: int
    roll_area: Decimal
    cast_headcount: int
    cast_area: Decimal
    ballots: int
    paper_ballots: int
    quorum: dict[str, bool]
    options: list[OptionResult]
    outcome: str
    outcome_label: str
    carried: list[str]
    digests: list[str]
    choices: list[OpenChoice] | None = None
    """Who chose what, for an open vote; ``None`` for a secret one."""


class RecountView(View):
    """The ballots counted again one by one, beside the result kept at close."""

    vote_id: int
    matches: bool
    ballots: int
    options: list[OptionResult]


class TurnoutEntry(View):
    voter: str
    cast_at: dt.datetime
    changed_at: dt.datetime | None
    paper: bool
    entered_by: str


class TurnoutView(View):
    """Who has voted (never what they chose): known while the vote is open, for the turnout."""

    vote_id: int
    roll_headcount: int
    voted: int
    voters: list[TurnoutEntry] | None = None
    """Each voter who voted, for staff who may read the vote's unit; ``None`` for others."""


class DwellingView(View):
    """A dwelling in the owners' register."""

    id: int
    unit_code: str
    label: str
    area: Decimal
    household_id: int
