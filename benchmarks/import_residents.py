"""Import N residents through the public import path, beside a plain Core executemany floor.

    python benchmarks/import_residents.py [--rows N | --quick]

Both runs write the same households and residents into a fresh schema of the same backend, in
one transaction each. The floor inserts rows already encrypted and hashed; the import path also
validates every row, encrypts and hashes. Last lines: one JSON object per backend.
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
import uuid
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, insert, text

import commgov
from commgov.demo.population import PersonFactory
from commgov.kernel import migrate
from commgov.people import tables as t
from commgov.people.calls import vocabulary
from commgov.people.repository import UnitRepository
from commgov.people.service.resident_rows import resident_row

SECRET = commgov.new_secret_key()


def make_rows(n: int, grids: list[str]) -> list[dict[str, Any]]:
    people = PersonFactory(seed=1, region="411425", today=__import__("datetime").date(2025, 6, 30))
    rows: list[dict[str, Any]] = []
    number = 0
    while len(rows) < n:
        number += 1
        grid = grids[number % len(grids)]
        rows.extend(people.household(f"H{number}", grid, f"Building {number}"))
    return rows[:n]


def build_town(cg: commgov.Commgov) -> list[str]:
    admin = commgov.Actor.system("bench")
    cg.grids.create(admin, code="411425", name="county", kind="county")
    town = cg.grids.create(admin, parent="411425", name="town", kind="town")
    grids = []
    for c in range(4):
        community = cg.grids.create(
            admin, parent=town.code, name=f"community {c}", kind="community"
        )
        for g in range(8):
            grids.append(
                cg.grids.create(admin, parent=community.code, name=f"grid {g}", kind="grid").code
            )
    return grids


def run_import(url: str, rows: list[dict[str, Any]]) -> float:
    with commgov.open(url, secret_key=SECRET, discover_plugins=False) as cg:
        build_town(cg)
        started = time.perf_counter()
        cg.imports.import_rows(commgov.Actor.system("bench"), rows, source="bench")
        return time.perf_counter() - started


def run_floor(url: str, rows: list[dict[str, Any]]) -> float:
    """Plain Core executemany of the same rows, prepared (encrypted) before the clock starts."""
    with commgov.open(url, secret_key=SECRET, discover_plugins=False) as cg:
        grids = build_town(cg)
        ctx = cg.context
        with ctx.uow(readonly=True) as uow:
            unit_ids = {code: uow.repo(UnitRepository).find_by_code(code).id for code in grids}  # type: ignore[union-attr]
        vocab, now = vocabulary(ctx), ctx.clock()
        keys = list(dict.fromkeys(r["household"] for r in rows))
        index = {k: i + 1 for i, k in enumerate(keys)}
        households = []
        seen: set[str] = set()
        resident_rows = []
        from commgov.people.model.residents import validate_resident

        for row in rows:
            if row["household"] not in seen:
                seen.add(row["household"])
                households.append(
                    {
                        "id": index[row["household"]],
                        "unit_id": unit_ids[row["unit"]],
                        "address": row["address"],
                        "created_at": now,
                    }
                )
            record, _ = validate_resident(row, vocab)
            assert record is not None
            resident_rows.append(
                resident_row(
                    record,
                    household_id=index[row["household"]],
                    unit_id=unit_ids[row["unit"]],
                    cipher=ctx.cipher,
                    now=now,
                )
            )
        engine = ctx.engine
        started = time.perf_counter()
        with engine.begin() as conn:
            conn.execute(insert(t.households), households)
            conn.execute(insert(t.residents), resident_rows)
        return time.perf_counter() - started


def sqlite_urls(tmp: Path) -> tuple[str, str]:
    return f"sqlite:///{tmp / 'import.db'}", f"sqlite:///{tmp / 'floor.db'}"


def pg_urls(base: str) -> tuple[tuple[str, str], list[str]]:
    schemas = [f"bench_{uuid.uuid4().hex[:8]}" for _ in range(2)]
    engine = create_engine(base)
    with engine.begin() as conn:
        for schema in schemas:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
    engine.dispose()
    sep = "&" if "?" in base else "?"
    urls = tuple(f"{base}{sep}options=-csearch_path%3D{s}" for s in schemas)
    return (urls[0], urls[1]), schemas


def drop_schemas(base: str, schemas: list[str]) -> None:
    engine = create_engine(base)
    with engine.begin() as conn:
        for schema in schemas:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="100,000 rows")
    args = parser.parse_args()
    n = 100_000 if args.quick else args.rows
    rows = make_rows(n, [f"411425001{c:03d}{g:03d}" for c in range(1, 5) for g in range(1, 9)])
    results = []
    with tempfile.TemporaryDirectory() as tmp:
        urls = sqlite_urls(Path(tmp))
        seconds, floor = run_import(urls[0], rows), run_floor(urls[1], rows)
        results.append(("sqlite", seconds, floor))
    pg = os.environ.get("COMMGOV_TEST_PG_URL")
    if pg:
        pg_pair, schemas = pg_urls(pg)
        try:
            seconds, floor = run_import(pg_pair[0], rows), run_floor(pg_pair[1], rows)
            results.append(("postgresql", seconds, floor))
        finally:
            drop_schemas(pg, schemas)
    for backend, seconds, floor in results:
        line = {"benchmark": "import_residents", "backend": backend, "rows": n}
        line |= {"seconds": round(seconds, 3), "floor_seconds": round(floor, 3)}
        print(json.dumps(line | {"ratio": round(floor / seconds, 3)}))


if __name__ == "__main__":
    _ = migrate
    main()
