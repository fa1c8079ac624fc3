"""Xinhe's points table (党群共治积分) and honour tiers.

The activities are those the Xinhe report names (volunteering, 居民议事厅, 微服务/微项目,
我爱我家, 幸福邻里节, 换享集市, neighbour help); the figures and caps are this plugin's choice,
set higher than the core's for volunteering and neighbour help as Xinhe rewards participation."""

from __future__ import annotations

from typing import Final

from commgov import HonourTier, PointsRule

XINHE_POINTS: Final = {
    "volunteer": PointsRule(15, "志愿服务 volunteering", per="hour", cap_per_day=60),
    "neighbour_help": PointsRule(8, "邻里互助 neighbour help", cap_per_day=16),
    "waste_sorting": PointsRule(1, "垃圾分类 waste sorting", cap_per_day=1, cap_per_month=30),
    "meeting": PointsRule(10, "居民议事厅 attending a residents' council", cap_per_month=40),
    "micro_service": PointsRule(
        10, "微服务、微项目 a micro-service or micro-project", cap_per_day=30
    ),
    "home_service": PointsRule(6, "我爱我家 a home-repair or convenience service", cap_per_day=18),
    "neighbour_festival": PointsRule(
        20, "幸福邻里节 helping run the neighbourhood festival", cap_per_month=40
    ),
    "swap_market": PointsRule(5, "换享集市 a stall at the swap market", cap_per_month=20),
    "suggestion_accepted": PointsRule(30, "建言献策 an accepted suggestion", cap_per_month=90),
    "true_report": PointsRule(5, "随手拍 a report that proved true", cap_per_day=15),
}
XINHE_TIERS: Final = [
    HonourTier(200, "熟人社区好邻居 good neighbour"),
    HonourTier(1000, "社区共治达人 co-governance champion"),
    HonourTier(3000, "新和之星 Xinhe star"),
]
