"""The season's dates and size."""

from __future__ import annotations

import datetime as dt
from typing import Final

import attrs

from commgov.demo.participation.plan import DEMO_RESIDENTS

SEASON_START: Final = dt.date(2025, 10, 1)
SEASON_END: Final = dt.date(2025, 12, 31)
"""The season's last day (counted whole)."""
COUNCIL_DAY: Final = dt.date(2025, 10, 9)
"""The councils are set up after the National Day holiday; their members' terms start then."""
TERM_YEARS: Final = 3
MEETING_WEEKS: Final = (dt.date(2025, 10, 20), dt.date(2025, 11, 10), dt.date(2025, 12, 8))
"""The Monday of each month's meeting week; the communities meet on its five evenings."""
AGENDA: Final = 6
"""Topics on a meeting's agenda at most."""
VOTE_DAYS: Final = 12
"""A vote opens the morning after the meeting that decided it and closes this many days
later, in the evening."""
PROJECT_DUE: Final = dt.date(2025, 12, 25)
"""When the councils want the micro-renovations done."""


@attrs.frozen
class DeliberationPlan:
    """The season's size: what each community's council does in a month, how many residents
    come to a meeting, give points to the project and rate it. The votes take their size from
    the compounds' households (60–80% of them vote), so they follow the town's size as they
    are."""

    representatives: int = 6
    """Residents' representatives on each council (one also sits for the owners' committee)."""
    resident_topics: int = 3
    """Topics residents raise with their council each month."""
    registrations: int = 16
    """Residents registering for each meeting (the representatives among them)."""
    referrals: int = 2
    """Open suggestions (micro-wishes) each community refers to its council in October."""
    donors: int = 12
    """Residents of the compound who give points to its project (those who have points)."""
    raters: float = 0.1
    """The share of the compound's households that rate its finished project (never fewer
    than ``MIN_RATERS``)."""
    pool: int = 300
    """Residents per community who may take part in the meetings."""

    @classmethod
    def for_town(cls, residents: int) -> DeliberationPlan:
        """The full figures for the default demo town, in proportion for a smaller one (never
        fewer than a few of each)."""
        share = min(1.0, residents / DEMO_RESIDENTS)
        full = cls()
        return cls(
            resident_topics=max(2, round(full.resident_topics * share)),
            registrations=max(8, round(full.registrations * share)),
            referrals=max(1, round(full.referrals * share)),
            donors=max(3, round(full.donors * share)),
        )


MIN_RATERS: Final = 6
