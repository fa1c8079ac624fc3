"""49项公共服务清单: Dongguan's catalogue of public services for model communities.

The seed names the count and the rules, not the items: 49 services, each with the department
responsible for it (明确了责任落实部门), whether the community must provide it or may (哪些必须做、
哪些可以做), all taken at one door, the estate's public service station (一门受理、协同办理), which
covers party affairs, help with government business, community affairs and mutual help
(党务、政务协助、居务、居民互助). The 49 items below are this plugin's own making in that shape:
who may order each (every resident, or only some care groups), the fields an order must fill,
the time allowed and the fee in fen. Where the core ships an item of the same kind its code is
reused (``residence_proof``, ``old_age_allowance``, ``home_care``, ``disability_card``,
``business_licence``, ``legal_advice``), so in a Dongguan town the catalogue is these 49."""

from __future__ import annotations

import datetime as dt
from typing import Final, Literal

from commgov import ServiceItem
from commgov_dongguan import vocab as v

COUNT: Final = 49
PARTY: Final = "党务 party affairs"
GOVERNMENT: Final = "政务协助 help with government business"
COMMUNITY: Final = "居务 community affairs"
MUTUAL: Final = "居民互助 mutual help"
GROUPS: Final = (PARTY, GOVERNMENT, COMMUNITY, MUTUAL)
ALL: Final = ("resident",)

Duty = Literal["must", "may"]


def _item(  # noqa: PLR0917 - one catalogue row, read as a table
    code: str,
    name: str,
    department: str,
    duty: Duty,
    who: tuple[str, ...],
    required: tuple[str, ...],
    days: int,
    group: str,
    fee: int = 0,
) -> ServiceItem:
    return ServiceItem(
        code=code,
        name=name,
        department=department,
        duty=duty,
        who=who,
        required=required,
        time_limit=dt.timedelta(days=days),
        fee=fee,
        group=group,
    )


ELDERS: Final = ("living_alone", "empty_nest", v.ADVANCED_AGE)

