"""The repository base class, and the kernel's own repositories (audit log, store settings).

A repository loads and saves one kind of record through the unit of work's connection; the
unit of work builds each one once per transaction (``uow.repo(SomeRepository)``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, insert, select, update

from commgov.kernel.tables import audit_log, meta


class Repository:
    """Base of every repository: it holds the unit of work's connection, nothing else."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    @property
    def dialect(self) -> str:
        """``sqlite`` or ``postgresql``: for the few statements that differ."""
        return self.conn.dialect.name


_AUDIT = insert(audit_log)  # built once: building costs more than running it


def audit_row(
    *,
    at: dt.datetime,
    actor: str,
    action: str,
    entity: str,
    entity_id: object,
    detail: Mapping[str, Any],
) -> dict[str, Any]:
    """An ``audit_log`` row, for a write that inserts it with its own rows
    (``kernel.together``)."""
    return {
        "at": at,
        "actor": actor,
        "action": action,
        "entity": entity,
        "entity_id": str(entity_id),
        "detail": dict(detail),
    }


class AuditRepository(Repository):
    def record(self, row: Mapping[str, Any]) -> None:
        """Write one ``audit_row``."""
        self.conn.execute(_AUDIT, dict(row))

    def of(self, entity: str, entity_id: object) -> list[Any]:
        query = (
            select(audit_log)
            .where(audit_log.c.entity == entity, audit_log.c.entity_id == str(entity_id))
            .order_by(audit_log.c.id)
        )
        return list(self.conn.execute(query).all())


class MetaRepository(Repository):
    def get(self, key: str) -> bytes | None:
        return self.conn.execute(select(meta.c.value).where(meta.c.key == key)).scalar_one_or_none()

    def put(self, key: str, value: bytes) -> None:
        if self.get(key) is None:
            self.conn.execute(insert(meta), {"key": key, "value": value})
        else:
            self.conn.execute(update(meta).where(meta.c.key == key).values(value=value))
