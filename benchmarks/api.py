"""The HTTP API under load, beside a bare FastAPI floor doing the same insert or select with
plain Core, in one run.

    python benchmarks/api.py [--quick] [--requests N] [--clients C] [--cases a,b]

Each case runs on a SQLite file and, when ``COMMGOV_TEST_PG_URL`` is set, on PostgreSQL (a fresh
schema, dropped afterwards). Two servers run side by side, each uvicorn in its own process on
127.0.0.1 with one worker and routes on 8 threads: commgov's app as ``commgov serve`` runs it
(API-key authentication) over a test town, and the floor, a bare FastAPI app on the same
database. A load generator in a third
process (httpx, asyncio; each client its own connection) keeps C clients (default 64) busy
until N requests (quick: 600; else 4,000) are answered, after a warm-up, against one server
and then the other, twice each in turn (A B A B); the better of each pair is kept.

- ``open311_post``: ``POST /open311/v2/requests.json``, form-encoded as Open311 clients send it
  (a service code, a point, a description, the key); commgov files a case (placed, numbered,
  with deadlines and its first event). The floor parses the same form and inserts one row with
  the same fields into a table of its own with Core.
- ``cases_list``: ``GET /cases`` for a page of 50 of a grid's 2,000 cases; the floor selects the
  same 51 rows of the cases table with Core and returns them as JSON.

Last lines: one JSON object a case and back end: ``bench`` ("api"), ``backend``, ``case``,
``requests``, ``per_second``, ``p99_ms``, ``floor_per_second``, ``floor_p99_ms``, ``ratio``
(commgov ÷ floor, requests a second).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import Any

import anyio.to_thread
import httpx

HERE = Path(__file__).resolve()
TOWN = "411425100"
SECRET = "n0H6Jq8qYbQ8mJ0e3n7Qm3w2a8E1W8dJ0iJvJY5l6kQ="
PAGE = 50
THREADS = 8
LISTED_CASES = 2000


# -- the two servers (run in their own processes: ``api.py serve commgov|floor URL PORT``) ------
def commgov_app(url: str) -> Any:
    """commgov's app as ``commgov serve`` runs it (routes on THREADS threads)."""
    import commgov
    from commgov.api.server import served

    return served(commgov.open(url, secret_key=SECRET, discover_plugins=False), threads=THREADS)


def floor_app(url: str) -> Any:
    """A bare FastAPI app: the same form parsed and one row inserted, or the same page
    selected, with plain Core; no authentication, no rules; the same threads and the same
    connection pool as commgov's."""
    from fastapi import FastAPI, Form, Query, Response
    from sqlalchemy import create_engine, insert, select

    from commgov.cases.tables import cases

    engine = create_engine(url, pool_size=10, max_overflow=20)
    requests_table = _floor_table()

    @asynccontextmanager
    async def lifespan(_app: Any) -> AsyncIterator[None]:
        anyio.to_thread.current_default_thread_limiter().total_tokens = THREADS
        yield

    app = FastAPI(lifespan=lifespan)

    @app.post("/open311/v2/requests.json")
    def post_request(
        *,
        service_code: str = Form(),
        lat: float = Form(),
        long: float = Form(),
        description: str = Form(),
        jurisdiction_id: str = Form(),
        api_key: str = Form(),
    ) -> list[dict[str, str]]:
        row = {
            "service_code": service_code,
            "lat": lat,
            "lon": long,
            "description": description,
            "jurisdiction": jurisdiction_id,
            "at": time.time(),
        }
        with engine.begin() as conn:
            new = conn.execute(insert(requests_table).returning(requests_table.c.id), row)
            return [{"service_request_id": str(new.scalar_one())}]

    @app.get("/cases", response_model=None)
    def list_cases(unit: str = Query(), limit: int = Query(PAGE)) -> Any:
        with engine.connect() as conn:
            query = select(cases).where(cases.c.unit_id == _unit_id(conn, unit))
            rows = conn.execute(query.order_by(cases.c.id).limit(limit + 1)).mappings().all()
        items = [{k: _plain(v) for k, v in r.items()} for r in rows[:limit]]
        following = str(rows[-1]["id"]) if len(rows) > limit else None
        body = json.dumps({"items": items, "next_cursor": following}, ensure_ascii=False)
        return Response(body, media_type="application/json")

    return app


def _unit_id(conn: Any, code: str) -> int:
    from sqlalchemy import select

    from commgov.people.tables import units

    return int(conn.execute(select(units.c.id).where(units.c.code == code)).scalar_one())


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _floor_table() -> Any:
    from sqlalchemy import Column, Float, Integer, MetaData, String, Table

    return Table(
        "floor_requests",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("service_code", String(64)),
        Column("lat", Float),
        Column("lon", Float),
        Column("description", String(4000)),
        Column("jurisdiction", String(64)),
        Column("at", Float),
    )


def serve(which: str, url: str, port: int) -> None:
    import uvicorn

    app = commgov_app(url) if which == "commgov" else floor_app(url)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


