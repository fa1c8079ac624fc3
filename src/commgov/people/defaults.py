"""The core's people vocabulary, registered as a plugin like any town's."""

from __future__ import annotations

from commgov.kernel.markers import hookimpl
from commgov.people.model.residents import CORE_CARE_GROUPS
from commgov.people.model.units import CORE_DEDICATED_COVERS

NAME = "commgov.people_defaults"

CORE_DEPARTMENT_KINDS = {
    "police": "公安 police",
    "fire": "消防 fire and rescue",
    "justice": "司法 justice",
    "city_management": "城管 city management",
    "market_regulation": "市场监管 market regulation",
    "housing": "住建 housing and construction",
    "civil_affairs": "民政 civil affairs",
    "health": "卫健 health",
    "emergency": "应急 emergency management",
    "environment": "生态环境 environment",
}


@hookimpl
def commgov_care_groups() -> dict[str, str]:
    return dict(CORE_CARE_GROUPS)


@hookimpl
def commgov_resident_tags() -> dict[str, str]:
    return {"floating": "流动人口 non-registered resident", "building_head": "楼栋长 building head"}


@hookimpl
def commgov_department_kinds() -> dict[str, str]:
    return dict(CORE_DEPARTMENT_KINDS)


@hookimpl
def commgov_dedicated_grid_covers() -> dict[str, str]:
    return {name: name.replace("_", " ") for name in CORE_DEDICATED_COVERS}
