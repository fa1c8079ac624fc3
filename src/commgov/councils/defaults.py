"""The core's council rules, registered as a plugin like any town's (town plugins answer first)."""

from __future__ import annotations

from commgov.councils.model.seats import DEFAULT_SEATS, CouncilSeat
from commgov.kernel.markers import hookimpl

NAME = "commgov.council_defaults"


@hookimpl
def commgov_council_seats() -> list[CouncilSeat]:
    return list(DEFAULT_SEATS)
