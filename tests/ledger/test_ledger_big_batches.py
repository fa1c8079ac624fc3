"""A batch of more than ``PART`` transfers is written in parts while the rest is checked (on
PostgreSQL, pipelined): it stays one linked batch. A transfer that fails near its end leaves
nothing of the parts already sent; a whole one is stored with one event per transfer, in order;
sent again it is answered as replays; the cyclic collector is back on afterwards."""

from __future__ import annotations

import gc
from typing import Any

import pytest
from sqlalchemy import func, select

import commgov
from commgov.kernel.tables import outbox_events
from commgov.ledger.service.batch import PART
from commgov.ledger.tables import ledger_pending, ledger_transfers

A = commgov.Actor.system("big")
SIZE = 2 * PART + 100  # three parts
CODES = [f"r{i}" for i in range(40)]


def fund(cg: commgov.Commgov) -> None:
    cg.ledger.open_account(A, ledger="points", code="system:issuance", kind="system")
    for code in CODES:
        cg.ledger.open_account(A, ledger="points", code=code, kind="resident")
    seeds = [move(f"seed-{c}", "system:issuance", c, 1_000) for c in CODES]
    cg.ledger.submit(A, seeds)


def move(client_id: str, debit: str, credit: str, amount: int) -> dict[str, Any]:
    return {
        "client_id": client_id,
        "ledger": "points",
        "debit": debit,
        "credit": credit,
        "amount": amount,
        "reason": "gift",
    }


def big_batch(tag: str) -> list[dict[str, Any]]:
    """``SIZE`` small transfers around the funded accounts (none can overdraw)."""
    return [
        move(f"{tag}-{i}", CODES[i % len(CODES)], CODES[(i + 1) % len(CODES)], 1 + i % 3)
        for i in range(SIZE)
    ]


def counts(cg: commgov.Commgov) -> tuple[int, ...]:
    with cg.context.uow(readonly=True) as uow:
        return tuple(
            int(uow.conn.execute(select(func.count()).select_from(t)).scalar_one())
            for t in (ledger_transfers, outbox_events, ledger_pending)
        )


def balances(cg: commgov.Commgov) -> dict[str, int]:
    return {c: cg.ledger.account(A, "points", c).balance for c in CODES}


def test_a_failure_in_the_last_part_leaves_nothing_of_the_parts_sent(
    any_store: commgov.Commgov,
) -> None:
    cg = any_store
    fund(cg)
    before, held = counts(cg), balances(cg)
    batch = big_batch("late")
    batch[-3] = move("late-overdraw", CODES[0], CODES[1], 1_000_000)
    with pytest.raises(commgov.InsufficientFunds, match="late-overdraw"):
        cg.ledger.submit(A, batch)
    assert counts(cg) == before
    assert balances(cg) == held
    assert gc.isenabled()


def test_a_big_batch_is_stored_whole_with_its_events_in_order_and_replays(
    any_store: commgov.Commgov,
) -> None:
    cg = any_store
    fund(cg)
    held = balances(cg)
    batch = big_batch("whole")
    views = cg.ledger.submit(A, batch)
    assert [v.client_id for v in views] == [t["client_id"] for t in batch]
    assert not any(v.replayed for v in views)
    expected = dict(held)
    for t in batch:
        expected[t["debit"]] -= t["amount"]
        expected[t["credit"]] += t["amount"]
    assert balances(cg) == expected
    with cg.context.uow(readonly=True) as uow:
        query = select(outbox_events.c.payload).order_by(outbox_events.c.id)
        stored = uow.conn.execute(query).scalars()
        payloads = [p for p in stored if p["client_id"].startswith("whole-")]
    assert [p["client_id"] for p in payloads] == [t["client_id"] for t in batch]
    assert [p["transfer_id"] for p in payloads] == [v.id for v in views]
    after = counts(cg)
    again = cg.ledger.submit(A, batch)
    assert all(v.replayed for v in again)
    assert [v.id for v in again] == [v.id for v in views]
    assert counts(cg) == after
    assert balances(cg) == expected
    assert gc.isenabled()
