"""The projects' vocabulary: states, funding sources, timeline entries."""

from __future__ import annotations

from typing import Final

STATES: Final = {
    "planned": ("计划中", "planned"),
    "underway": ("实施中", "underway"),
    "finished": ("已完成", "finished"),
    "cancelled": ("已取消", "cancelled"),
}
SOURCES: Final = {
    "government": ("政府投入", "government"),
    "partner": ("共建单位", "partners"),
    "residents": ("居民自筹", "residents' own funds"),
    "points": ("积分捐赠", "points donated"),
}
"""Where a project's funds come from; ``points`` are counted in points, the others in fen."""
EVENTS: Final = {
    "created": ("立项", "project set up"),
    "funded": ("资金到位", "funds received"),
    "item": ("新增节点", "milestone added"),
    "progress": ("进度更新", "progress"),
    "finished": ("完工", "finished"),
    "cancelled": ("取消", "cancelled"),
    "rated": ("居民评价", "rated by a resident"),
}
