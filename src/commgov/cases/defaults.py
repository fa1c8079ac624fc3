"""The core's case rules, registered as a plugin like any town's (town plugins answer first)."""

from __future__ import annotations

import datetime as dt

from commgov.cases.model.categories import DEFAULT_CATEGORIES, CategorySpec
from commgov.cases.model.rules import (
    DEFAULT_DEADLINES,
    Candidate,
    CaseInfo,
    Deadlines,
    Routing,
    Triage,
)
from commgov.cases.model.vocab import (
    CASE_ACTIONS,
    CASE_HANDLE,
    CASE_READ,
    CASE_REPORT,
    CASE_SETTINGS,
    CASE_WITHDRAW,
    LEVELS,
)
from commgov.kernel import actors as roles
from commgov.kernel.access import Target
from commgov.kernel.actors import Actor
from commgov.kernel.markers import hookimpl

NAME = "commgov.case_defaults"
_STAFF = (roles.TOWN_ADMIN, roles.COMMUNITY_STAFF, roles.GRID_WORKER)


@hookimpl
def commgov_case_categories() -> list[CategorySpec]:
    return list(DEFAULT_CATEGORIES)


@hookimpl
def commgov_locate(lat: float, lon: float) -> str | None:
    return None  # the core has no map: a town's plugin places points in its grids


@hookimpl
def commgov_case_triage(case: CaseInfo, category: CategorySpec | None) -> Triage:
    """The category's level; a critical case goes to the town at least."""
    level = category.level if category is not None else LEVELS[0]
    if case.severity == "critical":
        level = max(level, "town", key=LEVELS.index)
    return Triage(owner_level=level)


@hookimpl
def commgov_case_routing(
    case: CaseInfo, candidates: list[Candidate], department: str | None
) -> Routing | None:
    """Staff of the owner unit lead at grid and community level, the category's department
    above; critical and urgent cases summon that department as co-operator (吹哨报到)."""
    at_level = [c for c in candidates if c.level == case.owner_level]
    departments = [c for c in candidates if c.lead.kind == "department"]
    matching = [c for c in departments if c.role_or_kind == department]
    staff = [c for c in at_level if c.lead.kind == "staff"]
    if case.owner_level in LEVELS[:2]:
        pool = staff or [c for c in at_level if c.lead.kind == "department"]
    else:
        pool = [c for c in matching if c.level == case.owner_level] or [
            c for c in at_level if c.lead.kind == "department"
        ]
        pool = pool or staff
    if not pool:
        return None
    lead = pool[0].lead
    co_operators: tuple[str, ...] = ()
    if case.severity in ("critical", "urgent") and matching:
        co_operators = tuple(c.lead.ref for c in matching[:1] if c.lead != lead)
    return Routing(lead=lead, co_operators=co_operators)


@hookimpl
def commgov_case_deadlines(category: str | None, severity: str, owner_level: str) -> Deadlines:
    return DEFAULT_DEADLINES[severity]


@hookimpl
def commgov_business_clock(start: dt.datetime, duration: dt.timedelta) -> dt.datetime:
    return start + duration  # calendar time


@hookimpl  # not trylast: the core's trylast default would answer (False) first
def commgov_permission(actor: Actor, action: str, target: Target, acts_as: str) -> bool | None:
    """Case actions: staff within their reach (departments handle and read only); residents
    report in, read and withdraw for their own household; the store's case settings: town
    administrators."""
    if action not in CASE_ACTIONS:
        return None
    if acts_as == roles.SYSTEM:
        return True
    if action == CASE_SETTINGS:
        return acts_as == roles.TOWN_ADMIN
    if acts_as == roles.RESIDENT:
        own = target.household_id is not None and target.household_id == actor.household_id
        return own and action in (CASE_REPORT, CASE_WITHDRAW, CASE_READ)
    if acts_as in _STAFF:
        return target.within(actor.units)
    if acts_as == roles.DEPARTMENT_STAFF:
        return action in (CASE_HANDLE, CASE_READ) and target.within(actor.units)
    return False
