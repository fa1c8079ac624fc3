"""What towns decide about points and the time bank, as plain values plugins return."""

from __future__ import annotations

import datetime as dt
from typing import Final

import attrs

EXCHANGE_RULES: Final = ("none", "community_pool", "town_pool")
"""How a service across communities is settled: refused (``none``), by the recipient's
community pool (``community_pool``) or by the town's pool (``town_pool``)."""
POOL_TRANSFER_RULES: Final = ("direct", "via_town", "none")
"""How hours move between two communities' pools: straight (``direct``), through the town's
pool in two linked postings (``via_town``), or not at all (``none``)."""


@attrs.frozen
class PointsRule:
    """Points for one occurrence (or one hour, ``per="hour"``) of an activity, with caps."""

    points: int
    label: str = ""
    per: str = "occurrence"
    cap_per_day: int | None = None
    cap_per_month: int | None = None


@attrs.frozen
class HonourTier:
    """A tier (荣誉) reached at ``lifetime_points`` points earned in all."""

    lifetime_points: int
    name: str


@attrs.frozen
class TimeBankPolicy:
    """What a town's time bank allows beside serving and redeeming. ``exchange`` (one of
    ``EXCHANGE_RULES``) settles services across communities; ``pool_transfers`` (one of
    ``POOL_TRANSFER_RULES``) says how staff move hours between communities' pools."""

    gifts_within_household: bool = True
    pool_donations: bool = True
    pool_grants: bool = True
    pool_grant_min_age: int = 60
    exchange: str = "community_pool"
    pool_transfers: str = "direct"


def end_of_following_year(earned_at: dt.datetime) -> dt.datetime:
    """Points earned in year Y expire when Y+1 ends (the default rule)."""
    return dt.datetime(earned_at.year + 2, 1, 1, tzinfo=earned_at.tzinfo or dt.UTC)
