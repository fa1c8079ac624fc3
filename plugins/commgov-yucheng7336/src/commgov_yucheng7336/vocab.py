"""The 7336 method's names: roles (三师三员), record kinds and categories, in one place.

Every module of the plugin takes its names from here so that code, docs and tests agree."""

from __future__ import annotations

from typing import Final

from commgov import CategorySpec, RoleSpec

NAME: Final = "yucheng7336"
MONTHLY_REPORT: Final = "yucheng7336.monthly"
GRID_MEETINGS: Final = "yucheng7336.grid_meetings"
"""The plugin object that counts a grid council's closed meeting as 开好一会."""

# -- 三师 (three masters, community level) and 三员 (three officers, grid level) ------------
GOLD_MEDIATOR: Final = "gold_mediator"
POLICY_EXPLAINER: Final = "policy_explainer"
COUNSELLOR: Final = "counsellor"
PATROLLER: Final = "patroller"
DISPUTE_RESOLVER: Final = "dispute_resolver"
SAFETY_INSPECTOR: Final = "safety_inspector"
SILVER_MEDIATOR_ROLE: Final = "silver_mediator"  # 银发调解团: retired mediators, as staff

THREE_MASTERS: Final = (GOLD_MEDIATOR, POLICY_EXPLAINER, COUNSELLOR)
THREE_OFFICERS: Final = (PATROLLER, DISPUTE_RESOLVER, SAFETY_INSPECTOR)

ROLES: Final = (
    RoleSpec(GOLD_MEDIATOR, "金牌调解师 gold-medal mediator", "community_staff"),
    RoleSpec(POLICY_EXPLAINER, "政策解读师 policy explainer", "community_staff"),
    RoleSpec(COUNSELLOR, "心理咨询师 counsellor", "community_staff"),
    RoleSpec(PATROLLER, "治安巡防员 patroller", "grid_worker"),
    RoleSpec(DISPUTE_RESOLVER, "矛盾排解员 dispute resolver", "grid_worker"),
    RoleSpec(SAFETY_INSPECTOR, "安全监督员 safety inspector", "grid_worker"),
    RoleSpec(SILVER_MEDIATOR_ROLE, "银发调解团 retired mediator", "grid_worker"),
)

# -- categories the method adds to the core's ------------------------------------------------
PSYCHOLOGICAL: Final = "assistance.psychological"
POLICY: Final = "policy"
CATEGORIES: Final = (
    CategorySpec(PSYCHOLOGICAL, "心理疏导 psychological support", "health"),
    CategorySpec(POLICY, "政策咨询 policy question", "civil_affairs"),
)

# -- plugin record kinds ---------------------------------------------------------------------
# 七个一 (the seven "ones"): duties.py, compliance.py, geo.py
VISIT_LOG: Final = "y7336.visit"  # 每日一访: a visit to a household (ref household:<id>)
GROUP_CHAT: Final = "y7336.group"  # 组建一群: the grid's resident group and its size
CONTACT_CARD: Final = "y7336.card"  # 发放一卡: a contact card issued to a household
AREA_RISK: Final = "y7336.risk"  # 稳控一域: a grid's assessed risk level
GRID_MEETING: Final = "y7336.meeting"  # 开好一会: a meeting held in the grid, with minutes
HOUSEHOLD_PLACE: Final = "y7336.place"  # 绘制一图: where a household is on the map
# 三师三员 records: mentors.py
MENTOR_PAIR: Final = "y7336.mentor_pair"  # 师徒结对: a master and an apprentice officer
SILVER_MEDIATOR: Final = "y7336.silver_mediator"  # 银发调解团: a retired mediator in the pool
# 三维考核 and 星级评定: assessment.py
RESIDENT_RATING: Final = "y7336.resident_rating"  # 群众评议 of a worker
ORGANISATION_RATING: Final = "y7336.org_rating"  # 组织评价 of a worker
STAR_RATING: Final = "y7336.stars"  # 星级评定 result for a worker and period
# 日碰头、周研判、月总结: cadence.py
CADENCE_MEETING: Final = "y7336.cadence"  # a huddle/review/summary held
# 六到位 work records: standards.py
STANDARD_ACTIVITY: Final = "y7336.standard_activity"  # legal publicity, joint patrol …

RECORD_KINDS: Final = {
    VISIT_LOG: "每日一访 daily household visit",
    GROUP_CHAT: "组建一群 grid resident group",
    CONTACT_CARD: "发放一卡 contact card issued",
    AREA_RISK: "稳控一域 area risk assessment",
    GRID_MEETING: "开好一会 grid meeting minutes",
    HOUSEHOLD_PLACE: "绘制一图 household map point",
    MENTOR_PAIR: "师徒结对 mentor pair",
    SILVER_MEDIATOR: "银发调解团 retired mediator",
    RESIDENT_RATING: "群众评议 residents' rating of a worker",
    ORGANISATION_RATING: "组织评价 organisation's rating of a worker",
    STAR_RATING: "星级评定 star rating",
    CADENCE_MEETING: "日碰头、周研判、月总结 cadence meeting held",
    STANDARD_ACTIVITY: "六到位 work-standard activity",
}
