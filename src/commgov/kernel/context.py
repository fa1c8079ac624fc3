"""What every service shares: the engine, the cipher, the plugin host, the clock, the audit
log and the permission check."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from typing import Any, TypeVar

import attrs
from sqlalchemy import Engine

from commgov.errors import PermissionDenied
from commgov.kernel import calls
from commgov.kernel.access import Target
from commgov.kernel.actors import Actor, RoleSpec
from commgov.kernel.cipher import Cipher
from commgov.kernel.clock import Clock, utc_clock, utc_now
from commgov.kernel.handover import OpenWork
from commgov.kernel.host import PluginHost
from commgov.kernel.repository import AuditRepository, audit_row
from commgov.kernel.times import DEFAULT_ZONE, zone
from commgov.kernel.uow import UnitOfWork

T = TypeVar("T")
log = logging.getLogger("commgov.audit")


@attrs.define
class Context:
    engine: Engine
    cipher: Cipher
    plugins: PluginHost
    clock: Clock = attrs.field(default=utc_now, converter=utc_clock)
    """The time, always in UTC: a clock set here (given or assigned) is read in UTC."""
    zone: dt.tzinfo = attrs.field(factory=lambda: zone(DEFAULT_ZONE))
    """The store's time zone: days, weeks and months in rules and reports are counted in it."""
    open_work: tuple[OpenWork, ...] = ()
    """The capabilities' open work tied to people, handed over when people leave or move."""
    _cache: dict[str, Any] = attrs.field(factory=dict, init=False)

    def uow(
        self, *, readonly: bool = False, savepoint: bool = True, whole: bool = False
    ) -> UnitOfWork:
        return UnitOfWork(self.engine, readonly=readonly, savepoint=savepoint, whole=whole)

    def cached(self, key: str, make: Callable[[], T]) -> T:
        """A registry answer computed once (until ``refresh``): vocabularies, categories."""
        if key not in self._cache:
            self._cache[key] = make()
        found: T = self._cache[key]
        return found

    def refresh(self) -> None:
        """Forget what was collected from the plugins (after a plugin was added)."""
        self._cache.clear()

    @property
    def roles(self) -> dict[str, RoleSpec]:
        return self.cached("roles", lambda: calls.roles(self.plugins))

    # -- audit ---------------------------------------------------------------------------
    def audit(
        self,
        uow: UnitOfWork,
        actor: Actor,
        action: str,
        *,
        entity: str,
        entity_id: object,
        detail: dict[str, Any],
    ) -> None:
        """Record a write in the audit log, inside the write's own unit of work, and log it.
        ``detail`` carries codes and counts, never personal data."""
        row = self.audit_entry(actor, action, entity=entity, entity_id=entity_id, detail=detail)
        uow.repo(AuditRepository).record(row)

    def audit_entry(
        self, actor: Actor, action: str, *, entity: str, entity_id: object, detail: dict[str, Any]
    ) -> dict[str, Any]:
        """``audit``'s row, logged now, for a write that inserts it with its own rows."""
        log.info("%s %s %s %s %s", actor.label(), action, entity, entity_id, detail)
        return audit_row(
            at=self.clock(),
            actor=actor.label(),
            action=action,
            entity=entity,
            entity_id=entity_id,
            detail=detail,
        )

    # -- permission ----------------------------------------------------------------------
    def allowed(self, actor: Actor, action: str, target: Target) -> bool:
        spec = self.roles.get(actor.role)
        if spec is None:
            return False
        return calls.permission(self.plugins, actor, action, target, spec.acts_as)

    def authorize(self, actor: Actor, action: str, target: Target) -> None:
        """Raise ``PermissionDenied`` unless the permission hooks allow the action."""
        if actor.role not in self.roles:
            raise PermissionDenied(actor.label(), action, f"{target.description} (unknown role)")
        if not self.allowed(actor, action, target):
            raise PermissionDenied(actor.label(), action, target.description)
