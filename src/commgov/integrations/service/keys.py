"""``cg.api_keys``: make, list and revoke API keys, and find who a presented key acts for."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import attrs

from commgov.errors import (
    NotAuthenticated,
    NotFoundError,
    PermissionDenied,
    StateError,
    ValidationError,
)
from commgov.integrations import model
from commgov.integrations.repository import ApiKeyRepository, key_view
from commgov.integrations.views import ApiKeyView, NewApiKey
from commgov.kernel.access import MANAGE_STAFF, WRITE, Target
from commgov.kernel.actors import DEPARTMENT_STAFF, SYSTEM, Actor
from commgov.kernel.context import Context
from commgov.kernel.times import as_utc
from commgov.kernel.uow import UnitOfWork
from commgov.kernel.values import row_id, stripped_text
from commgov.people.model.personal import mask_name
from commgov.people.model.units import household_target, unit_target
from commgov.people.repository import (
    DepartmentRepository,
    HouseholdRepository,
    ResidentRepository,
    StaffRepository,
    UnitRepository,
)
from commgov.people.service.staff import StaffService


@attrs.frozen
class KeyHolder:
    """Who a presented key acts for, and what it may do (``scopes``)."""

    actor: Actor
    scopes: tuple[str, ...]
    key_id: int


class ApiKeyService:
    """API keys for the HTTP API. A key acts for a staff member (with their units and role), a
    department (as department staff of its unit) or a system client (every right); it has
    scopes (``read``: GET; ``write``: every other method) and may expire. Keys are stored as a
    SHA-256 digest: the whole key is shown once, when it is made."""

    def __init__(self, ctx: Context) -> None:
        self._ctx = ctx
        self._staff = StaffService(ctx)

    def create(
        self,
        actor: Actor,
        *,
        staff_id: int | None = None,
        department: str | None = None,
        system: str | None = None,
        resident_id: int | None = None,
        label: str | None = None,
        scopes: Sequence[str] = model.SCOPES,
        expires_at: dt.datetime | None = None,
    ) -> NewApiKey:
        """A new key for exactly one holder. Staff and department keys need ``manage_staff``
        on the holder's units; a resident's key needs ``write`` on their household (their grid
        worker may make it); system keys need a system actor."""
        holder = model.Holder(
            staff_id=staff_id, department=department, system=system, resident_id=resident_id
        )
        checked_scopes = model.check_scopes(scopes)
        expiry = None if expires_at is None else as_utc("expires_at", expires_at)
        now = self._ctx.clock()
        if expiry is not None and expiry <= now:
            raise ValidationError("expires_at", expiry.isoformat(), "must be in the future")
        name = stripped_text("label", label or holder.describe(), model.LABEL_MAX)
        secret = model.new_secret()
        with self._ctx.uow() as uow:
            department_id = self._authorize_holder(uow, actor, holder)
            key_id = uow.repo(ApiKeyRepository).add(
                {
                    "prefix": secret.prefix,
                    "digest": secret.digest,
                    "label": name,
                    "staff_id": holder.staff_id,
                    "department_id": department_id,
                    "system": holder.system,
                    "resident_id": holder.resident_id,
                    "scopes": list(checked_scopes),
                    "created_at": now,
                    "created_by": actor.label(),
                    "expires_at": expiry,
                }
            )
            detail: dict[str, object] = {"holder": holder.describe(), "scopes": checked_scopes}
            self._ctx.audit(
                uow, actor, "api_keys.create", entity="api_key", entity_id=key_id, detail=detail
            )
            view = key_view(uow.repo(ApiKeyRepository).get(key_id))
        return NewApiKey(key=view, secret=secret.text)

    def keys(self, actor: Actor, *, include_revoked: bool = False) -> list[ApiKeyView]:
        """The keys whose holder the actor may manage, oldest first."""
        with self._ctx.uow(readonly=True) as uow:
            rows = uow.repo(ApiKeyRepository).every(include_revoked=include_revoked)
            return [key_view(r) for r in rows if self._may_manage(uow, actor, r)]

    def revoke(self, actor: Actor, key_id: int) -> ApiKeyView:
        """Revoke a key at once: every later request with it is refused. Revoking a revoked
        key changes nothing."""
        row_id("key_id", key_id)
        with self._ctx.uow() as uow:
            repo = uow.repo(ApiKeyRepository)
            row = repo.get(key_id)
            if not self._may_manage(uow, actor, row):
                raise PermissionDenied(actor.label(), "revoke", f"api key {key_id}")
            if row.revoked_at is None:
                repo.revoke(key_id, self._ctx.clock())
                detail: dict[str, object] = {"prefix": row.prefix}
                self._ctx.audit(
                    uow, actor, "api_keys.revoke", entity="api_key", entity_id=key_id, detail=detail
                )
            return key_view(repo.get(key_id))

    def holder(self, secret: str) -> KeyHolder:
        """Who the key ``secret`` acts for, or ``NotAuthenticated`` (unknown, revoked, expired,
        or its staff member has left)."""
        prefix = model.prefix_of(secret)
        if prefix is None:
            raise NotAuthenticated("the API key is not in the form cg_<prefix>_<secret>")
        with self._ctx.uow(readonly=True) as uow:
            row = uow.repo(ApiKeyRepository).by_prefix(prefix)
            if row is None or not model.matches(secret, row.digest):
                raise NotAuthenticated(f"no API key cg_{prefix}_…")
            why = model.usable(row.revoked_at, row.expires_at, self._ctx.clock())
            if why is not None:
                raise NotAuthenticated(f"the API key cg_{prefix}_… is {why}")
            actor = self._actor(uow, row)
        return KeyHolder(actor=actor, scopes=tuple(row.scopes), key_id=int(row.id))

    # -- helpers -------------------------------------------------------------------------
    def _actor(self, uow: UnitOfWork, row: object) -> Actor:
        staff_id = getattr(row, "staff_id", None)
        if staff_id is not None:
            staff = uow.repo(StaffRepository).get(staff_id)
            if not staff.active:
                raise NotAuthenticated(f"staff member {staff_id} holding this key has left")
            return self._staff.actor(staff_id)
        department_id = getattr(row, "department_id", None)
        if department_id is not None:
            found = uow.repo(DepartmentRepository).get(department_id)
            return Actor(role=DEPARTMENT_STAFF, name=found.code, units=[found.unit_id])
        resident_id = getattr(row, "resident_id", None)
        if resident_id is not None:
            resident = uow.repo(ResidentRepository).get(resident_id)
            if resident.left_at is not None:
                raise NotAuthenticated(f"resident {resident_id} holding this key has left")
            name = mask_name(resident.name)
            return Actor.resident(name, resident.household_id, resident_id)
        return Actor.system(str(getattr(row, "system", "system")))

    def _authorize_holder(self, uow: UnitOfWork, actor: Actor, holder: model.Holder) -> int | None:
        """Check the actor may make a key for ``holder``; the department's id for its key."""
        if holder.system is not None:
            if actor.role != SYSTEM:
                raise PermissionDenied(actor.label(), "create", "a system client's API key")
            return None
        if holder.staff_id is not None:
            row_id("staff_id", holder.staff_id)
            for target in self._staff_targets(uow, holder.staff_id):
                self._ctx.authorize(actor, MANAGE_STAFF, target)
            return None
        if holder.resident_id is not None:
            self._ctx.authorize(
                actor, WRITE, self._home(uow, row_id("resident_id", holder.resident_id))
            )
            return None
        code = str(holder.department)
        department_id = uow.repo(DepartmentRepository).id_of(code)
        if department_id is None:
            raise NotFoundError("department", code)
        unit = uow.repo(UnitRepository).get(
            uow.repo(DepartmentRepository).get(department_id).unit_id
        )
        self._ctx.authorize(actor, MANAGE_STAFF, unit_target(unit))
        return department_id

    def _staff_targets(self, uow: UnitOfWork, staff_id: int) -> list[Target]:
        staff = uow.repo(StaffRepository).get(staff_id)
        units = uow.repo(UnitRepository).many(uow.repo(StaffRepository).last_unit_ids(staff.id))
        return [unit_target(u) for u in units] or [Target(f"staff member {staff_id}")]

    def _home(self, uow: UnitOfWork, resident_id: int) -> Target:
        """The household target of a resident (who must still live in the town's files)."""
        resident = uow.repo(ResidentRepository).get(resident_id)
        if resident.left_at is not None:
            raise StateError(f"resident_id={resident_id}: the resident has left the files")
        household = uow.repo(HouseholdRepository).get(resident.household_id)
        return household_target(uow.repo(UnitRepository).get(household.unit_id), household.id)

    def _may_manage(self, uow: UnitOfWork, actor: Actor, row: object) -> bool:
        if actor.role == SYSTEM:
            return True
        resident_id = getattr(row, "resident_id", None)
        if resident_id is not None:
            resident = uow.repo(ResidentRepository).get(resident_id)
            household = uow.repo(HouseholdRepository).get(resident.household_id)
            unit = uow.repo(UnitRepository).get(household.unit_id)
            return self._ctx.allowed(actor, WRITE, household_target(unit, household.id))
        staff_id = getattr(row, "staff_id", None)
        if staff_id is not None:
            targets = self._staff_targets(uow, staff_id)
            return all(self._ctx.allowed(actor, MANAGE_STAFF, t) for t in targets)
        department_id = getattr(row, "department_id", None)
        if department_id is not None:
            found = uow.repo(DepartmentRepository).get(department_id)
            unit = uow.repo(UnitRepository).get(found.unit_id)
            return self._ctx.allowed(actor, MANAGE_STAFF, unit_target(unit))
        return False
