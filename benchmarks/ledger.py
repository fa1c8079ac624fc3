"""Post transfers through the public ledger API, beside a plain Core floor, in one run.

    python benchmarks/ledger.py [--transfers N | --quick] [--single-max M]

Modes: ``single`` (one ``ledger.transfer`` call, one transaction, per transfer) and ``batch``
(``ledger.submit`` of 1,000 linked transfers per transaction). SQLite runs one writer;
PostgreSQL (when ``COMMGOV_TEST_PG_URL`` is set) runs 1 and 8 writer threads. Every case posts
N transfers; ``--single-max`` caps the single-mode cases (a transaction each, so they take
longest; the JSON line says how many were posted). The floor writes the same transfer rows
and balance changes with plain SQLAlchemy Core executemany, in transactions of the same size
and from as many threads as the API run, without the API's look-ups, locks and checks. Last
lines: one JSON object a case.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from schemas import Postgres
from sqlalchemy import bindparam, create_engine, insert, select, text, update

import commgov
from commgov.ledger.tables import ledger_accounts, ledger_transfers

SECRET = commgov.new_secret_key()
A = commgov.Actor.system("bench")
ACCOUNTS = 20_000  # a town's worth of residents: concurrent batches mostly touch different ones
BATCH = 1000


def plan(n: int, seed: int) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        debit, credit = rng.sample(range(ACCOUNTS), 2)
        out.append(
            {
                "client_id": f"b{seed}-{i}",
                "ledger": "points",
                "debit": f"a{debit}",
                "credit": f"a{credit}",
                "amount": rng.randint(1, 20),
                "reason": "bench",
            }
        )
    return out


def open_store(url: str) -> commgov.Commgov:
    """A store with the accounts (opened with plain Core: set-up, not measured) and their
    opening balances (through the API, as one batch per 1,000)."""
    cg = commgov.open(url, secret_key=SECRET, discover_plugins=False)
    cg.ledger.open_account(A, ledger="points", code="system:issuance", kind="system")
    now = cg.context.clock()
    zero = {"debits_posted": 0, "credits_posted": 0, "debits_pending": 0, "credits_pending": 0}
    with cg.context.engine.begin() as conn:
        conn.execute(
            insert(ledger_accounts),
            [
                {
                    "ledger": "points",
                    "code": f"a{i}",
                    "kind": "resident",
                    "no_overdraft": True,
                    "no_positive": False,
                    "created_at": now,
                    **zero,
                }
                for i in range(ACCOUNTS)
            ],
        )
    seeds = [
        {
            "client_id": f"seed{i}",
            "ledger": "points",
            "debit": "system:issuance",
            "credit": f"a{i}",
            "amount": 10**9,
            "reason": "seed",
        }
        for i in range(ACCOUNTS)
    ]
    for start in range(0, ACCOUNTS, BATCH):
        cg.ledger.submit(A, seeds[start : start + BATCH])
    if cg.context.engine.dialect.name == "postgresql":
        # planner statistics, as autovacuum keeps them on a live database: without them a
        # freshly loaded table is scanned instead of using the (ledger, client_id) index
        with cg.context.engine.begin() as conn:
            conn.execute(text("ANALYZE ledger_transfers"))
            conn.execute(text("ANALYZE ledger_accounts"))
    return cg


def run_api(url: str, transfers: list[dict[str, Any]], mode: str, threads: int) -> float:
    with open_store(url) as cg:
        chunks = [transfers[i::threads] for i in range(threads)]

        def work(chunk: list[dict[str, Any]]) -> None:
            if mode == "single":
                for t in chunk:
                    cg.ledger.transfer(A, **t)
            else:
                for start in range(0, len(chunk), BATCH):
                    cg.ledger.submit(A, chunk[start : start + BATCH])

        started = time.perf_counter()
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(work, chunks))
        return time.perf_counter() - started


def run_floor(source_url: str, url: str, mode: str, threads: int) -> float:
    """The same transfer rows and balance changes, written with plain Core executemany in
    transactions of the same size as the API's (one transfer, or 1,000), by as many threads."""
    source = create_engine(source_url)
    with source.connect() as conn:
        query = select(ledger_transfers).where(ledger_transfers.c.reason == "bench")
        rows = [dict(r) for r in conn.execute(query.order_by(ledger_transfers.c.id)).mappings()]
    source.dispose()
    size = 1 if mode == "single" else BATCH
    c = ledger_accounts.c
    statement = (
        update(ledger_accounts)
        .where(c.id == bindparam("k"))
        .values(
            debits_posted=c.debits_posted + bindparam("d"),
            credits_posted=c.credits_posted + bindparam("c"),
        )
    )
    with open_store(url) as cg:
        engine = cg.context.engine

        def write(chunk: list[dict[str, Any]]) -> None:
            for start in range(0, len(chunk), size):
                part = chunk[start : start + size]
                deltas: dict[int, list[int]] = {}
                for r in part:
                    deltas.setdefault(r["debit_id"], [0, 0])[0] += r["amount"]
                    deltas.setdefault(r["credit_id"], [0, 0])[1] += r["amount"]
                updates = [{"k": k, "d": d, "c": cr} for k, (d, cr) in sorted(deltas.items())]
                with engine.begin() as conn:
                    conn.execute(insert(ledger_transfers), part)
                    conn.execute(statement, updates)

        started = time.perf_counter()
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(write, [rows[i::threads] for i in range(threads)]))
        return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--transfers", type=int, default=200_000)
    parser.add_argument("--quick", action="store_true", help="20,000 transfers")
    parser.add_argument("--single-max", type=int, default=None, help="cap single-mode cases")
    args = parser.parse_args()
    n = 20_000 if args.quick else args.transfers
    single = n if args.single_max is None else min(n, args.single_max)
    cases: list[tuple[str, str, int]] = [("sqlite", "single", 1), ("sqlite", "batch", 1)]
    pg_base = os.environ.get("COMMGOV_TEST_PG_URL")
    if pg_base:
        cases += [("postgresql", m, t) for m in ("single", "batch") for t in (1, 8)]
    results = []
    pg = Postgres(pg_base) if pg_base else None
    try:
        with tempfile.TemporaryDirectory() as tmp:
            for index, (backend, mode, threads) in enumerate(cases):
                count = single if mode == "single" else n
                transfers = plan(count, index)
                if backend == "sqlite":
                    api_url, floor_url = (
                        f"sqlite:///{Path(tmp) / f'{index}{s}.db'}" for s in ("a", "f")
                    )
                else:
                    assert pg is not None
                    api_url, floor_url = pg.url(), pg.url()
                seconds = run_api(api_url, transfers, mode, threads)
                floor = run_floor(api_url, floor_url, mode, threads)
                results.append(
                    {
                        "benchmark": "ledger",
                        "backend": backend,
                        "mode": mode,
                        "threads": threads,
                        "transfers": count,
                        "per_second": round(count / seconds),
                        "floor_per_second": round(count / floor),
                        "ratio": round(floor / seconds, 3),
                    }
                )
                print(f"{backend} {mode} x{threads}: {count / seconds:,.0f}/s", flush=True)
    finally:
        if pg is not None:
            pg.drop()
    for line in results:
        print(json.dumps(line))


if __name__ == "__main__":
    main()
