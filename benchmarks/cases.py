"""Drive N cases through the whole loop (report → close) with the batch API, beside a plain
Core floor that inserts the same case and event rows; then time the three-rates query over
1,000,000 stored cases for the whole town and per grid.

    python benchmarks/cases.py [--cases N | --quick] [--stored M] [--batch B]

Runs on SQLite and, when ``COMMGOV_TEST_PG_URL`` is set, on PostgreSQL (fresh schemas, dropped
afterwards). Each batch of B cases is one ``report_many`` and one ``apply_many`` (8 actions a
case: accept, triage, dispatch, start, resolve, inform, visit, close). The floor copies the
loop's final rows and inserts them into an empty schema with executemany in one transaction.
``metrics_ms`` is the slower of the town query and the per-grid query (best of 5 each). Last
lines: one JSON object per backend.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, insert, select, text

import commgov
from commgov.cases.tables import case_events, cases
from commgov.people.repository import UnitRepository

SECRET = commgov.new_secret_key()
START = dt.datetime(2025, 6, 2, 8, tzinfo=dt.UTC)
ADMIN = commgov.Actor.system("bench")
CATEGORIES = ("environment", "facilities", "dispute.neighbour", "safety.fire", "order")


class Clock:
    def __init__(self) -> None:
        self.now = START

    def __call__(self) -> dt.datetime:
        return self.now


def build_town(cg: commgov.Commgov, communities: int = 8, grids: int = 20) -> list[tuple[str, int]]:
    """A town of ``communities`` × ``grids`` grids, one worker each: (grid code, staff id)."""
    make = cg.grids.create
    make(ADMIN, code="411425", name="county", kind="county")
    town = make(ADMIN, code="411425100", parent="411425", name="town", kind="town")
    out = []
    for c in range(communities):
        community = make(ADMIN, parent=town.code, name=f"community {c}", kind="community")
        for g in range(grids):
            grid = make(ADMIN, parent=community.code, name=f"grid {g}", kind="grid")
            worker = cg.staff.add(
                ADMIN, name=f"worker {c}-{g}", role="grid_worker", units=[grid.code]
            )
            out.append((grid.code, worker.id))
    return out


def open_store(url: str, clock: Clock) -> commgov.Commgov:
    return commgov.open(url, secret_key=SECRET, clock=clock, discover_plugins=False)


def run_loop(url: str, n: int, batch: int) -> float:
    clock = Clock()
    with open_store(url, clock) as cg:
        grids = build_town(cg)
        service = cg.cases
        rng = random.Random(7336)
        started = time.perf_counter()
        for first in range(0, n, batch):
            size = min(batch, n - first)
            placed = [grids[(first + i) % len(grids)] for i in range(size)]
            reports = [
                {"text": f"case {first + i}", "unit": g, "channel": "hotline"}
                for i, (g, _) in enumerate(placed)
            ]
            ids = service.report_many(ADMIN, reports)
            clock.now += dt.timedelta(minutes=30)
            actions: list[dict[str, Any]] = []
            for case_id, (_, staff_id) in zip(ids, placed, strict=True):
                actions += [
                    {"case_id": case_id, "action": "accept"},
                    {
                        "case_id": case_id,
                        "action": "triage",
                        "category": rng.choice(CATEGORIES),
                        "owner_level": "grid",
                    },
                    {"case_id": case_id, "action": "dispatch", "lead": f"staff:{staff_id}"},
                    {"case_id": case_id, "action": "start"},
                    {"case_id": case_id, "action": "resolve", "note": "done"},
                    {"case_id": case_id, "action": "inform"},
                    {"case_id": case_id, "action": "visit", "rating": rng.choice((3, 4, 5, 5))},
                    {"case_id": case_id, "action": "close"},
                ]
            service.apply_many(ADMIN, actions)
            clock.now += dt.timedelta(minutes=30)
        return time.perf_counter() - started


def run_floor(source_url: str, url: str) -> float:
    """Insert the loop's final case and event rows into an empty schema with plain Core."""
    source = create_engine(source_url)
    with source.connect() as conn:
        case_rows = [dict(r) for r in conn.execute(select(cases).order_by(cases.c.id)).mappings()]
        event_rows = [
            dict(r) for r in conn.execute(select(case_events).order_by(case_events.c.id)).mappings()
        ]
    source.dispose()
    with open_store(url, Clock()) as cg:
        build_town(cg)
        engine = cg.context.engine
        started = time.perf_counter()
        with engine.begin() as conn:
            conn.execute(insert(cases), case_rows)
            conn.execute(insert(case_events), event_rows)
        return time.perf_counter() - started


