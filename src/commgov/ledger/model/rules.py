"""What towns decide about points and the time bank, as plain values plugins return."""

from __future__ import annotations

import datetime as dt

import attrs


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
    """What a town's time bank allows beside serving and redeeming."""

    gifts_within_household: bool = True
    pool_donations: bool = True
    pool_grants: bool = True
    pool_grant_min_age: int = 60


def end_of_following_year(earned_at: dt.datetime) -> dt.datetime:
    """Points earned in year Y expire when Y+1 ends (the default rule)."""
    return dt.datetime(earned_at.year + 2, 1, 1, tzinfo=earned_at.tzinfo or dt.UTC)
