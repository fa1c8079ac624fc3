"""The season's dates and size."""

from __future__ import annotations

import datetime as dt
from typing import Final

import attrs

from commgov.demo.participation.plan import DEMO_RESIDENTS

SEASON_START: Final = dt.date(2026, 1, 1)
SEASON_END: Final = dt.date(2026, 3, 31)
"""The season's last day (counted whole)."""
SETUP_DAY: Final = dt.date(2026, 1, 5)
"""The first Monday after the New Year holiday: the communities publish their resources and
register their organisations and the party tree that morning; the season's weeks start then."""
WEEKS: Final = 12
"""Weeks of activities from ``SETUP_DAY`` (to 29 March): each team holds one a week."""
BLOCK_WEEKS: Final = 4
"""A choir's weekly rehearsals are booked four weeks at a time (one recurring booking)."""
BLOCK_LEAD: Final = dt.timedelta(days=8)
"""How long before a block's first rehearsal the choir books it (the room takes bookings 30
days ahead, so the block's last rehearsal is within reach)."""
LEAD_DAYS: Final = (0.2, 6.0)
"""How many days ahead residents book (fewer than ``BLOCK_LEAD``: the choir's evenings are
booked before anyone else may want them)."""
CORRECTION_WEEK: Final = 2
"""The week in which each volunteer team corrects an attendance it took (a volunteer marked
present who had not come)."""


@attrs.frozen
class CommunityPlan:
    """The season's size per community: the volunteer team's and the choir's (or drum team's)
    members besides their leaders, residents registered as party members, a volunteer
    activity's places and sign-ups (those beyond the places wait), and the bookings residents
    try each week. ``pool`` residents per community may take part."""

    volunteers: int = 12
    singers: int = 8
    party_members: int = 5
    places: int = 6
    signups: int = 8
    bookings: int = 6
    pool: int = 300

    @classmethod
    def for_town(cls, residents: int) -> CommunityPlan:
        """The full figures for the default demo town, in proportion for a smaller one (never
        fewer than a few of each)."""
        share = min(1.0, residents / DEMO_RESIDENTS)
        full = cls()
        places = max(4, round(full.places * share))
        return cls(
            volunteers=max(6, round(full.volunteers * share)),
            singers=max(4, round(full.singers * share)),
            party_members=max(2, round(full.party_members * share)),
            places=places,
            signups=max(places + 1, round(full.signups * share)),
            bookings=max(3, round(full.bookings * share)),
        )
