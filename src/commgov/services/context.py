"""What every service shares: the engine, the cipher, the plugin host, the clock."""

from __future__ import annotations

import datetime as dt
import functools
import logging
from collections.abc import Callable
from typing import Any

import attrs
from sqlalchemy import Engine

from commgov.domain.access import Target
from commgov.domain.actors import Actor, RoleSpec
from commgov.domain.people import Vocabulary
from commgov.domain.units import Unit
from commgov.errors import PermissionDenied
from commgov.plugins.host import PluginHost
from commgov.store.cipher import Cipher
from commgov.store.uow import UnitOfWork

Clock = Callable[[], dt.datetime]


log = logging.getLogger("commgov.audit")


def utc_now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _merge(results: list[dict[str, str]]) -> dict[str, str]:
    merged: dict[str, str] = {}
    for result in reversed(results):  # pluggy returns the last registered first
        merged.update(result)
    return merged


@attrs.define(slots=False)  # not slotted: the vocabulary is cached in __dict__
class Context:
    engine: Engine
    cipher: Cipher
    plugins: PluginHost
    clock: Clock = utc_now

    def uow(self, *, readonly: bool = False) -> UnitOfWork:
        return UnitOfWork(self.engine, readonly=readonly)

    def refresh(self) -> None:
        """Forget the vocabulary collected from the plugins (after a plugin was added)."""
        for name in (
            "roles",
            "vocabulary",
            "department_kinds",
            "dedicated_covers",
            "record_kinds",
        ):
            self.__dict__.pop(name, None)

    # -- vocabulary from the registry hooks ----------------------------------------------
    @functools.cached_property
    def roles(self) -> dict[str, RoleSpec]:
        specs: dict[str, RoleSpec] = {}
        for batch in reversed(self.plugins.registry.commgov_roles()):
            specs.update({spec.name: spec for spec in batch})
        return specs

    @functools.cached_property
    def vocabulary(self) -> Vocabulary:
        hook = self.plugins.registry
        return Vocabulary(
            care_groups=frozenset(_merge(hook.commgov_care_groups())),
            tags=frozenset(_merge(hook.commgov_resident_tags())),
        )

    @functools.cached_property
    def department_kinds(self) -> dict[str, str]:
        return _merge(self.plugins.registry.commgov_department_kinds())

    @functools.cached_property
    def dedicated_covers(self) -> dict[str, str]:
        return _merge(self.plugins.registry.commgov_dedicated_grid_covers())

    @functools.cached_property
    def record_kinds(self) -> dict[str, str]:
        return _merge(self.plugins.registry.commgov_record_kinds())

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
        log.info("%s %s %s %s %s", actor.label(), action, entity, entity_id, detail)
        uow.audit.record(
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
        decision = self.plugins.rules(target.unit_path).commgov_permission(
            actor=actor, action=action, target=target, acts_as=spec.acts_as
        )
        return bool(decision)

    def authorize(self, actor: Actor, action: str, target: Target) -> None:
        """Raise ``PermissionDenied`` unless the permission hooks allow the action."""
        if actor.role not in self.roles:
            raise PermissionDenied(actor.label(), action, f"{target.description} (unknown role)")
        if not self.allowed(actor, action, target):
            raise PermissionDenied(actor.label(), action, target.description)


def unit_target(unit: Unit, household_id: int | None = None) -> Target:
    return Target(f"unit {unit.code} ({unit.name})", unit.path, household_id)
