"""Post transfers through the public ledger API, beside the raw driver doing the same work, in
one run.

    python benchmarks/ledger.py [--transfers N | --quick] [--single-max M]

Modes: ``single`` (one ``ledger.transfer`` call, one transaction, per transfer) and ``batch``
(``ledger.submit`` of 1,000 linked transfers per transaction). SQLite runs one writer;
PostgreSQL (when ``COMMGOV_TEST_PG_URL`` is set) runs 1 and 8 writer threads over 20,000
accounts. Every case posts N transfers; ``--single-max`` caps the single-mode cases (the JSON
line says how many were posted).

The floor is the raw driver writing the same transfer rows and balance changes, in
transactions of the same size, from as many threads: on PostgreSQL plain psycopg 3 with
set-based statements (lock the touched accounts in id order, insert the rows from arrays under
the unique client-id key, one ``UPDATE … FROM unnest(…)``, commit); on SQLite the standard
library's ``sqlite3`` with executemany. It does none of the API's look-ups, checks, events or
idempotency. Each case runs ``--reps`` times (3), ours and the floor alternating, each on fresh
stores, and keeps the median of each side; ``ratio`` is ours ÷ the floor's rate. Last lines:
one JSON object a case (``bench``, ``backend``, ``mode``, ``threads``, ``transfers``,
``per_second``, ``floor``, ``floor_per_second``, ``ratio``, ``reps``).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sqlite3
import statistics
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import psycopg
from schemas import Postgres
from sqlalchemy import create_engine, insert, select, text

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


def bench_rows(source_url: str) -> list[dict[str, Any]]:
    """The transfers the API run wrote (with their account ids), for a floor to write again."""
    source = create_engine(source_url)
    with source.connect() as conn:
        query = select(ledger_transfers).where(ledger_transfers.c.reason == "bench")
        rows = [dict(r) for r in conn.execute(query.order_by(ledger_transfers.c.id)).mappings()]
    source.dispose()
    return rows


def balance_changes(part: list[dict[str, Any]]) -> tuple[list[int], list[int], list[int]]:
    """Per touched account, in id order: its id, what it was debited and credited."""
    deltas: dict[int, list[int]] = {}
    for r in part:
        deltas.setdefault(r["debit_id"], [0, 0])[0] += r["amount"]
        deltas.setdefault(r["credit_id"], [0, 0])[1] += r["amount"]
    ordered = sorted(deltas.items())
    return [k for k, _ in ordered], [d for _, (d, _) in ordered], [c for _, (_, c) in ordered]


_LOCK = "SELECT id FROM ledger_accounts WHERE id = ANY(%b) ORDER BY id FOR UPDATE"
_INSERT = (
    "INSERT INTO ledger_transfers (id, ledger, client_id, kind, debit_id, credit_id, amount,"
    " reason, actor, created_at) SELECT * FROM unnest(%b::int[], %b::text[], %b::text[],"
    " %b::text[], %b::int[], %b::int[], %b::bigint[], %b::text[], %b::text[],"
    " %b::timestamptz[])"
)
_BALANCES = (
    "UPDATE ledger_accounts AS a SET debits_posted = a.debits_posted + d.dp,"
    " credits_posted = a.credits_posted + d.cp"
    " FROM unnest(%b::int[], %b::bigint[], %b::bigint[]) AS d(id, dp, cp) WHERE a.id = d.id"
)
_COLUMNS = (
    "id", "ledger", "client_id", "kind", "debit_id", "credit_id", "amount", "reason", "actor",
    "created_at",
)  # fmt: skip


def run_raw_postgres(source_url: str, url: str, mode: str, threads: int) -> float:
    """The floor on PostgreSQL: plain psycopg 3, set-based, per transaction of the API's size
    (one transfer, or 1,000): lock the touched accounts in id order (``SELECT … FOR UPDATE``),
    insert the transfers from arrays in one statement (under the unique (ledger, client id)
    key, so a retry would conflict), add the balance changes with one ``UPDATE … FROM
    unnest(…)``, commit. No look-ups by code, no checks, no events."""
    rows = bench_rows(source_url)
    size = 1 if mode == "single" else BATCH
    with open_store(url):
        conninfo = url.replace("postgresql+psycopg://", "postgresql://", 1)

        def write(chunk: list[dict[str, Any]]) -> None:
            with psycopg.connect(conninfo) as conn:
                for start in range(0, len(chunk), size):
                    part = chunk[start : start + size]
                    ids, debited, credited = balance_changes(part)
                    with conn.transaction(), conn.cursor() as cur:
                        cur.execute(_LOCK, (ids,))
                        cur.execute(_INSERT, [[r[c] for r in part] for c in _COLUMNS])
                        cur.execute(_BALANCES, (ids, debited, credited))

        started = time.perf_counter()
        with ThreadPoolExecutor(threads) as pool:
            list(pool.map(write, [rows[i::threads] for i in range(threads)]))
        return time.perf_counter() - started


def run_raw_sqlite(source_url: str, url: str, mode: str) -> float:
    """The floor on SQLite: the standard library's sqlite3, one writer, per transaction of
    the API's size: insert the transfer rows (executemany) and add the balance changes
    (executemany), commit."""
    rows = bench_rows(source_url)
    size = 1 if mode == "single" else BATCH
    with open_store(url):
        pass
    conn = sqlite3.connect(url.removeprefix("sqlite:///"), isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")
    insert_sql = (
        f"INSERT INTO ledger_transfers ({', '.join(_COLUMNS)})"
        f" VALUES ({', '.join('?' for _ in _COLUMNS)})"
    )
    update_sql = (
        "UPDATE ledger_accounts SET debits_posted = debits_posted + ?,"
        " credits_posted = credits_posted + ? WHERE id = ?"
    )
    started = time.perf_counter()
    for start in range(0, len(rows), size):
        part = rows[start : start + size]
        ids, debited, credited = balance_changes(part)
        conn.execute("BEGIN IMMEDIATE")
        conn.executemany(insert_sql, [[_sqlite_value(r[c]) for c in _COLUMNS] for r in part])
        conn.executemany(update_sql, zip(debited, credited, ids, strict=True))
        conn.execute("COMMIT")
    seconds = time.perf_counter() - started
    conn.close()
    return seconds


def _sqlite_value(value: Any) -> Any:
    return value.strftime("%Y-%m-%d %H:%M:%S.%f") if hasattr(value, "strftime") else value


def measure(
    backend: str, mode: str, threads: int, transfers: list[dict[str, Any]], folder: Path
) -> tuple[float, float]:
    """Seconds for the API and for the floor to post ``transfers``, each on a fresh store."""
    pg_base = os.environ.get("COMMGOV_TEST_PG_URL", "")
    if backend == "sqlite":
        api_url, floor_url = (f"sqlite:///{folder / name}" for name in ("api.db", "floor.db"))
        seconds = run_api(api_url, transfers, mode, threads)
        return seconds, run_raw_sqlite(api_url, floor_url, mode)
    pg = Postgres(pg_base)
    try:
        api_url, floor_url = pg.url(), pg.url()
        seconds = run_api(api_url, transfers, mode, threads)
        return seconds, run_raw_postgres(api_url, floor_url, mode, threads)
    finally:
        pg.drop()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--transfers", type=int, default=200_000)
    parser.add_argument("--quick", action="store_true", help="20,000 transfers")
    parser.add_argument("--single-max", type=int, default=None, help="cap single-mode cases")
    parser.add_argument("--reps", type=int, default=3, help="runs of each side, median kept")
    parser.add_argument("--only", default="", help="run the cases whose 'backend mode' has this")
    args = parser.parse_args()
    n = 20_000 if args.quick else args.transfers
    single = n if args.single_max is None else min(n, args.single_max)
    cases: list[tuple[str, str, int]] = [("sqlite", "single", 1), ("sqlite", "batch", 1)]
    if os.environ.get("COMMGOV_TEST_PG_URL"):
        cases += [("postgresql", m, t) for m in ("single", "batch") for t in (1, 8)]
    cases = [c for c in cases if args.only in f"{c[0]} {c[1]}"]
    results = []
    for index, (backend, mode, threads) in enumerate(cases):
        count = single if mode == "single" else n
        ours, floors = [], []
        for rep in range(args.reps):  # the two sides alternate, so both see the same machine
            with tempfile.TemporaryDirectory() as tmp:
                transfers = plan(count, index * 1000 + rep)
                seconds, floor = measure(backend, mode, threads, transfers, Path(tmp))
            ours.append(seconds)
            floors.append(floor)
        seconds, floor = statistics.median(ours), statistics.median(floors)
        results.append(
            {
                "bench": "ledger",
                "backend": backend,
                "mode": mode,
                "threads": threads,
                "transfers": count,
                "per_second": round(count / seconds),
                "floor": "raw sqlite3" if backend == "sqlite" else "raw psycopg, set-based",
                "floor_per_second": round(count / floor),
                "ratio": round(floor / seconds, 3),
                "reps": args.reps,
            }
        )
        print(
            f"{backend} {mode} x{threads}: {count / seconds:,.0f}/s, floor {count / floor:,.0f}/s"
            f" (medians of {args.reps})",
            flush=True,
        )
    for line in results:
        print(json.dumps(line))


if __name__ == "__main__":
    main()
