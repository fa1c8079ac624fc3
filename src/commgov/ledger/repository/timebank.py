"""Recorded time-bank services and the aggregates of time-bank statements."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, insert, or_, select, update

from commgov.kernel.repository import Repository
from commgov.kernel.times import stored
from commgov.ledger.model import Account, Service
from commgov.ledger.repository.ledger import account_of
from commgov.ledger.tables import ledger_accounts as accounts
from commgov.ledger.tables import ledger_transfers as transfers
from commgov.ledger.tables import timebank_services as services
from commgov.people.tables import residents, units

TIME = "time"


def _service(row: Any) -> Service:
    return Service(
        id=row.id,
        provider_id=row.provider_id,
        recipient_id=row.recipient_id,
        kind=row.kind,
        started_at=stored(row.started_at),
        ended_at=stored(row.ended_at),
        minutes=row.minutes,
        state=row.state,
        transfer_id=row.transfer_id,
        closed_by=row.closed_by,
        note=row.note,
    )


class TimeBankRepository(Repository):
    # -- recorded services ----------------------------------------------------------------
    def add_service(
        self,
        *,
        provider_id: int,
        recipient_id: int,
        kind: str,
        started_at: dt.datetime,
        ended_at: dt.datetime,
        minutes: int,
        transfer_id: int,
    ) -> Service:
        """Record a service, pending until confirmed or disputed."""
        values = {
            "provider_id": provider_id,
            "recipient_id": recipient_id,
            "kind": kind,
            "started_at": started_at,
            "ended_at": ended_at,
            "minutes": minutes,
            "state": "pending",
            "transfer_id": transfer_id,
        }
        stmt = insert(services).returning(services.c.id)
        service_id = int(self.conn.execute(stmt, values).scalar_one())
        return Service(
            id=service_id,
            provider_id=provider_id,
            recipient_id=recipient_id,
            kind=kind,
            started_at=started_at,
            ended_at=ended_at,
            minutes=minutes,
            state="pending",
            transfer_id=transfer_id,
        )

    def service(self, service_id: int, *, lock: bool = False) -> Service | None:
        """The service, locked for update (on PostgreSQL; SQLite's writer holds the database
        lock already) with ``lock``."""
        query = select(services).where(services.c.id == service_id)
        if lock and self.dialect == "postgresql":
            query = query.with_for_update()
        row = self.conn.execute(query).one_or_none()
        return None if row is None else _service(row)

    def service_of_transfer(self, transfer_id: int) -> Service | None:
        """The service recorded with this pending transfer, if any (a retried recording)."""
        query = select(services).where(services.c.transfer_id == transfer_id)
        row = self.conn.execute(query).one_or_none()
        return None if row is None else _service(row)

    def close_service(
        self, service_id: int, *, state: str, closed_by: str, note: str | None
    ) -> None:
        self.conn.execute(
            update(services)
            .where(services.c.id == service_id)
            .values(state=state, closed_by=closed_by, note=note)
        )

    def pending_of(self, resident_id: int) -> list[Service]:
        """The services still pending where ``resident_id`` serves or is served, by id, locked
        for update (on PostgreSQL) so a confirmation racing a life event waits."""
        query = (
            select(services)
            .where(
                services.c.state == "pending",
                or_(services.c.provider_id == resident_id, services.c.recipient_id == resident_id),
            )
            .order_by(services.c.id)
        )
        if self.dialect == "postgresql":
            query = query.with_for_update()
        return [_service(row) for row in self.conn.execute(query)]

    def pending_under(
        self, unit_ids: Sequence[int], *, limit: int
    ) -> list[tuple[Service, dt.datetime]]:
        """Services waiting for confirmation whose recipient or volunteer lives in
        ``unit_ids``, each with when it was recorded, oldest service first (at most
        ``limit``)."""
        living = select(residents.c.id).where(residents.c.unit_id.in_(sorted(set(unit_ids))))
        s = services.c
        query = (
            select(services, transfers.c.created_at.label("recorded_at"))
            .join(transfers, transfers.c.id == s.transfer_id)
            .where(
                s.state == "pending",
                or_(s.recipient_id.in_(living), s.provider_id.in_(living)),
            )
            .order_by(s.started_at, s.id)
            .limit(limit)
        )
        return [(_service(row), stored(row.recorded_at)) for row in self.conn.execute(query)]

    # -- statements -----------------------------------------------------------------------
    def people(self, unit_ids: Sequence[int]) -> dict[int, tuple[int, int, int]]:
        """Per resident living in ``unit_ids``: (served, received, held) minutes, for those with
        a time account or a confirmed service."""
        s = services.c
        living = select(residents.c.id).where(residents.c.unit_id.in_(sorted(set(unit_ids))))
        out: dict[int, list[int]] = {}
        for column, slot in ((s.provider_id, 0), (s.recipient_id, 1)):
            query = (
                select(column, func.sum(s.minutes))
                .where(s.state == "confirmed", column.in_(living))
                .group_by(column)
            )
            for rid, minutes in self.conn.execute(query):
                out.setdefault(int(rid), [0, 0, 0])[slot] = int(minutes)
        a = accounts.c
        query = select(a.resident_id, a.credits_posted - a.debits_posted).where(
            a.ledger == TIME, a.resident_id.in_(living)
        )
        for rid, held in self.conn.execute(query):
            out.setdefault(int(rid), [0, 0, 0])[2] = int(held)
        return {rid: (m[0], m[1], m[2]) for rid, m in out.items()}

    def organisations(self, unit_ids: Sequence[int]) -> list[tuple[Account, str]]:
        """Time accounts of organisations and partners (community pools among them) at these
        units, each with its unit's code, by account code."""
        query = (
            select(accounts, units.c.code.label("unit_code"))
            .join(units, units.c.id == accounts.c.unit_id)
            .where(
                accounts.c.ledger == TIME,
                accounts.c.kind.in_(("organisation", "partner")),
                accounts.c.unit_id.in_(sorted(set(unit_ids))),
            )
            .order_by(accounts.c.code)
        )
        return [(account_of(row), str(row.unit_code)) for row in self.conn.execute(query)]