def synthetic_rows(n: int, unit_ids: list[int], town_id: int) -> list[dict[str, Any]]:
    """``n`` stored cases in every state, spread over the grids and a year, numbered in the
    town per year (Beijing time)."""
    rng = random.Random(1)
    states = ["closed"] * 6 + [
        "visited",
        "informed",
        "resolved",
        "in_progress",
        "dispatched",
        "reported",
        "rejected",
        "withdrawn",
    ]
    rows = []
    last: dict[int, int] = {}
    for i in range(n):
        reported = START + dt.timedelta(minutes=rng.randrange(525_600))
        year = (reported + dt.timedelta(hours=8)).year
        last[year] = last.get(year, 0) + 1
        state = states[rng.randrange(len(states))]
        done = state in ("closed", "visited", "informed", "resolved")
        responded = done or state in ("in_progress", "dispatched")
        respond_s, resolve_s = rng.randrange(600, 100_000), rng.randrange(3_600, 900_000)
        rows.append(
            {
                "id": i + 1, "unit_id": unit_ids[i % len(unit_ids)], "channel": "hotline",
                "state": state, "category": "environment", "severity": "normal",
                "owner_level": "grid", "lead": "staff:1" if responded else None,
                "co_operators": [], "text": "synthetic", "address": None, "lat": None,
                "lon": None, "photos": [], "reporter": "system:bench", "household_id": None,
                "device_id": None, "alarm_count": 0, "last_alarm_at": None,
                "reported_at": reported,
                "response_due": reported + dt.timedelta(hours=24),
                "resolve_due": reported + dt.timedelta(days=7),
                "responded_at": reported + dt.timedelta(seconds=respond_s) if responded else None,
                "resolved_at": reported + dt.timedelta(seconds=resolve_s) if done else None,
                "closed_at": None, "response_late": respond_s > 86_400,
                "resolve_late": resolve_s > 604_800,
                "response_seconds": respond_s if responded else None,
                "resolve_seconds": resolve_s if done else None,
                "rating": rng.randrange(1, 6) if state in ("closed", "visited") else None,
                "reopen_count": 0, "escalations": 0,
                "resolved_level": "grid" if done else None, "merged_into": None,
                "merged_count": 0, "duplicate_of": None, "reject_kind": None, "version": 9,
                "town_id": town_id, "year": year, "seq": last[year],
            }
        )  # fmt: skip
    return rows


def load_stored(engine: Engine, rows: list[dict[str, Any]]) -> None:
    if engine.dialect.name == "postgresql":
        columns = list(rows[0])
        raw = engine.raw_connection()
        try:
            with (
                raw.cursor() as cur,
                cur.copy(f"COPY cases ({', '.join(columns)}) FROM STDIN") as copy,
            ):  # type: ignore[attr-defined]
                for row in rows:
                    copy.write_row(
                        [json.dumps(v) if isinstance(v, list) else v for v in row.values()]
                    )
            raw.commit()
            with raw.cursor() as cur:
                cur.execute("ANALYZE cases")
            raw.commit()
        finally:
            raw.close()
        return
    with engine.begin() as conn:
        for start in range(0, len(rows), 50_000):
            conn.execute(insert(cases), rows[start : start + 50_000])
        conn.exec_driver_sql("ANALYZE")


def run_metrics(url: str, stored: int) -> tuple[float, float]:
    """Best-of-5 milliseconds of the three rates for the town and per grid."""
    clock = Clock()
    with open_store(url, clock) as cg:
        grids = build_town(cg)
        with cg.context.uow(readonly=True) as uow:
            units = uow.repo(UnitRepository)
            unit_ids = [units.find_by_code(code).id for code, _ in grids]  # type: ignore[union-attr]
            town_id = units.find_by_code("411425100").id  # type: ignore[union-attr]
        load_stored(cg.context.engine, synthetic_rows(stored, unit_ids, town_id))
        clock.now = START + dt.timedelta(days=400)
        service = cg.cases
        timings: dict[str | None, list[float]] = {None: [], "grid": []}
        for by in (None, "grid"):
            for _ in range(6):
                started = time.perf_counter()
                result = service.rates(ADMIN, "411425100", by=by)
                timings[by].append((time.perf_counter() - started) * 1000)
            assert result and result[0].accepted > 0
        town_ms, grid_ms = (min(t[1:]) for t in timings.values())
        medians = [statistics.median(t) for t in timings.values()]
        print(
            f"# three rates over {stored:,} cases: town {town_ms:.1f} ms, per grid {grid_ms:.1f} ms"
            f" (medians {medians[0]:.1f} / {medians[1]:.1f})"
        )
        return town_ms, grid_ms


def pg_urls(base: str, n: int) -> tuple[list[str], list[str]]:
    base = base.replace("postgresql://", "postgresql+psycopg://", 1)
    schemas = [f"bench_cases_{uuid.uuid4().hex[:8]}" for _ in range(n)]
    engine = create_engine(base)
    with engine.begin() as conn:
        for schema in schemas:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
    engine.dispose()
    sep = "&" if "?" in base else "?"
    return [f"{base}{sep}options=-csearch_path%3D{s}" for s in schemas], schemas


def drop_schemas(base: str, schemas: list[str]) -> None:
    engine = create_engine(base.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.begin() as conn:
        for schema in schemas:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    engine.dispose()


def measure(backend: str, urls: list[str], n: int, stored: int, batch: int) -> dict[str, Any]:
    seconds = run_loop(urls[0], n, batch)
    floor = run_floor(urls[0], urls[1])
    print(
        f"# {backend}: loop {seconds:.2f} s ({n * 9 / seconds:,.0f} events/s), floor {floor:.2f} s"
    )
    town_ms, grid_ms = run_metrics(urls[2], stored)
    line = {"benchmark": "cases", "backend": backend, "cases": n}
    line |= {"seconds": round(seconds, 3), "floor_seconds": round(floor, 3)}
    line |= {"ratio": round(floor / seconds, 3), "metrics_ms": round(max(town_ms, grid_ms), 1)}
    return line


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--stored", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, default=1_000)
    parser.add_argument("--quick", action="store_true", help="10,000 cases, 100,000 stored")
    args = parser.parse_args()
    n, stored = (10_000, 100_000) if args.quick else (args.cases, args.stored)
    lines = []
    with tempfile.TemporaryDirectory() as tmp:
        urls = [f"sqlite:///{Path(tmp) / name}.db" for name in ("loop", "floor", "stored")]
        lines.append(measure("sqlite", urls, n, stored, args.batch))
    pg = os.environ.get("COMMGOV_TEST_PG_URL")
    if pg:
        pg_list, schemas = pg_urls(pg, 3)
        try:
            lines.append(measure("postgresql", pg_list, n, stored, args.batch))
        finally:
            drop_schemas(pg, schemas)
    for line in lines:
        print(json.dumps(line))


if __name__ == "__main__":
    main()
