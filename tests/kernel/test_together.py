"""Rows for several tables written together (``kernel.together``): every row lands with its
columns' checks applied, a row refused by its column takes the others with it, and a table may
be given many rows, on SQLite and PostgreSQL alike."""

from __future__ import annotations

import datetime as dt

import pytest
from sqlalchemy import func, select
from tests.conftest import NOW

import commgov
from commgov.errors import ValidationError
from commgov.kernel.outbox import Event, OutboxRepository, outbox_rows
from commgov.kernel.repository import AuditRepository, audit_row
from commgov.kernel.tables import audit_log, outbox_events
from commgov.kernel.together import insert_together


def _audit(action: str) -> dict[str, object]:
    return audit_row(
        at=NOW, actor="system:test", action=action, entity="case", entity_id=7, detail={"n": 1}
    )


def _counts(cg: commgov.Commgov) -> tuple[int, int]:
    with cg.context.uow(readonly=True) as uow:
        audits = uow.conn.execute(select(func.count()).select_from(audit_log)).scalar_one()
        events = uow.conn.execute(select(func.count()).select_from(outbox_events)).scalar_one()
    return int(audits), int(events)


def test_rows_of_two_tables_land_together(any_store: commgov.Commgov) -> None:
    cg = any_store
    before = _counts(cg)
    event = Event("case.reported", "case:7", {"case_id": 7})
    with cg.context.uow() as uow:
        insert_together(
            uow.conn, [(outbox_events, outbox_rows(NOW, [event])), (audit_log, [_audit("a")])]
        )
    assert _counts(cg) == (before[0] + 1, before[1] + 1)
    with cg.context.uow(readonly=True) as uow:
        (stored,) = uow.repo(OutboxRepository).of("case:7")
        (audited,) = uow.repo(AuditRepository).of("case", 7)
    assert stored.payload == {"case_id": 7} and stored.at == NOW
    assert audited.action == "a" and audited.at.tzinfo is not None


def test_a_row_its_column_refuses_writes_nothing(any_store: commgov.Commgov) -> None:
    cg = any_store
    before = _counts(cg)
    event = Event("case.reported", "case:8", {"case_id": 8})
    with pytest.raises(ValidationError) as refused, cg.context.uow() as uow:
        insert_together(
            uow.conn, [(outbox_events, outbox_rows(NOW, [event])), (audit_log, [_audit("a\x00")])]
        )
    assert refused.value.field == "action"
    assert _counts(cg) == before


def test_many_rows_and_tables_without_rows(any_store: commgov.Commgov) -> None:
    cg = any_store
    before = _counts(cg)
    events = [Event("case.acted", "case:9", {"seq": n}) for n in range(3)]
    later = NOW + dt.timedelta(minutes=1)
    with cg.context.uow() as uow:
        insert_together(
            uow.conn,
            [(outbox_events, outbox_rows(later, events)), (audit_log, []), (audit_log, [])],
        )
    assert _counts(cg) == (before[0], before[1] + 3)
    with cg.context.uow(readonly=True) as uow:
        stored = uow.repo(OutboxRepository).of("case:9")
    assert [e.payload["seq"] for e in stored] == [0, 1, 2]  # in the order given
