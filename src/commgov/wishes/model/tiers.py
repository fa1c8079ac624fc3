"""The core's triage rule (立即实现 / 近期努力实现 / 未来争取实现) as a pure function."""

from __future__ import annotations

import datetime as dt
from typing import Final

from commgov.wishes.model.categories import top
from commgov.wishes.model.rules import Tier, TierDecision, WishInfo
from commgov.wishes.model.vocab import TIER_DAYS

WORKS: Final = ("facilities", "environment")
"""Categories whose suggestions need building works or a budget: the core files them as
future work."""


def default_tier(wish: WishInfo) -> TierDecision:
    """A want wanted within ``TIER_DAYS["now"]`` days of the day it was made can be met now,
    by its date; any other want is worked towards soon, by ``TIER_DAYS["soon"]`` days after
    that day (or by its date, when that comes first). A suggestion about facilities or the
    environment is future work (``TIER_DAYS["future"]`` days), any other soon."""
    day = wish.created_at.date()
    if wish.kind == "suggestion":
        tier: Tier = "future" if top(wish.category) in WORKS else "soon"
        return TierDecision(tier, day + dt.timedelta(days=TIER_DAYS[tier]))
    if wish.wanted_by is not None and wish.wanted_by <= day + dt.timedelta(days=TIER_DAYS["now"]):
        return TierDecision("now", wish.wanted_by)
    target = day + dt.timedelta(days=TIER_DAYS["soon"])
    if wish.wanted_by is not None:
        target = min(target, wish.wanted_by)
    return TierDecision("soon", target)


__all__ = ["WORKS", "default_tier"]
