"""积分 + 荣誉表彰: Chang'an's points table and honour tiers.

The service points keep participation "low threshold, high participation" (低门槛、高参与)
with points and honours. The activities follow what the seed asks residents to do: report
what they see (a report that proved true), bring tip-offs on public order (治安线索), give
ideas (建言), volunteer at the point or on patrol, help neighbours (有难大家帮), take part in
deliberation. The figures are this plugin's choice. A town's table replaces the core's, so the
core's own activities (waste sorting, neighbour help …) are kept here too."""

from __future__ import annotations

from typing import Final

from commgov import HonourTier, PointsRule

TRUE_REPORT: Final = "true_report"
TIP_OFF: Final = "tip_off"

CHANGAN_POINTS: Final = {
    TRUE_REPORT: PointsRule(
        10, "居民上报 a report that closed with the resident satisfied", cap_per_day=30
    ),
    TIP_OFF: PointsRule(
        20, "治安线索 a tip-off on public order that proved true", cap_per_month=100
    ),
    "suggestion_accepted": PointsRule(20, "建言献策 a suggestion adopted", cap_per_month=60),
    "volunteer": PointsRule(10, "志愿服务 volunteering at a service point", per="hour",
                            cap_per_day=40),
    "patrol": PointsRule(15, "群防群治巡逻 a patrol shift", cap_per_day=15),
    "neighbour_help": PointsRule(5, "有难大家帮 helping a neighbour", cap_per_day=10),
    "meeting": PointsRule(5, "议事协商 a deliberation meeting", cap_per_month=20),
    "waste_sorting": PointsRule(2, "垃圾分类 waste sorting", cap_per_day=2, cap_per_month=60),
}  # fmt: skip

CHANGAN_TIERS: Final = [
    HonourTier(100, "平安热心人 safety-minded neighbour"),
    HonourTier(500, "群防群治积极分子 mainstay of mass prevention"),
    HonourTier(2000, "善治长安之星 star of good governance in Chang'an"),
]
