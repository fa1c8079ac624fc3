"""The transactional outbox: domain events written in the unit of work of the change they
describe, so an event exists exactly when its change committed. ``commgov events deliver``
sends them on (``docs/events.md``).

An event belongs to an *aggregate* (``case:12``): the thing whose changes are ordered. A
capability writes an aggregate's events while it holds that aggregate's lock (the case row, the
two ledger accounts), so within one aggregate the order of ``id`` is the order of the commits.
Payloads carry codes and ids, never personal data."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, Final

import attrs
from sqlalchemy import func, insert, select

from commgov.kernel.repository import Repository
from commgov.kernel.tables import outbox_events

KIND_MAX: Final = 64
AGGREGATE_MAX: Final = 100


@attrs.frozen
class Event:
    """A domain event as a change emits it: ``kind`` (``case.reported``), the ``aggregate``
    it is ordered within (``case:12``) and a JSON ``payload`` of codes and ids."""

    kind: str
    aggregate: str
    payload: Mapping[str, Any]


@attrs.frozen
class StoredEvent:
    """An event as the outbox keeps it: numbered (``id``) and timed (``at``, UTC)."""

    id: int
    at: dt.datetime
    kind: str
    aggregate: str
    payload: dict[str, Any]

    def body(self) -> dict[str, Any]:
        """The event as JSON data (what a webhook receives)."""
        return {
            "id": self.id,
            "at": self.at.isoformat(),
            "kind": self.kind,
            "aggregate": self.aggregate,
            "payload": self.payload,
        }


_INSERT = insert(outbox_events)  # built once: the case loop and the ledgers write through it
_LAST = select(func.max(outbox_events.c.id))
_BY_AGGREGATE = select(outbox_events).order_by(outbox_events.c.id)


def stored_event(row: Any) -> StoredEvent:
    """A ``StoredEvent`` from a row holding ``outbox_events``' columns."""
    return StoredEvent(
        id=row.id,
        at=row.at,
        kind=row.kind,
        aggregate=row.aggregate,
        payload=dict(row.payload),
    )


def outbox_rows(at: dt.datetime, events: Sequence[Event]) -> list[dict[str, Any]]:
    """``outbox_events`` rows for ``events``, all at ``at``, for a write that inserts them with
    its own rows (``kernel.together``) in this order."""
    return [
        {"at": at, "kind": e.kind, "aggregate": e.aggregate, "payload": dict(e.payload)}
        for e in events
    ]


class OutboxRepository(Repository):
    """Writes events in the caller's unit of work (one statement for many), and reads them."""

    def add(self, at: dt.datetime, events: Sequence[Event]) -> None:
        """Write ``events`` in this order (their ids ascend), all at ``at``."""
        if events:
            rows = outbox_rows(at, events)
            self.conn.execute(_INSERT, rows[0] if len(rows) == 1 else rows)

    def last_id(self) -> int:
        """The highest event id written and visible now (0 when there is none)."""
        return int(self.conn.execute(_LAST).scalar_one() or 0)

    def of(self, aggregate: str) -> list[StoredEvent]:
        """The events of one aggregate, in order."""
        query = _BY_AGGREGATE.where(outbox_events.c.aggregate == aggregate)
        return [stored_event(row) for row in self.conn.execute(query)]

    def after(self, event_id: int, *, limit: int = 1000) -> list[StoredEvent]:
        """Events numbered above ``event_id`` that are visible now, in id order."""
        query = _BY_AGGREGATE.where(outbox_events.c.id > event_id).limit(limit)
        return [stored_event(row) for row in self.conn.execute(query)]


__all__ = [
    "AGGREGATE_MAX",
    "KIND_MAX",
    "Event",
    "OutboxRepository",
    "StoredEvent",
    "outbox_rows",
    "stored_event",
]
