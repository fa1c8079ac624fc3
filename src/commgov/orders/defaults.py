"""The core's order rules, registered as a plugin like any town's (town plugins answer first):
the default catalogue, the case category orders are filed under, and who may do what."""

from __future__ import annotations

from typing import Final

from commgov.cases.model.categories import CategorySpec
from commgov.kernel import actors as roles
from commgov.kernel.access import Target
from commgov.kernel.actors import Actor
from commgov.kernel.markers import hookimpl
from commgov.orders.model.access import (
    ORDER_ACTIONS,
    ORDER_ASSIGN,
    ORDER_HANDLE,
    ORDER_PLACE,
    ORDER_READ,
)
from commgov.orders.model.catalogue import DEFAULT_CATALOGUE
from commgov.orders.model.rules import ServiceItem

NAME = "commgov.order_defaults"
CATEGORY: Final = CategorySpec("service", "公共服务 service order", level="community")
"""The case category every order is filed under: the community takes orders at one door."""
_COMMUNITY = (roles.TOWN_ADMIN, roles.COMMUNITY_STAFF)


@hookimpl
def commgov_service_catalogue() -> list[ServiceItem]:
    return list(DEFAULT_CATALOGUE)


@hookimpl
def commgov_case_categories() -> list[CategorySpec]:
    return [CATEGORY]


@hookimpl  # not trylast: the core's trylast default would answer (False) first
def commgov_permission(actor: Actor, action: str, target: Target, acts_as: str) -> bool | None:
    """Order actions: residents place, cancel, rate and read for their own household; town and
    community staff do everything within their reach; grid workers all but assigning (派单 is
    the community's); department staff handle and read within reach (the service lets them
    handle only orders assigned to their department or to them)."""
    if action not in ORDER_ACTIONS:
        return None
    if acts_as == roles.SYSTEM:
        return True
    if acts_as == roles.RESIDENT:
        own = target.household_id is not None and target.household_id == actor.household_id
        return own and action in (ORDER_PLACE, ORDER_READ)
    if acts_as in _COMMUNITY:
        return target.within(actor.units)
    if acts_as == roles.GRID_WORKER:
        return action != ORDER_ASSIGN and target.within(actor.units)
    if acts_as == roles.DEPARTMENT_STAFF:
        return action in (ORDER_HANDLE, ORDER_READ) and target.within(actor.units)
    return False
