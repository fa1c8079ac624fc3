"""The people capability over HTTP: the grid tree and its counts, staff and departments,
households and residents (masked as the caller's rights require)."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from fastapi import APIRouter, Depends, Path, Query

from commgov.kernel.web.pages import Cursor, Limit, Page, decode_cursor, page_of
from commgov.kernel.web.routes import PROBLEMS, PathId
from commgov.kernel.web.state import Caller, service
from commgov.people.model.limits import ROLE_MAX, UNIT_CODE_MAX
from commgov.people.service.grids import GridService
from commgov.people.service.residents import ResidentService
from commgov.people.service.staff import StaffService
from commgov.people.views import DepartmentView, HouseholdView, ResidentView, StaffView, UnitView

router = APIRouter(tags=["people"], responses=PROBLEMS)
Grids = Annotated[GridService, Depends(service(GridService))]
Staff = Annotated[StaffService, Depends(service(StaffService))]
Residents = Annotated[ResidentService, Depends(service(ResidentService))]
UnitCode = Annotated[
    str, Path(min_length=1, max_length=UNIT_CODE_MAX, description="A unit's code (or former code).")
]


@router.get("/units", response_model=list[UnitView])
def root_units(actor: Caller, grids: Grids) -> list[UnitView]:
    """The roots of the unit tree (counties, cities), by code."""
    return grids.roots()


@router.get("/units/{code}", response_model=UnitView)
def get_unit(code: UnitCode, actor: Caller, grids: Grids) -> UnitView:
    """A unit, by its code or a former one."""
    return grids.get(code)


@router.get("/units/{code}/children", response_model=list[UnitView])
def unit_children(
    code: UnitCode, actor: Caller, grids: Grids, include_retired: bool = False
) -> list[UnitView]:
    """The units right below ``code``, by code."""
    return grids.children(code, include_retired=include_retired)


@router.get("/units/{code}/counts", response_model=dict[str, int])
def unit_counts(
    code: UnitCode, actor: Caller, grids: Grids, at: dt.datetime | None = None
) -> dict[str, int]:
    """Units by kind (grids by type), households and residents under ``code``, now or at the
    moment ``at``."""
    return grids.counts(actor, code, at=at)


@router.get("/units/{code}/staff", response_model=list[StaffView])
def unit_staff(
    code: UnitCode,
    actor: Caller,
    staff: Staff,
    role: Annotated[str | None, Query(min_length=1, max_length=ROLE_MAX)] = None,
) -> list[StaffView]:
    """Staff answering for ``code`` or a unit below it, optionally of one ``role``."""
    return staff.workers(actor, code, role=role)


@router.get("/units/{code}/departments", response_model=list[DepartmentView])
def unit_departments(code: UnitCode, actor: Caller, staff: Staff) -> list[DepartmentView]:
    """Departments (police, fire …) at ``code`` or below."""
    return staff.departments(actor, code)


@router.get("/staff/{staff_id}", response_model=StaffView)
def get_staff(staff_id: PathId, actor: Caller, staff: Staff) -> StaffView:
    """A staff member (their phone masked)."""
    return staff.get(actor, staff_id)


@router.get("/units/{code}/households", response_model=Page[HouseholdView])
def unit_households(
    *,
    code: UnitCode,
    actor: Caller,
    residents: Residents,
    cursor: Cursor = None,
    limit: Limit = 50,
) -> Page[HouseholdView]:
    """Households in ``code`` and the units below it, oldest first, a page at a time."""
    after = decode_cursor(cursor)
    found = residents.households_under(actor, code, limit=limit + 1, after_id=after)
    return page_of(found, limit, key=lambda h: h.id)


@router.get("/households/{household_id}", response_model=HouseholdView)
def get_household(household_id: PathId, actor: Caller, residents: Residents) -> HouseholdView:
    """A household with the ids of those living in it."""
    return residents.household(actor, household_id)


@router.get("/households/{household_id}/members", response_model=list[ResidentView])
def household_members(
    household_id: PathId, actor: Caller, residents: Residents
) -> list[ResidentView]:
    """Those living in a household; identity numbers and phones masked unless the caller may
    read personal data there (``personal_visible``)."""
    return residents.members(actor, household_id)


@router.get("/residents/{resident_id}", response_model=ResidentView)
def get_resident(resident_id: PathId, actor: Caller, residents: Residents) -> ResidentView:
    """A resident, masked unless the caller may read personal data in their household."""
    return residents.get(actor, resident_id)
