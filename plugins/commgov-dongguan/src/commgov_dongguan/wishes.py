"""微心愿: Dongguan's wish categories and items, and the rule that sorts wants and suggestions
into the three tiers with a target date (时间表和项目单).

The seed tells how Mingshangju (大朗镇明上居) did it: 180 wishes grouped into 8 categories and
50 items, each answered by a timetable and a project list, sorted into what can be met now
(立即实现), worked towards soon (近期努力实现) and won in future (未来争取实现). The categories
follow the seven aims of Dongguan's model communities (党建有力、民主自治、管理有序、服务完善、
治安良好、环境优美、文明祥和) plus neighbourly help; the items and their horizons are this
plugin's own making.

The rule (``tier``):

1. Each item has a horizon: ``now`` (a volunteer team, the property firm or the community can do
   it alone: within ``NOW_DAYS``), ``soon`` (needs the owners, the property firm and a
   department to agree: within ``SOON_DAYS``), ``future`` (needs capital works or a plan: by
   the end of the next calendar year). A bare category (no item) counts as ``soon``.
2. A suggestion (我期望) is an idea to be argued over first
   (聊一聊、扯一扯、谈一谈、评一评、议一议), so a ``now`` horizon becomes ``soon`` for it.
3. A want that can be met now and is wanted by an earlier date than the horizon's is aimed at
   that date (never before the day the wish was made).
4. Offers are not tiered; a category this plugin does not know passes (``None``) to the core.
"""

from __future__ import annotations

import datetime as dt
from typing import Final, Literal

from commgov import TierDecision, WishCategory, WishInfo

Horizon = Literal["now", "soon", "future"]

NOW_DAYS: Final = 30
SOON_DAYS: Final = 180

CATEGORIES: Final = {
    "party": "党建引领 party building",
    "autonomy": "民主自治 self-governance",
    "management": "管理有序 orderly management",
    "services": "服务完善 public services",
    "security": "治安良好 public security",
    "greening": "环境优美 a pleasant environment",
    "civility": "文明祥和 culture and civility",
    "mutual_aid": "邻里互助 neighbours helping neighbours",
}

