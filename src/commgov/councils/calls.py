"""The council hooks as the service uses them: the seat registry, merged once per store,
checked, cached (``ctx.refresh`` forgets it when a plugin is added); the closing of a meeting
told to the plugins of the council's unit."""

from __future__ import annotations

from typing import Final

from commgov.councils.model.meetings import MeetingInfo
from commgov.councils.model.seats import CouncilSeat
from commgov.kernel.actors import Actor
from commgov.kernel.calls import merge_specs, registry
from commgov.kernel.context import Context

SEATS: Final = "commgov_council_seats"


def seat_kinds(ctx: Context) -> dict[str, CouncilSeat]:
    """Every seat kind by code, from ``commgov_council_seats`` (a later plugin may relabel a
    code)."""

    def build() -> dict[str, CouncilSeat]:
        return merge_specs(registry(ctx.plugins, SEATS), CouncilSeat, lambda s: s.code, SEATS)

    return ctx.cached("councils.seats", build)


def meeting_closed(ctx: Context, unit_path: str, meeting: MeetingInfo, actor: Actor) -> None:
    """Tell the plugins that apply to the council's unit that a meeting closed
    (``commgov_meeting_closed``)."""
    ctx.plugins.rules(unit_path).commgov_meeting_closed(meeting=meeting, actor=actor)