# -- the load generator (its own process: ``api.py load …``) ------------------------------------
async def _load(
    base: str, case: str, clients: int, total: int, setup: dict[str, str]
) -> dict[str, Any]:
    """``clients`` users, each with its own connection (one ``httpx.AsyncClient`` each: a
    shared pool of 64 connections caps httpx itself near 200 requests a second here)."""
    headers = {"Authorization": f"Bearer {setup['key']}"}
    users = [httpx.AsyncClient(base_url=base, timeout=60, headers=headers) for _ in range(clients)]

    async def one(client: httpx.AsyncClient, i: int) -> float:
        started = time.perf_counter()
        if case == "open311_post":
            form = {
                "jurisdiction_id": TOWN,
                "service_code": setup["service_code"],
                "lat": str(34.0 + (i % 100) / 1000),
                "long": str(114.0 + (i % 100) / 1000),
                "description": f"路灯不亮 {i}",
                "api_key": setup["key"],
            }
            answer = await client.post("/open311/v2/requests.json", data=form)
        else:
            answer = await client.get("/cases", params={"unit": setup["grid"], "limit": PAGE})
        if answer.status_code >= 300:
            raise RuntimeError(f"{case}: {answer.status_code} {answer.text[:300]}")
        return time.perf_counter() - started

    async def user(client: httpx.AsyncClient, start: int, count: int, out: list[float]) -> None:
        for i in range(start, start + count):
            out.append(await one(client, i))

    async def burst(count: int) -> tuple[float, list[float]]:
        share = [count // clients + (1 if c < count % clients else 0) for c in range(clients)]
        seen: list[list[float]] = [[] for _ in range(clients)]
        starts = [sum(share[:c]) for c in range(clients)]
        began = time.perf_counter()
        await asyncio.gather(
            *(user(users[c], starts[c], share[c], seen[c]) for c in range(clients))
        )
        return time.perf_counter() - began, [x for part in seen for x in part]

    try:
        await burst(min(total, clients * 2))  # warm-up: connections, caches, statements
        elapsed, latencies = await burst(total)
    finally:
        for client in users:
            await client.aclose()
    latencies.sort()
    p99 = latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))]
    return {"per_second": total / elapsed, "p99_ms": p99 * 1000}


def load(base: str, case: str, clients: int, total: int, setup_json: str) -> None:
    found = asyncio.run(_load(base, case, clients, total, json.loads(setup_json)))
    print(json.dumps(found))


# -- the driver ----------------------------------------------------------------------------------
def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


@contextmanager
def _server(which: str, url: str) -> Iterator[str]:
    port = _free_port()
    command = [sys.executable, str(HERE), "serve", which, url, str(port)]
    proc = subprocess.Popen(command)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                httpx.get(f"{base}/openapi.json", timeout=2)
                break
            except httpx.TransportError:
                if proc.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"the {which} server did not start") from None
                time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=30)


def prepare(url: str) -> dict[str, str]:
    """The test town, a grid with LISTED_CASES cases, a system key, the floor's table."""
    import commgov
    from commgov.cases.views import CaseReport
    from commgov.testing import build_town

    with commgov.open(url, secret_key=SECRET, discover_plugins=False) as cg:
        town = build_town(cg, code=TOWN)
        grid = town.grids[0]
        reports = [CaseReport(text=f"积水 {i}", unit=grid) for i in range(LISTED_CASES)]
        for start in range(0, LISTED_CASES, 500):
            cg.cases.report_many(town.admin, reports[start : start + 500])
        key = cg.api_keys.create(town.admin, system="bench").secret
        _floor_table().create(cg.context.engine)
    return {"key": key, "grid": grid}


def _run_load(
    base: str, case: str, clients: int, total: int, setup: dict[str, str]
) -> dict[str, Any]:
    command = [
        sys.executable,
        str(HERE),
        "load",
        base,
        case,
        str(clients),
        str(total),
        json.dumps(setup),
    ]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    return dict(json.loads(done.stdout.strip().splitlines()[-1]))


def measure(
    backend: str, url: str, cases: list[str], clients: int, total: int
) -> list[dict[str, Any]]:
    setup = prepare(url)
    lines = []
    with _server("commgov", url) as ours, _server("floor", url) as floor:
        services = httpx.get(f"{ours}/open311/v2/services.json", params={"jurisdiction_id": TOWN})
        if services.status_code == 200 and services.json():
            setup["service_code"] = str(services.json()[0]["service_code"])
        for case in cases:
            best: dict[str, dict[str, Any]] = {}
            for _ in range(2):
                for name, base in (("commgov", ours), ("floor", floor)):
                    found = _run_load(base, case, clients, total, setup)
                    if name not in best or found["per_second"] > best[name]["per_second"]:
                        best[name] = found
            line = {
                "bench": "api",
                "backend": backend,
                "case": case,
                "clients": clients,
                "requests": total,
                "per_second": round(best["commgov"]["per_second"], 1),
                "p99_ms": round(best["commgov"]["p99_ms"], 1),
                "floor_per_second": round(best["floor"]["per_second"], 1),
                "floor_p99_ms": round(best["floor"]["p99_ms"], 1),
                "ratio": round(best["commgov"]["per_second"] / best["floor"]["per_second"], 3),
            }
            print(json.dumps(line), flush=True)
            lines.append(line)
    return lines


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "serve":
        serve(sys.argv[2], sys.argv[3], int(sys.argv[4]))
        return
    if len(sys.argv) > 1 and sys.argv[1] == "load":
        load(sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), sys.argv[6])
        return
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="600 requests a case")
    parser.add_argument("--requests", type=int, default=None)
    parser.add_argument("--clients", type=int, default=64)
    parser.add_argument("--cases", default="open311_post,cases_list")
    args = parser.parse_args()
    total = args.requests or (600 if args.quick else 4000)
    cases = args.cases.split(",")
    with tempfile.TemporaryDirectory() as folder:
        measure("sqlite", f"sqlite:///{Path(folder) / 'bench.db'}", cases, args.clients, total)
    base = os.environ.get("COMMGOV_TEST_PG_URL")
    if base:
        sys.path.insert(0, str(HERE.parent))
        from schemas import Postgres

        pg = Postgres(base)
        try:
            measure("postgresql", pg.url(), cases, args.clients, total)
        finally:
            pg.drop()


if __name__ == "__main__":
    main()
