"""Council hooks: the seat kinds a council's members sit for (a registry hook, every
available plugin answers) and a meeting closed (told to the plugins that apply to the
council's unit)."""

from __future__ import annotations

from commgov.councils.model.meetings import MeetingInfo
from commgov.councils.model.seats import CouncilSeat
from commgov.kernel.actors import Actor
from commgov.kernel.markers import hookspec


@hookspec
def commgov_council_seats() -> list[CouncilSeat]:  # type: ignore[empty-body]
    """Seat kinds this plugin adds (or relabels, by an existing code)."""


@hookspec
def commgov_meeting_closed(meeting: MeetingInfo, actor: Actor) -> None:
    """Called when a council meeting closes with its minutes, inside the closing's unit of work
    (a town counts it for its duties: 7336's 开好一会). Raising aborts the closing."""
