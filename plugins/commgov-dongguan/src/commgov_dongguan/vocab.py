"""Dongguan's names: the plugin, the department kinds and care groups its catalogue needs, and
the four levels of its governance network, in one place."""

from __future__ import annotations

from typing import Final

NAME: Final = "dongguan"

# Department kinds the 49-item catalogue names beside the core's (police, fire, justice,
# city_management, market_regulation, housing, civil_affairs, health, emergency, environment).
PARTY_ORGANISATION: Final = "party_organisation"
HUMAN_RESOURCES: Final = "human_resources"
MEDICAL_INSURANCE: Final = "medical_insurance"
EDUCATION: Final = "education"
CULTURE_SPORT: Final = "culture_sport"
SOCIAL_WORK: Final = "social_work"
DISABLED_PERSONS: Final = "disabled_persons"
WOMEN_CHILDREN: Final = "women_children"
VETERANS_AFFAIRS: Final = "veterans_affairs"
DEPARTMENT_KINDS: Final = {
    PARTY_ORGANISATION: "组织(党建) party organisation",
    HUMAN_RESOURCES: "人力资源和社会保障 human resources and social security",
    MEDICAL_INSURANCE: "医疗保障 medical insurance",
    EDUCATION: "教育 education",
    CULTURE_SPORT: "文化广电旅游体育 culture, tourism and sport",
    SOCIAL_WORK: "社工委 social work committee",
    DISABLED_PERSONS: "残联 disabled persons' federation",
    WOMEN_CHILDREN: "妇联 women's federation",
    VETERANS_AFFAIRS: "退役军人事务 veterans affairs",
}

# Care groups some catalogue items are reserved for, beside the core's (living_alone,
# empty_nest, disability, hardship, left_behind_child, serious_illness).
ADVANCED_AGE: Final = "advanced_age"
VETERAN: Final = "veteran"
CARE_GROUPS: Final = {
    ADVANCED_AGE: "高龄老人 elder aged 80 or more",
    VETERAN: "退役军人 veteran",
}

# 市—镇(街道、园区)—村(社区)—网格(楼盘小区等): the four levels and the unit kinds each may be.
CITY: Final = "city"
TOWN: Final = "town"
VILLAGE: Final = "village"
GRID: Final = "grid"
LEVELS: Final = {
    CITY: "市 city",
    TOWN: "镇(街道、园区) town, street or park",
    VILLAGE: "村(社区) village or community",
    GRID: "网格(楼盘小区等) grid: a housing estate or part of one",
}
LEVEL_KINDS: Final = {
    CITY: ("city",),
    TOWN: ("town", "street"),
    VILLAGE: ("community", "village"),
    GRID: ("grid",),
}
"""The core unit kinds each level of the network is built from."""
