"""The core's own rules, registered as a plugin like any town's (town plugins override them)."""

from __future__ import annotations

from commgov.domain import actors as roles
from commgov.domain.access import Target, default_allows
from commgov.domain.actors import Actor, RoleSpec
from commgov.domain.people import CORE_CARE_GROUPS
from commgov.domain.units import CORE_DEDICATED_COVERS
from commgov.plugins.markers import hookimpl

NAME = "commgov.defaults"

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
def commgov_roles() -> list[RoleSpec]:
    return [
        RoleSpec(roles.SYSTEM, "系统 system", roles.SYSTEM, "set-up scripts and jobs"),
        RoleSpec(roles.TOWN_ADMIN, "镇街管理员 town administrator", roles.TOWN_ADMIN),
        RoleSpec(roles.COMMUNITY_STAFF, "社区工作者 community staff", roles.COMMUNITY_STAFF),
        RoleSpec(roles.GRID_WORKER, "网格员 grid worker", roles.GRID_WORKER),
        RoleSpec(roles.DEPARTMENT_STAFF, "部门人员 department staff", roles.DEPARTMENT_STAFF),
        RoleSpec(roles.RESIDENT, "居民 resident", roles.RESIDENT),
    ]


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


@hookimpl
def commgov_record_kinds() -> dict[str, str]:
    return {"note": "记事 a dated note on a unit"}


@hookimpl(trylast=True)
def commgov_permission(actor: Actor, action: str, target: Target, acts_as: str) -> bool | None:
    return default_allows(actor, action, target, acts_as)