ITEMS: Final = (
    # 党务 party affairs
    _item("party_relation_transfer", "党组织关系转接 party membership transfer",
          v.PARTY_ORGANISATION, "must", ALL, ("from_branch", "to_branch"), 10, PARTY),
    _item("party_member_report", "在职党员进小区报到 serving party members report to the estate",
          v.PARTY_ORGANISATION, "must", ALL, ("workplace",), 5, PARTY),
    _item("party_fee", "党费收缴 party dues", v.PARTY_ORGANISATION, "must", ALL,
          ("month",), 3, PARTY),
    _item("party_room_booking", "党员活动室预约 booking the party members' room",
          v.PARTY_ORGANISATION, "may", ALL, ("date", "purpose"), 2, PARTY),
    _item("party_application_guidance", "入党申请指导 guidance on applying to join the party",
          v.PARTY_ORGANISATION, "may", ALL, ("question",), 7, PARTY),
    _item("elder_member_visit", "慰问老党员 visits to elderly party members",
          v.PARTY_ORGANISATION, "must", (v.ADVANCED_AGE,), ("address",), 7, PARTY),
    # 政务协助 help with government business
    _item("residence_permit", "居住证申领 residence permit", "police", "must", ALL,
          ("address", "move_in_date"), 15, GOVERNMENT),
    _item("id_card", "身份证申领 identity card", "police", "must", ALL, ("reason",), 20,
          GOVERNMENT),
    _item("rental_filing", "出租屋租赁备案 rental filing", "police", "must", ALL,
          ("address", "tenants"), 3, GOVERNMENT),
    _item("residence_proof", "开具居住证明 proof of residence", "civil_affairs", "must", ALL,
          ("purpose",), 3, GOVERNMENT),
    _item("old_age_allowance", "高龄津贴申领 old-age allowance", "civil_affairs", "must",
          (v.ADVANCED_AGE,), ("payment_method",), 20, GOVERNMENT),
    _item("minimum_living", "最低生活保障申请 minimum living allowance", "civil_affairs",
          "must", ("hardship",), ("household_income", "reason"), 30, GOVERNMENT),
    _item("temporary_assistance", "临时救助申请 temporary assistance", "civil_affairs",
          "must", ALL, ("reason",), 10, GOVERNMENT),
    _item("disability_card", "残疾人证代办 disability card applied for on one's behalf",
          v.DISABLED_PERSONS, "must", ("disability",), ("disability_type",), 30, GOVERNMENT),
    _item("disability_subsidy", "残疾人两项补贴申领 the two disability subsidies",
          v.DISABLED_PERSONS, "must", ("disability",), ("subsidy",), 20, GOVERNMENT),
    _item("employment_registration", "就业失业登记 employment and unemployment registration",
          v.HUMAN_RESOURCES, "must", ALL, ("status",), 5, GOVERNMENT),
    _item("pension_check", "养老金领取资格认证 pension eligibility check", v.HUMAN_RESOURCES,
          "must", ALL, ("scheme",), 5, GOVERNMENT),
    _item("social_insurance", "城乡居民养老保险参保 residents' pension insurance",
          v.HUMAN_RESOURCES, "must", ALL, ("scheme",), 10, GOVERNMENT),
    _item("medical_insurance", "居民医保参保登记 residents' medical insurance",
          v.MEDICAL_INSURANCE, "must", ALL, ("year",), 10, GOVERNMENT),
    _item("medical_claims", "医保报销代办 medical claims filed on one's behalf",
          v.MEDICAL_INSURANCE, "may", ("serious_illness",), ("hospital", "bills"), 20,
          GOVERNMENT),
    _item("birth_registration", "生育登记服务 birth registration", "health", "must", ALL,
          ("due_date",), 5, GOVERNMENT),
    _item("child_vaccination", "儿童预防接种预约 booking children's vaccinations", "health",
          "must", ALL, ("child_age",), 3, GOVERNMENT),
    _item("family_doctor", "家庭医生签约 signing up with a family doctor", "health", "must",
          ALL, ("preferred_time",), 7, GOVERNMENT),
    _item("school_admission", "入学积分申请指导 guidance on school admission points",
          v.EDUCATION, "may", ALL, ("child_age", "school_stage"), 10, GOVERNMENT),
    _item("veteran_card", "退役军人优待证代办 veterans' card applied for on one's behalf",
          v.VETERANS_AFFAIRS, "must", (v.VETERAN,), ("discharge_year",), 20, GOVERNMENT),
    _item("business_licence", "个体工商户登记指导 guidance on registering a small business",
          "market_regulation", "may", ALL, ("business_name", "business_scope"), 5, GOVERNMENT),
    _item("legal_advice", "法律咨询与援助 legal advice and aid", "justice", "must", ALL,
          ("matter",), 7, GOVERNMENT),
    _item("mediation", "人民调解 people's mediation", "justice", "must", ALL,
          ("parties", "matter"), 15, GOVERNMENT),
    _item("home_fire_check", "家庭消防安全检查 fire safety check at home", "fire", "may", ALL,
          ("address", "preferred_date"), 7, GOVERNMENT),
    _item("building_safety", "房屋安全鉴定咨询 advice on building safety", "housing", "may",
          ALL, ("address", "concern"), 15, GOVERNMENT),
    _item("housing_support", "住房保障申请 housing support", "housing", "must", ("hardship",),
          ("household_size",), 30, GOVERNMENT),
    # 居务 community affairs
    _item("home_care", "居家上门照护 care at home", "civil_affairs", "must",
          ("living_alone", v.ADVANCED_AGE, "disability"), ("address", "needs"), 3, COMMUNITY),
    _item("meal_delivery", "长者助餐送餐 meals delivered to elders", "civil_affairs", "may",
          ELDERS, ("address", "meals_per_week"), 5, COMMUNITY, fee=1200),
    _item("left_behind_children", "留守儿童关爱 care for left-behind children",
          v.WOMEN_CHILDREN, "must", ("left_behind_child",), ("child_age",), 7, COMMUNITY),
    _item("women_rights", "妇女维权咨询 advice on women's rights", v.WOMEN_CHILDREN, "must",
          ALL, ("matter",), 7, COMMUNITY),
    _item("venue_booking", "社区活动场地预约 booking a community venue", v.CULTURE_SPORT, "may",
          ALL, ("date", "purpose", "people"), 3, COMMUNITY),
    _item("culture_class", "文体培训报名 culture and sport classes", v.CULTURE_SPORT, "may",
          ALL, ("class_name",), 7, COMMUNITY),
    _item("volunteer_signup", "志愿者注册 volunteer registration", v.SOCIAL_WORK, "must", ALL,
          ("skills",), 3, COMMUNITY),
    _item("organisation_filing", "社区社会组织备案指导 filing a community organisation",
          v.SOCIAL_WORK, "may", ALL, ("organisation_name", "purpose"), 15, COMMUNITY),
    _item("casework", "社工个案辅导 casework by a social worker", v.SOCIAL_WORK, "must", ALL,
          ("matter",), 7, COMMUNITY),
    _item("counselling", "心理疏导 counselling", "health", "may", ALL, ("matter",), 5,
          COMMUNITY),
    _item("bulky_waste", "大件垃圾清运预约 bulky waste collection", "city_management", "may",
          ALL, ("address", "items"), 3, COMMUNITY, fee=2000),
    _item("noise", "噪音扰民协调 settling noise nuisance", "environment", "must", ALL,
          ("address", "time_of_day"), 3, COMMUNITY),
    _item("property_dispute", "物业纠纷调处 property-management disputes", "housing", "must",
          ALL, ("matter",), 15, COMMUNITY),
    _item("printing", "文件打印复印 printing and copying", v.SOCIAL_WORK, "may", ALL,
          ("pages",), 1, COMMUNITY),
    _item("policy_advice", "政策咨询 policy questions answered", "civil_affairs", "must", ALL,
          ("topic",), 2, COMMUNITY),
    # 居民互助 mutual help
    _item("volunteer_repairs", "便民维修志愿服务 small repairs by volunteers", v.SOCIAL_WORK,
          "may", ALL, ("address", "repair"), 5, MUTUAL),
    _item("study_partner", "结对帮学 a study partner for a child", v.EDUCATION, "may", ALL,
          ("child_age", "subject"), 10, MUTUAL),
    _item("talent_match", "能人服务对接 matched with a resident who has the skill",
          v.SOCIAL_WORK, "may", ALL, ("need",), 7, MUTUAL),
)  # fmt: skip
"""The 49 services, grouped as the station's four functions."""


def items() -> list[ServiceItem]:
    return list(ITEMS)


def by_code() -> dict[str, ServiceItem]:
    return {item.code: item for item in ITEMS}


def departments_needed() -> set[str]:
    """Every department kind the catalogue names."""
    return {item.department for item in ITEMS}
