"""Loading and saving API keys, webhooks, event subscribers and deliveries."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, Final

import attrs
from sqlalchemy import ColumnElement, and_, bindparam, func, insert, or_, select, text, update
from sqlalchemy.dialects import postgresql, sqlite

from commgov.errors import NotFoundError
from commgov.integrations.model import DEAD, FAILING
from commgov.integrations.tables import api_keys, event_deliveries, event_subscribers, webhooks
from commgov.integrations.views import ApiKeyView, DeliveryView, WebhookView
from commgov.kernel.outbox import StoredEvent, stored_event
from commgov.kernel.repository import Repository
from commgov.kernel.tables import outbox_events
from commgov.people.tables import departments

_COLUMNS = (*api_keys.c, departments.c.code.label("department_code"))
_JOINED = api_keys.outerjoin(departments, departments.c.id == api_keys.c.department_id)


class ApiKeyRepository(Repository):
    def add(self, values: Mapping[str, Any]) -> int:
        query = insert(api_keys).returning(api_keys.c.id)
        return int(self.conn.execute(query, dict(values)).scalar_one())

    def by_prefix(self, prefix: str) -> Any:
        """The key row with this public part (and its department's code), or ``None``."""
        query = select(*_COLUMNS).select_from(_JOINED).where(api_keys.c.prefix == prefix)
        return self.conn.execute(query).one_or_none()

    def get(self, key_id: int) -> Any:
        query = select(*_COLUMNS).select_from(_JOINED).where(api_keys.c.id == key_id)
        row = self.conn.execute(query).one_or_none()
        if row is None:
            raise NotFoundError("api key", key_id)
        return row

    def every(self, *, include_revoked: bool) -> list[Any]:
        query = select(*_COLUMNS).select_from(_JOINED).order_by(api_keys.c.id)
        if not include_revoked:
            query = query.where(api_keys.c.revoked_at.is_(None))
        return list(self.conn.execute(query).all())

    def revoke(self, key_id: int, at: dt.datetime) -> None:
        query = update(api_keys).where(api_keys.c.id == key_id).values(revoked_at=at)
        self.conn.execute(query)


def key_view(row: Any) -> ApiKeyView:
    if row.staff_id is not None:
        holder = f"staff:{row.staff_id}"
    elif row.department_code is not None:
        holder = f"department:{row.department_code}"
    elif row.resident_id is not None:
        holder = f"resident:{row.resident_id}"
    else:
        holder = f"system:{row.system}"
    return ApiKeyView(
        id=row.id,
        prefix=row.prefix,
        label=row.label,
        holder=holder,
        scopes=tuple(row.scopes),
        created_at=row.created_at,
        created_by=row.created_by,
        expires_at=row.expires_at,
        revoked_at=row.revoked_at,
    )


# -- webhooks --------------------------------------------------------------------------------
class WebhookRepository(Repository):
    def add(self, values: Mapping[str, Any]) -> int:
        query = insert(webhooks).returning(webhooks.c.id)
        return int(self.conn.execute(query, dict(values)).scalar_one())

    def get(self, webhook_id: int) -> Any:
        row = self.conn.execute(select(webhooks).where(webhooks.c.id == webhook_id)).one_or_none()
        if row is None:
            raise NotFoundError("webhook", webhook_id)
        return row

    def every(self, *, include_removed: bool) -> list[Any]:
        query = select(webhooks).order_by(webhooks.c.id)
        if not include_removed:
            query = query.where(webhooks.c.removed_at.is_(None))
        return list(self.conn.execute(query).all())

    def remove(self, webhook_id: int, at: dt.datetime) -> None:
        query = update(webhooks).where(webhooks.c.id == webhook_id).values(removed_at=at)
        self.conn.execute(query)


def webhook_view(row: Any, subscriber: str) -> WebhookView:
    return WebhookView(
        id=row.id,
        url=row.url,
        label=row.label,
        kinds=tuple(row.kinds),
        subscriber=subscriber,
        created_at=row.created_at,
        created_by=row.created_by,
        removed_at=row.removed_at,
    )


# -- deliveries ------------------------------------------------------------------------------
@attrs.frozen
class Due:
    """An event a subscriber has not had yet: never tried (``state`` ``None``) or failing."""

    event: StoredEvent
    state: str | None
    attempts: int
    next_at: dt.datetime | None


@attrs.frozen
class Probe:
    """The highest event id visible at one moment and, on PostgreSQL, a transaction id taken
    just after (the prober's own): once every transaction up to it has ended, no event
    numbered at or below ``last_id`` can appear any more. (An id is taken when its row is
    written, inside the writing transaction, which holds a transaction id by then: every
    writer changes its rows before it writes their events.)"""

    last_id: int
    xid: int | None


_d = event_deliveries.c
_e = outbox_events.c
_DUE_COLUMNS = (*outbox_events.c, _d.state, _d.attempts, _d.next_at)
_NOT_DONE = or_(_d.state.is_(None), _d.state == FAILING)
_DELIVERY_COLUMNS = (*event_deliveries.c, _e.kind, _e.aggregate)
_OWN_XID: Final = text("SELECT pg_current_xact_id()::text")
_SNAPSHOT_XMIN: Final = text("SELECT pg_snapshot_xmin(pg_current_snapshot())::text")


def _kind_filter(kinds: Sequence[str]) -> ColumnElement[bool] | None:
    if not kinds:
        return None
    return or_(*(or_(_e.kind == k, _e.kind.startswith(k + ".", autoescape=True)) for k in kinds))


def _due(row: Any) -> Due:
    return Due(stored_event(row), row.state, row.attempts or 0, row.next_at)


class DeliveryRepository(Repository):
    """Where each subscriber stands: its floor and its deliveries."""

    def floor(self, subscriber: str) -> int | None:
        query = select(event_subscribers.c.floor).where(event_subscribers.c.name == subscriber)
        found = self.conn.execute(query).scalar_one_or_none()
        return None if found is None else int(found)

    def add_subscriber(self, subscriber: str, floor: int) -> None:
        """Start tracking ``subscriber`` above ``floor`` (nothing if it is tracked already)."""
        dialect = postgresql if self.dialect == "postgresql" else sqlite
        query = dialect.insert(event_subscribers).on_conflict_do_nothing()
        self.conn.execute(query, {"name": subscriber, "floor": floor})

    def raise_floor(self, subscriber: str, floor: int) -> None:
        query = (
            update(event_subscribers)
            .where(event_subscribers.c.name == subscriber, event_subscribers.c.floor < floor)
            .values(floor=floor)
        )
        self.conn.execute(query)

    def due(self, subscriber: str, kinds: Sequence[str], *, after: int, limit: int) -> list[Due]:
        """Events above ``after`` the subscriber takes and has not had (never tried, or
        failing), in id order."""
        joined = outbox_events.outerjoin(
            event_deliveries, and_(_d.subscriber == subscriber, _d.event_id == _e.id)
        )
        query = select(*_DUE_COLUMNS).select_from(joined).where(_e.id > after, _NOT_DONE)
        wanted = _kind_filter(kinds)
        if wanted is not None:
            query = query.where(wanted)
        rows = self.conn.execute(query.order_by(_e.id).limit(limit))
        return [_due(row) for row in rows]

    def failing_below(self, subscriber: str, floor: int) -> list[Due]:
        """Failing deliveries at or below the floor (dead ones an operator retried)."""
        joined = event_deliveries.join(outbox_events, _e.id == _d.event_id)
        query = (
            select(*_DUE_COLUMNS)
            .select_from(joined)
            .where(_d.subscriber == subscriber, _d.state == FAILING, _d.event_id <= floor)
            .order_by(_e.id)
        )
        return [_due(row) for row in self.conn.execute(query)]

    def record(
        self,
        subscriber: str,
        event_id: int,
        *,
        state: str,
        attempts: int,
        next_at: dt.datetime | None,
        error: str | None,
        at: dt.datetime,
    ) -> None:
        """Keep how the delivery of ``event_id`` to ``subscriber`` stands now."""
        dialect = postgresql if self.dialect == "postgresql" else sqlite
        values = {
            "state": state,
            "attempts": attempts,
            "next_at": next_at,
            "last_error": error,
            "updated_at": at,
        }
        query = dialect.insert(event_deliveries).values(
            subscriber=subscriber, event_id=event_id, **values
        )
        query = query.on_conflict_do_update(index_elements=["subscriber", "event_id"], set_=values)
        self.conn.execute(query)

    def deliveries(
        self, state: str, *, subscriber: str | None = None, limit: int = 100
    ) -> list[DeliveryView]:
        """Deliveries in ``state`` (of one subscriber, or all), oldest event first."""
        joined = event_deliveries.join(outbox_events, _e.id == _d.event_id)
        query = select(*_DELIVERY_COLUMNS).select_from(joined).where(_d.state == state)
        if subscriber is not None:
            query = query.where(_d.subscriber == subscriber)
        rows = self.conn.execute(query.order_by(_d.event_id, _d.subscriber).limit(limit))
        return [_delivery_view(row) for row in rows]

    def counts(self, subscriber: str) -> dict[str, int]:
        """How many deliveries of the subscriber are in each state."""
        query = select(_d.state, func.count()).where(_d.subscriber == subscriber).group_by(_d.state)
        return {state: int(n) for state, n in self.conn.execute(query).all()}

    def retry(self, subscriber: str, event_ids: Sequence[int] | None, at: dt.datetime) -> int:
        """Put dead deliveries back to failing, due at ``at`` with no failure counted: all of
        the subscriber's, or those of ``event_ids``. Returns how many."""
        query = (
            update(event_deliveries)
            .where(_d.subscriber == subscriber, _d.state == DEAD)
            .values(state=FAILING, attempts=0, next_at=at, updated_at=at)
        )
        if event_ids is not None:
            query = query.where(_d.event_id.in_(bindparam("ids", expanding=True)))
            return int(self.conn.execute(query, {"ids": list(event_ids)}).rowcount)
        return int(self.conn.execute(query).rowcount)

    # -- which events are final ------------------------------------------------------------
    def probe(self) -> Probe:
        """Read the highest visible event id, then (PostgreSQL) take a transaction id: every
        transaction that could still write a lower event id started before it."""
        last = int(self.conn.execute(select(func.max(_e.id))).scalar_one() or 0)
        if self.dialect != "postgresql":
            return Probe(last, None)  # one writer at a time: ids are taken in commit order
        return Probe(last, int(self.conn.execute(_OWN_XID).scalar_one()))

    def settled(self, probe: Probe) -> bool:
        """Has every transaction up to the probe's (its own included) ended? Ask in a later
        transaction than the probe's."""
        if probe.xid is None:
            return True
        return int(self.conn.execute(_SNAPSHOT_XMIN).scalar_one()) > probe.xid


def _delivery_view(row: Any) -> DeliveryView:
    return DeliveryView(
        subscriber=row.subscriber,
        event_id=row.event_id,
        kind=row.kind,
        aggregate=row.aggregate,
        state=row.state,
        attempts=row.attempts,
        next_at=row.next_at,
        last_error=row.last_error,
        updated_at=row.updated_at,
    )
