"""Wish categories and the items under them (Mingshangju grouped 180 wishes into 8 categories
and 50 items): the core's defaults and the checked registry built from the plugins' answers."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Final

import attrs

from commgov.errors import PluginError, ValidationError
from commgov.wishes.model.rules import WishCategory

_CODE: Final = re.compile(r"[a-z][a-z0-9_]*(?:\.[a-z][a-z0-9_]*)*")
_C = WishCategory

DEFAULT_WISH_CATEGORIES: Final = (
    _C("elder", "助老 help for elders"),
    _C("elder.meal", "助餐送餐 meals"),
    _C("elder.visit", "探访陪伴 visits and company"),
    _C("elder.repair", "居家维修 home repairs"),
    _C("elder.escort", "陪同就医 escort to the doctor"),
    _C("study", "助学 help with study"),
    _C("study.tutoring", "课业辅导 tutoring"),
    _C("study.supplies", "学习用品 school supplies"),
    _C("study.reading", "阅读活动 reading"),
    _C("hardship", "助困 help in hardship"),
    _C("hardship.goods", "生活物资 daily necessities"),
    _C("hardship.job", "就业帮扶 help finding work"),
    _C("hardship.legal", "法律咨询 legal advice"),
    _C("environment", "环境 environment"),
    _C("environment.greening", "绿化美化 greening"),
    _C("environment.cleanup", "清洁整治 clean-up"),
    _C("environment.waste", "垃圾分类 waste sorting"),
    _C("culture", "文体 culture and sport"),
    _C("culture.activity", "文体活动 activities"),
    _C("culture.team", "兴趣队伍 clubs and teams"),
    _C("culture.venue", "活动场地 venues"),
    _C("facilities", "设施 facilities"),
    _C("facilities.seating", "休闲座椅 benches"),
    _C("facilities.lighting", "照明 lighting"),
    _C("facilities.parking", "停车充电 parking and charging"),
    _C("facilities.access", "无障碍 step-free access"),
    _C("health", "医疗健康 health"),
    _C("health.checkup", "义诊体检 free check-ups"),
    _C("health.talk", "健康讲座 health talks"),
    _C("health.mind", "心理疏导 counselling"),
    _C("neighbour", "邻里 neighbourhood"),
    _C("neighbour.help", "邻里互助 neighbour help"),
    _C("neighbour.childcare", "托管看护 childcare"),
    _C("neighbour.swap", "闲置交换 swapping things"),
)


@attrs.frozen
class WishCategories:
    """Every registered category and item by code, checked: dotted lower-case codes, each
    item's parent registered."""

    by_code: Mapping[str, WishCategory]

    @classmethod
    def build(cls, specs: Iterable[WishCategory]) -> WishCategories:
        found: dict[str, WishCategory] = {}
        for spec in specs:
            if not isinstance(spec.code, str) or not _CODE.fullmatch(spec.code):
                raise PluginError(f"wish category {spec.code!r}: codes are dotted lower_case")
            if not isinstance(spec.label, str):
                raise PluginError(f"wish category {spec.code!r}: the label must be text")
            found[spec.code] = spec
        for spec in found.values():
            if spec.parent is not None and spec.parent not in found:
                raise PluginError(f"wish category {spec.code!r}: no parent {spec.parent!r}")
        return cls(dict(sorted(found.items())))

    def get(self, code: object, field: str = "category") -> WishCategory:
        spec = self.by_code.get(code) if isinstance(code, str) else None
        if spec is None:
            tops = ", ".join(c for c in self.by_code if "." not in c)
            raise ValidationError(
                field, code, f"unknown category or item; categories: {tops} (and their items)"
            )
        return spec

    def label(self, code: str) -> str:
        spec = self.by_code.get(code)
        return spec.label if spec is not None else code

    def children(self, code: str | None) -> list[WishCategory]:
        return [s for s in self.by_code.values() if s.parent == code]


def top(code: str) -> str:
    """The category a code belongs to: ``elder`` for ``elder.meal``."""
    return code.split(".", 1)[0]


__all__ = ["DEFAULT_WISH_CATEGORIES", "WishCategories", "top"]
