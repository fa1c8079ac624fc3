"""A vote, a roll entry and a dwelling as the store holds them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any, Final, Literal

import attrs

VoteState = Literal["open", "closed", "cancelled"]
STATES: Final = {
    "open": ("投票中", "open"),
    "closed": ("已结束", "closed"),
    "cancelled": ("已取消", "cancelled"),
}


@attrs.frozen
class Vote:
    """A question put to an electorate under a rule. ``roll_headcount`` and ``roll_area``
    are the roll's totals, frozen when the vote opened; ``record`` holds the counts once
    closed."""

    id: int
    unit_id: int
    council_id: int | None
    question: str
    kind: str
    options: tuple[str, ...]
    max_choices: int
    electorate: str
    rule: str
    matter: int | None
    secret: bool
    changeable: bool
    state: str
    opened_at: dt.datetime
    closes_at: dt.datetime | None
    closed_at: dt.datetime | None
    created_by: str
    roll_headcount: int
    roll_area: int
    record: Mapping[str, Any] | None = None
    cancel_reason: str | None = None

    def accepts_ballots_at(self, now: dt.datetime) -> bool:
        """Open, opened by ``now`` and not yet at its closing time."""
        started = self.opened_at <= now
        return self.state == "open" and started and (self.closes_at is None or now < self.closes_at)


@attrs.frozen
class RollEntry:
    """One voter on a vote's roll: who (``voter_key``), shown as ``label``, with a weight."""

    voter_key: str
    label: str
    headcount: int
    area: int


@attrs.frozen
class Dwelling:
    """A dwelling (专有部分) in the owners' register: its floor area in hundredths of a m²
    and the household that owns it."""

    id: int
    unit_id: int
    label: str
    area: int
    household_id: int


@attrs.frozen
class DwellingEntry:
    """One line of an owners' register handed to ``cg.votes.register_dwellings``: the
    dwelling's label (``3-2-501``), its floor area in m² (a number or text, two decimals at
    most) and the id of the household that owns it."""

    label: str
    area: object
    household_id: int
