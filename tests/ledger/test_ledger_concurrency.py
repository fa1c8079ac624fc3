"""Sixteen writers at once on PostgreSQL: hot accounts, retries and duplicate submissions."""

from __future__ import annotations

import datetime as dt
import random
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from sqlalchemy import select
from tests.conftest import NOW, SECRET

import commgov
from commgov.ledger.tables import ledger_transfers

A = commgov.Actor.system("writer")
THREADS, PER_THREAD, ACCOUNTS, START_BALANCE = 16, 500, 20, 300


def test_sixteen_writers_on_twenty_hot_accounts(pg_url: str) -> None:
    with commgov.open(pg_url, secret_key=SECRET, discover_plugins=False, clock=lambda: NOW) as cg:
        cg.ledger.open_account(A, ledger="points", code="system:issuance", kind="system")
        codes = [f"hot{i}" for i in range(ACCOUNTS)]
        for code in codes:
            cg.ledger.open_account(A, ledger="points", code=code, kind="resident")
        cg.ledger.submit(
            A,
            [
                {
                    "client_id": f"seed-{c}",
                    "ledger": "points",
                    "debit": "system:issuance",
                    "credit": c,
                    "amount": START_BALANCE,
                    "reason": "seed",
                }
                for c in codes
            ],
        )
        submitted: dict[str, dict[str, Any]] = {}
        lock = threading.Lock()
        outcomes: Counter[str] = Counter()
        applied: Counter[str] = Counter()  # client id -> calls that applied it (not replays)

        def writer(n: int) -> None:
            rng = random.Random(n)
            for i in range(PER_THREAD):
                with lock:
                    reuse = submitted and rng.random() < 0.1
                    fields = rng.choice(list(submitted.values())) if reuse else None
                if fields is None:
                    debit, credit = rng.sample(codes, 2)
                    fields = {
                        "client_id": f"w{n}-{i}",
                        "ledger": "points",
                        "debit": debit,
                        "credit": credit,
                        "amount": rng.randint(1, 60),
                        "reason": "move",
                    }
                    with lock:
                        submitted[fields["client_id"]] = fields
                try:
                    view = cg.ledger.transfer(A, **fields)
                    outcome = "replayed" if view.replayed else "applied"
                except commgov.ValidationError:
                    outcome = "refused"  # an overdraft: allowed, and must write nothing
                with lock:
                    outcomes[outcome] += 1
                    if outcome == "applied":
                        applied[fields["client_id"]] += 1

        with ThreadPoolExecutor(THREADS) as pool:
            list(pool.map(writer, range(THREADS)))

        with cg.context.uow(readonly=True) as uow:
            rows = uow.conn.execute(
                select(ledger_transfers).where(ledger_transfers.c.reason == "move")
            ).all()
        per_id = Counter(r.client_id for r in rows)
        assert max(per_id.values()) == 1  # no id stored twice
        assert max(applied.values()) == 1  # no id applied by two calls
        assert set(per_id) == set(applied) <= set(submitted)  # every applied id stored, once
        assert outcomes["replayed"] > 0 and outcomes["refused"] > 0
        code_of = {cg.ledger.account(A, "points", c).id: c for c in codes}
        balances = {c: START_BALANCE for c in codes}
        for r in rows:
            balances[code_of[r.debit_id]] -= r.amount
            balances[code_of[r.credit_id]] += r.amount
        for code in codes:
            account = cg.ledger.account(A, "points", code)
            assert account.balance == balances[code] >= 0  # no account below its floor
        books = cg.ledger.books(A, "points")
        assert books["debits_posted"] == books["credits_posted"]
        assert sum(outcomes.values()) == THREADS * PER_THREAD


def test_expiry_jobs_racing_posts_close_each_hold_once(pg_url: str) -> None:
    """Two expiry jobs (run with a later ``now``, as a job host whose clock is ahead would) and
    a post of every hold, all at once: each hold is closed by exactly one of them."""
    holds = 80
    with commgov.open(pg_url, secret_key=SECRET, discover_plugins=False, clock=lambda: NOW) as cg:
        cg.ledger.open_account(A, ledger="points", code="system:issuance", kind="system")
        for code in ("payer", "payee"):
            cg.ledger.open_account(A, ledger="points", code=code, kind="resident")
        cg.ledger.transfer(
            A,
            client_id="fund",
            ledger="points",
            debit="system:issuance",
            credit="payer",
            amount=10 * holds,
            reason="seed",
        )
        cg.ledger.submit(
            A,
            [
                {
                    "client_id": f"h{i}",
                    "ledger": "points",
                    "debit": "payer",
                    "credit": "payee",
                    "amount": 10,
                    "reason": "hold",
                    "kind": "pending",
                    "timeout": dt.timedelta(hours=1),
                }
                for i in range(holds)
            ],
        )
        later = NOW + dt.timedelta(hours=2)

        def job(n: int) -> int:
            if n < 2:  # start while the posts stream, so some post holds the locks meanwhile
                time.sleep(0.03 + 0.01 * n)
                return cg.ledger.expire_pending(A, now=later)
            posted = 0
            for i in range(n - 2, holds, 4):
                try:
                    cg.ledger.post(A, client_id=f"h{i}:post", ledger="points", pending=f"h{i}")
                    posted += 1
                except commgov.StateError:
                    pass  # an expiry job got there first
            return posted

        with ThreadPoolExecutor(6) as pool:
            counts = list(pool.map(job, range(6)))
        assert sum(counts) == holds  # expired + posted: each hold once
        with cg.context.uow(readonly=True) as uow:
            closers = uow.conn.execute(
                select(ledger_transfers.c.pending_id).where(
                    ledger_transfers.c.pending_id.is_not(None)
                )
            ).all()
        assert sorted(Counter(r.pending_id for r in closers).values()) == [1] * holds
        payer, payee = (
            cg.ledger.account(A, "points", "payer"),
            cg.ledger.account(A, "points", "payee"),
        )
        assert payer.debits_pending == payee.credits_pending == 0
        assert payer.balance + payee.balance == 10 * holds
        books = cg.ledger.books(A, "points")
        assert books["debits_posted"] == books["credits_posted"]
