"""The core's council rules, registered as a plugin like any town's (town plugins answer first)."""

from __future__ import annotations

from commgov.councils.model.meetings import MeetingInfo
from commgov.councils.model.seats import DEFAULT_SEATS, CouncilSeat
from commgov.kernel.actors import Actor
from commgov.kernel.markers import hookimpl

NAME = "commgov.council_defaults"


@hookimpl
def commgov_council_seats() -> list[CouncilSeat]:
    return list(DEFAULT_SEATS)


@hookimpl
def commgov_meeting_closed(meeting: MeetingInfo, actor: Actor) -> None:
    """The core keeps the meeting; nothing more to do."""
