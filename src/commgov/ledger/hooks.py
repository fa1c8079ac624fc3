"""Ledger hooks: the town's points table, expiry, honour tiers and time-bank policy.

All are rule hooks (per town) and ``firstresult``: the town's plugin answers first, the core
defaults (``commgov.ledger.defaults``) last."""

from __future__ import annotations

import datetime as dt

from commgov.kernel.markers import hookspec
from commgov.ledger.model.rules import HonourTier, PointsRule, TimeBankPolicy


@hookspec(firstresult=True)
def commgov_points_table() -> dict[str, PointsRule] | None:
    """The activities that earn points (积分) in this town, each with its points and caps."""


@hookspec(firstresult=True)
def commgov_points_expiry(earned_at: dt.datetime) -> dt.datetime | None:
    """When points earned at ``earned_at`` (an aware datetime in the store's zone) expire; the
    answer must carry a time zone (``None``: the next plugin decides)."""


@hookspec(firstresult=True)
def commgov_honour_tiers() -> list[HonourTier] | None:
    """Honour tiers (荣誉表彰) by lifetime points earned, lowest first."""


@hookspec(firstresult=True)
def commgov_timebank_policy() -> TimeBankPolicy | None:
    """What the town's time bank (时间银行) allows: gifts, pool donations and grants, how a
    service across communities is settled and how hours move between communities' pools."""
