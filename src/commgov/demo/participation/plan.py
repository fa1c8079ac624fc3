"""The season's dates and size."""

from __future__ import annotations

import datetime as dt
from typing import Final

import attrs

SEASON_START: Final = dt.date(2025, 7, 1)
SEASON_END: Final = dt.date(2025, 9, 30)
"""The season's last day (counted whole)."""
POSTING_DAYS: Final = 75
"""Wishes and orders come in over the first days of the season; the rest is for meeting them."""
BOARD_MONTHS: Final = ((2025, 8), (2025, 9))
"""The months of visits logged; the board shows the last against the one before."""
DEMO_RESIDENTS: Final = 125_000
"""The default demo town's size, at which the season has Dongguan's full figures."""

CASE_CATEGORIES: Final = {
    "complaint.environment": "environment",
    "complaint.property": "dispute.property",
    "complaint.safety": "safety",
    "environment": "environment",
    "facilities": "facilities",
}
"""The case category a complaint at a point or an adopted suggestion is reported under (when
the store has it)."""


@attrs.frozen
class ParticipationPlan:
    """The season's size: at the demo's default size, Dongguan's 3,300 wishes (seed 003: "more
    than 3,300", of them more than 2,100 wants, 500 offers and 600 suggestions) and a few
    hundred orders; ``pool`` residents per community may take part."""

    wants: int = 2160
    offers: int = 520
    suggestions: int = 620
    orders: int = 300
    pool: int = 600

    @classmethod
    def for_town(cls, residents: int) -> ParticipationPlan:
        """Dongguan's figures for the default demo town, in proportion for a smaller one
        (never fewer than a few of each)."""
        share = min(1.0, residents / DEMO_RESIDENTS)
        full = cls()
        return cls(
            wants=max(24, round(full.wants * share)),
            offers=max(6, round(full.offers * share)),
            suggestions=max(8, round(full.suggestions * share)),
            orders=max(12, round(full.orders * share)),
        )
