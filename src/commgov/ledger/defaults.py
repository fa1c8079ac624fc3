"""The core's default points table, expiry rule, honour tiers and time-bank policy.

The activities are those seed 001 names for Pingjiang street's points scheme (volunteering,
waste sorting, neighbour help, suggestions); the figures and caps are our defaults — a town
sets its own with ``commgov_points_table``."""

from __future__ import annotations

import datetime as dt

from commgov.kernel.markers import hookimpl
from commgov.ledger.model.rules import (
    HonourTier,
    PointsRule,
    TimeBankPolicy,
    end_of_following_year,
)

NAME = "commgov.ledger_defaults"

DEFAULT_POINTS = {
    "volunteer": PointsRule(10, "志愿服务 volunteering", per="hour", cap_per_day=40),
    "waste_sorting": PointsRule(2, "垃圾分类 waste sorting", cap_per_day=2, cap_per_month=60),
    "neighbour_help": PointsRule(5, "邻里互助 neighbour help", cap_per_day=10),
    "suggestion_accepted": PointsRule(20, "建言献策 accepted suggestion", cap_per_month=60),
    "true_report": PointsRule(5, "随手拍 a report that proved true", cap_per_day=15),
    "meeting": PointsRule(5, "议事会 attending a deliberation meeting", cap_per_month=20),
}
DEFAULT_TIERS = [
    HonourTier(100, "热心居民 caring resident"),
    HonourTier(500, "优秀志愿者 outstanding volunteer"),
    HonourTier(2000, "社区之星 community star"),
]


@hookimpl
def commgov_points_table() -> dict[str, PointsRule]:
    return dict(DEFAULT_POINTS)


@hookimpl
def commgov_points_expiry(earned_at: dt.datetime) -> dt.datetime:
    return end_of_following_year(earned_at)


@hookimpl
def commgov_honour_tiers() -> list[HonourTier]:
    return list(DEFAULT_TIERS)


@hookimpl
def commgov_timebank_policy() -> TimeBankPolicy:
    return TimeBankPolicy()
