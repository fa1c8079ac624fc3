"""Staff (grid workers, community staff, town administrators) and departments."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Final

from commgov.errors import ConflictError, PermissionDenied, StateError, ValidationError
from commgov.kernel import actors as roles
from commgov.kernel.access import MANAGE_STAFF, READ
from commgov.kernel.actors import Actor
from commgov.kernel.context import Context
from commgov.kernel.uow import UnitOfWork
from commgov.kernel.values import check_int, check_text
from commgov.people.calls import department_kinds
from commgov.people.model.codes import validate_department_code
from commgov.people.model.limits import DEPARTMENT_KIND_MAX, DEPARTMENT_NAME_MAX, ROLE_MAX
from commgov.people.model.personal import Phone
from commgov.people.model.residents import validate_name
from commgov.people.model.units import unit_target
from commgov.people.repository import DepartmentRepository, StaffRepository, UnitRepository
from commgov.people.service import staff_events
from commgov.people.service.grids import load_unit
from commgov.people.views import DepartmentView, LifeEventView, PostingView, StaffView

EMPLOYMENTS: Final = ("full_time", "part_time", "mobile")


class StaffService:
    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx

    def add(
        self,
        actor: Actor,
        *,
        name: str,
        role: str,
        units: list[str],
        employment: str | None = None,
        phone: str | None = None,
        department: str | None = None,
    ) -> StaffView:
        """Register a staff member with the units they answer for (codes)."""
        name = validate_name(name)
        check_text("role", role, ROLE_MAX)
        if role not in self._ctx.roles or role in (roles.SYSTEM, roles.RESIDENT):
            known = sorted(set(self._ctx.roles) - {roles.SYSTEM, roles.RESIDENT})
            raise ValidationError("role", role, f"expected one of {', '.join(known)}")
        if employment is not None and employment not in EMPLOYMENTS:
            raise ValidationError(
                "employment", employment, f"expected one of {', '.join(EMPLOYMENTS)}"
            )
        if isinstance(units, str) or not isinstance(units, Sequence):
            raise ValidationError("units", units, "expected a list of unit codes")
        if not units:
            raise ValidationError("units", units, "a staff member answers for at least one unit")
        clear_phone = Phone.parse(phone).reveal() if phone not in (None, "") else None
        with self._ctx.uow() as uow:
            found = [load_unit(uow, code, field="units", live=True) for code in units]
            loaded = list({u.id: u for u in found}.values())  # a code given twice, or old and new
            for unit in loaded:
                self._ctx.authorize(actor, MANAGE_STAFF, unit_target(unit))
            department_id = self._department_id(uow, department)
            staff_id = uow.repo(StaffRepository).add(
                {
                    "name": name,
                    "role": role,
                    "employment": employment,
                    "phone_cipher": self._ctx.cipher.encrypt(clear_phone) if clear_phone else None,
                    "department_id": department_id,
                    "active": True,
                    "created_at": self._ctx.clock(),
                },
                [u.id for u in loaded],
            )
            detail = {"role": role, "units": [u.code for u in loaded]}
            self._ctx.audit(
                uow, actor, "staff.create", entity="staff", entity_id=staff_id, detail=detail
            )
            return self._view(uow, uow.repo(StaffRepository).get(staff_id))

    def actor(self, staff_id: int) -> Actor:
        """The ``Actor`` a staff member acts as, with the units they answer for; a staff
        member who left acts no more (``StateError``)."""
        check_int("staff_id", staff_id)
        with self._ctx.uow(readonly=True) as uow:
            row = uow.repo(StaffRepository).get(staff_id)
            if not row.active:
                raise StateError(f"staff_id={staff_id}: {staff_events.left_text(row)}")
            return Actor(
                role=row.role,
                name=row.name,
                units=uow.repo(StaffRepository).unit_ids(staff_id),
                staff_id=row.id,
            )

    def get(self, actor: Actor, staff_id: int) -> StaffView:
        """A staff member; the actor needs ``read`` on one of the units they answer for."""
        check_int("staff_id", staff_id)
        with self._ctx.uow(readonly=True) as uow:
            row = uow.repo(StaffRepository).get(staff_id)
            units = uow.repo(UnitRepository).many(uow.repo(StaffRepository).last_unit_ids(row.id))
            if not any(self._ctx.allowed(actor, READ, unit_target(u)) for u in units):
                raise PermissionDenied(actor.label(), READ, f"staff member {row.id}")
            return self._view(uow, row)

    # -- life events ---------------------------------------------------------------------
    def deactivate(
        self,
        actor: Actor,
        staff_id: int,
        *,
        reason: str,
        hand_over_to: int | None = None,
        at: dt.datetime | None = None,
    ) -> LifeEventView:
        """A staff member leaves (dated ``at``, default now): they act no more, their postings
        end, and their open work (cases they lead …) goes to ``hand_over_to``, an active staff
        member; when they have open work and nobody is named, nothing changes and a
        ``ValidationError`` on ``hand_over_to`` says what is open."""
        return staff_events.deactivate(
            self._ctx, actor, staff_id, reason=reason, hand_over_to=hand_over_to, at=at
        )

    def reassign(
        self,
        actor: Actor,
        staff_id: int,
        *,
        units: list[str],
        hand_over_to: int | None = None,
        at: dt.datetime | None = None,
    ) -> LifeEventView:
        """A staff member answers for ``units`` from ``at`` on; the postings they leave end,
        and their open work in those units goes to ``hand_over_to``."""
        return staff_events.reassign(
            self._ctx, actor, staff_id, units=units, hand_over_to=hand_over_to, at=at
        )

    def postings(self, actor: Actor, staff_id: int) -> list[PostingView]:
        """Which units a staff member answered for, when (the current ones end ``None``)."""
        return staff_events.postings(self._ctx, actor, staff_id)

    def workers(self, actor: Actor, unit: str, *, role: str | None = None) -> list[StaffView]:
        """Staff answering for ``unit`` or any unit below it."""
        if role is not None:
            check_text("role", role, ROLE_MAX)
        with self._ctx.uow(readonly=True) as uow:
            top = load_unit(uow, unit)
            self._ctx.authorize(actor, READ, unit_target(top))
            return [self._view(uow, row) for row in uow.repo(StaffRepository).under(top.path, role)]

    def add_department(
        self, actor: Actor, *, code: str, name: str, kind: str, unit: str
    ) -> DepartmentView:
        """A department (police, fire …) at a level of the tree; cases can be sent to it."""
        code = validate_department_code(code)
        name = validate_name(name, limit=DEPARTMENT_NAME_MAX)
        known = department_kinds(self._ctx)
        if not isinstance(kind, str) or kind not in known:
            raise ValidationError("kind", kind, f"expected one of {', '.join(sorted(known))}")
        check_text("kind", kind, DEPARTMENT_KIND_MAX)
        with self._ctx.uow() as uow:
            home = load_unit(uow, unit, live=True)
            self._ctx.authorize(actor, MANAGE_STAFF, unit_target(home))
            if uow.repo(DepartmentRepository).code_taken(code):
                raise ConflictError(f"code={code!r}: a department with this code exists")
            department_id = uow.repo(DepartmentRepository).add(
                {"code": code, "name": name, "kind": kind, "unit_id": home.id}
            )
            return DepartmentView(
                id=department_id, code=code, name=name, kind=kind, unit_code=home.code
            )

    def departments(self, actor: Actor, unit: str) -> list[DepartmentView]:
        """Departments at ``unit`` or below; the actor needs ``read`` on the unit."""
        with self._ctx.uow(readonly=True) as uow:
            top = load_unit(uow, unit)
            self._ctx.authorize(actor, READ, unit_target(top))
            codes = {u.id: u.code for u in uow.repo(UnitRepository).subtree(top)}
            return [
                DepartmentView(
                    id=r.id, code=r.code, name=r.name, kind=r.kind, unit_code=codes[r.unit_id]
                )
                for r in uow.repo(DepartmentRepository).under(top.path)
            ]

    def _department_id(self, uow: UnitOfWork, code: str | None) -> int | None:
        if code is None:
            return None
        found = uow.repo(DepartmentRepository).id_of(validate_department_code(code, "department"))
        if found is None:
            raise ValidationError("department", code, "no department with this code")
        return found

    def _view(self, uow: UnitOfWork, row: Any) -> StaffView:
        unit_codes = tuple(
            u.code
            for u in uow.repo(UnitRepository).many(uow.repo(StaffRepository).unit_ids(row.id))
        )
        phone = (
            Phone(self._ctx.cipher.decrypt(row.phone_cipher)).masked() if row.phone_cipher else None
        )
        return StaffView(
            id=row.id,
            name=row.name,
            role=row.role,
            employment=row.employment,
            unit_codes=unit_codes,
            phone=phone,
            department_id=row.department_id,
            active=row.active,
            left_at=row.left_at,
            left_reason=row.left_reason,
        )
