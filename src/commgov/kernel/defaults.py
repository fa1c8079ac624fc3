"""The core's own rules, registered as a plugin like any town's (town plugins override them)."""

from __future__ import annotations

from commgov.kernel import actors as roles
from commgov.kernel.access import Target, default_allows
from commgov.kernel.actors import Actor, RoleSpec
from commgov.kernel.markers import hookimpl

NAME = "commgov.defaults"


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


@hookimpl(trylast=True)
def commgov_permission(actor: Actor, action: str, target: Target, acts_as: str) -> bool | None:
    return default_allows(actor, action, target, acts_as)
