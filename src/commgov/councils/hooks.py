"""Council hooks: the seat kinds a council's members sit for (a registry hook, every
available plugin answers)."""

from __future__ import annotations

from commgov.councils.model.seats import CouncilSeat
from commgov.kernel.markers import hookspec


@hookspec
def commgov_council_seats() -> list[CouncilSeat]:  # type: ignore[empty-body]
    """Seat kinds this plugin adds (or relabels, by an existing code)."""