ITEMS: Final[dict[str, tuple[str, Horizon]]] = {
    # code: (label, horizon)
    "party.branch_activity": ("党支部主题活动 party branch activities", "now"),
    "party.member_post": ("党员志愿服务岗 party members' volunteer posts", "now"),
    "party.policy_talk": ("政策面对面 policy talks face to face", "now"),
    "party.elder_members": ("关爱老党员 care for elderly party members", "now"),
    "party.service_station": ("小区党群服务站 a party-mass service station", "soon"),
    "party.red_property": ("红色物业共建 party-led property management", "future"),
    "autonomy.building_heads": ("选好楼栋长 building heads chosen", "now"),
    "autonomy.volunteer_team": ("组建志愿服务队 a volunteer team formed", "now"),
    "autonomy.owners_committee": ("成立业委会 an owners' committee set up", "soon"),
    "autonomy.council": ("小区议事会 an estate council", "soon"),
    "autonomy.public_income": ("公共收益公开 shared income published", "soon"),
    "autonomy.residents_pact": ("居民公约 a residents' pact", "soon"),
    "management.rental_filing": ("出租屋租赁备案 rental filings at the estate", "now"),
    "management.dogs": ("文明养犬 responsible dog keeping", "now"),
    "management.parking": ("停车秩序 orderly parking", "soon"),
    "management.ebike_charging": ("电动车充电桩 e-bike charging points", "soon"),
    "management.fee_disclosure": ("物业收费公开 property fees published", "soon"),
    "management.repair_fund": ("维修资金使用 the repair fund put to use", "future"),
    "services.id_card": ("身份证申领 identity cards applied for at the estate", "now"),
    "services.repairs": ("便民维修 small repairs for residents", "now"),
    "services.after_school": ("四点半课堂 an after-school class", "soon"),
    "services.family_doctor": ("家庭医生进小区 family doctors at the estate", "soon"),
    "services.parcel_lockers": ("快递柜 parcel lockers", "soon"),
    "services.reading_room": ("社区书屋 a reading room", "soon"),
    "services.elder_canteen": ("长者饭堂 a canteen for elders", "future"),
    "security.patrol": ("治安巡逻队 a patrol team", "now"),
    "security.fire_lanes": ("消防通道清理 fire lanes kept clear", "now"),
    "security.anti_fraud": ("反诈宣传 anti-fraud talks", "now"),
    "security.stair_lights": ("楼道照明 stairwell lights", "now"),
    "security.access_control": ("门禁系统 door access control", "soon"),
    "security.cameras": ("监控全覆盖 cameras covering the estate", "future"),
    "greening.waste_sorting": ("垃圾分类 waste sorting", "now"),
    "greening.pest_control": ("灭蚊除虫 mosquito and pest control", "now"),
    "greening.clutter": ("楼道杂物清理 clutter cleared from stairwells", "now"),
    "greening.replanting": ("绿化补种 greenery replanted", "soon"),
    "greening.facade": ("外立面微改造 facades renovated", "future"),
    "greening.sewers": ("雨污分流 rain and sewage separated", "future"),
    "civility.choir": ("合唱团、艺术团 a choir or art troupe", "now"),
    "civility.family_values": ("家风家训 family traditions", "now"),
    "civility.festival": ("邻里节 a neighbourhood festival", "now"),
    "civility.summer_outings": ("暑期社工带你行 summer outings with social workers", "now"),
    "civility.dance_space": ("广场舞场地 a space for square dancing", "soon"),
    "civility.law_corridor": ("法治文化长廊 a rule-of-law corridor", "soon"),
    "civility.fitness": ("健身器材 fitness equipment", "soon"),
    "mutual_aid.elder_visits": ("探访独居老人 visits to elders living alone", "now"),
    "mutual_aid.flea_market": ("儿童跳蚤集市 a children's flea market", "now"),
    "mutual_aid.swap_space": ("交换空间 a swap space", "now"),
    "mutual_aid.study_pairs": ("结对帮学 study partners for children", "now"),
    "mutual_aid.yoga": ("义工教瑜伽 yoga taught by volunteers", "now"),
    "mutual_aid.talent_list": ("能人服务清单 a list of residents' skills", "soon"),
}
"""Fifty items under the eight categories, each with its horizon (``now``, ``soon``,
``future``)."""


def categories() -> list[WishCategory]:
    """The eight categories, then their fifty items (parents first)."""
    return [WishCategory(code, label) for code, label in CATEGORIES.items()] + [
        WishCategory(code, label) for code, (label, _horizon) in ITEMS.items()
    ]


def horizon(category: str) -> Horizon | None:
    """The horizon of an item, ``soon`` for a bare category, ``None`` for an unknown code."""
    if category in ITEMS:
        return ITEMS[category][1]
    return "soon" if category in CATEGORIES else None


def target_date(tier: Horizon, made: dt.date) -> dt.date:
    """The date a tier aims at for a wish made on ``made``."""
    if tier == "now":
        return made + dt.timedelta(days=NOW_DAYS)
    if tier == "soon":
        return made + dt.timedelta(days=SOON_DAYS)
    return dt.date(made.year + 1, 12, 31)


def tier(wish: WishInfo) -> TierDecision | None:
    """The tier and target date of a want or suggestion (see the module's rule)."""
    if wish.kind == "offer":
        return None
    found = horizon(wish.category)
    if found is None:
        return None
    if wish.kind == "suggestion" and found == "now":
        found = "soon"
    made = wish.created_at.date()
    target = target_date(found, made)
    if found == "now" and wish.wanted_by is not None and wish.wanted_by < target:
        target = max(wish.wanted_by, made)
    return TierDecision(found, target)
