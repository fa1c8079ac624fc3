"""Case numbers in the store: the migration numbers the cases a store held before (in id order
per town and year), and on PostgreSQL many writers reporting at once get 1..N without a gap or
a number twice."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, create_engine, insert, select, update

import commgov
from commgov.cases.tables import case_counters, case_events, cases
from commgov.kernel import migrate
from commgov.kernel.tables import meta
from commgov.people.tables import units
from commgov.testing import build_town as build_test_town

from .conftest import SECRET, Clock, Town, build_town

UTC = dt.UTC


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'old.db'}"
    return str(request.getfixturevalue("pg_url"))


def _unit(
    conn: Connection, code: str, kind: str, parent: tuple[int, str] | None
) -> tuple[int, str]:
    values = {
        "code": code, "name": code, "kind": kind, "parent_id": parent[0] if parent else None,
        "path": "/", "depth": 0, "created_at": dt.datetime(2024, 1, 1, tzinfo=UTC),
    }  # fmt: skip
    unit_id = conn.execute(insert(units).returning(units.c.id), values).scalar_one()
    path = f"{parent[1] if parent else '/'}{unit_id}/"
    conn.execute(update(units).where(units.c.id == unit_id).values(path=path))
    return unit_id, path


def _old_case(conn: Connection, unit_id: int, reported: dt.datetime) -> int:
    """A case row and its report event as revision 0003 kept them (no number)."""
    due = reported + dt.timedelta(days=1)
    row = {
        "unit_id": unit_id, "channel": "hotline", "state": "reported", "severity": "normal",
        "owner_level": "grid", "co_operators": [], "text": "old", "photos": [],
        "reporter": "system:old", "alarm_count": 0, "reported_at": reported,
        "response_due": due, "resolve_due": due, "response_late": False, "resolve_late": False,
        "reopen_count": 0, "escalations": 0, "merged_count": 0, "version": 1,
    }  # fmt: skip
    case_id = conn.execute(insert(cases).returning(cases.c.id), row).scalar_one()
    data = {
        "unit_id": unit_id, "channel": "hotline", "severity": "normal", "category": None,
        "owner_level": "grid", "household_id": None, "device_id": None, "photos": [],
        "response_due": due.isoformat(), "resolve_due": due.isoformat(),
    }  # fmt: skip
    event = {
        "case_id": case_id, "seq": 1, "action": "report", "actor": "system:old", "at": reported,
        "from_state": None, "to_state": "reported", "note": "old", "attachments": [], "data": data,
    }  # fmt: skip
    conn.execute(insert(case_events), event)
    return int(case_id)


def test_the_migration_numbers_existing_cases(empty_url: str) -> None:
    engine: Engine = create_engine(empty_url)
    try:
        migrate.upgrade(engine, "0003")
        with engine.begin() as conn:
            conn.execute(insert(meta), {"key": "time_zone", "value": b"Asia/Shanghai"})
            county = _unit(conn, "411425", "county", None)
            town_a = _unit(conn, "411425100", "town", county)
            street = _unit(conn, "411425200", "street", county)
            grid_a = _unit(
                conn, "411425100001001", "grid", _unit(conn, "411425100001", "community", town_a)
            )
            grid_s = _unit(
                conn, "411425200001001", "grid", _unit(conn, "411425200001", "community", street)
            )
            loose = _unit(conn, "999", "grid", None)  # no town above it: its own top
            when = [
                (grid_a, dt.datetime(2025, 12, 31, 15, 0, tzinfo=UTC)),  # 2025 in Shanghai
                (grid_s, dt.datetime(2025, 12, 31, 17, 0, tzinfo=UTC)),  # 2026 in Shanghai
                (grid_a, dt.datetime(2025, 12, 31, 16, 30, tzinfo=UTC)),  # 2026 in Shanghai
                (grid_a, dt.datetime(2025, 6, 1, tzinfo=UTC)),
                (loose, dt.datetime(2026, 3, 1, tzinfo=UTC)),
                (grid_a, dt.datetime(2026, 2, 1, tzinfo=UTC)),
            ]
            ids = [_old_case(conn, unit[0], at) for unit, at in when]
        migrate.upgrade(engine)
        assert migrate.schema_differences(engine) == []
        with engine.connect() as conn:
            got = {
                r.id: (r.town_id, r.year, r.seq)
                for r in conn.execute(
                    select(cases.c.id, cases.c.town_id, cases.c.year, cases.c.seq)
                )
            }
            counters = {(r.town_id, r.year): r.last for r in conn.execute(select(case_counters))}
            reports = {
                r.case_id: r.data
                for r in conn.execute(select(case_events).where(case_events.c.seq == 1))
            }
    finally:
        engine.dispose()
    a, s, top = town_a[0], street[0], loose[0]
    assert [got[i] for i in ids] == [
        (a, 2025, 1), (s, 2026, 1), (a, 2026, 1), (a, 2025, 2), (top, 2026, 1), (a, 2026, 2),
    ]  # fmt: skip
    assert counters == {(a, 2025): 2, (a, 2026): 2, (s, 2026): 1, (top, 2026): 1}
    assert reports[ids[2]]["number"] == "2026-000001" and reports[ids[2]]["town_id"] == a
    clock = Clock(dt.datetime(2026, 3, 2, tzinfo=UTC))
    with commgov.open(empty_url, secret_key=SECRET, clock=clock, discover_plugins=False) as cg:
        admin = commgov.Actor.system("test")
        assert cg.cases.find(admin, ids[5]).number == "2026-000002"
        stored, replayed = cg.cases.replayed(admin, ids[5])
        assert stored == replayed
        new = cg.cases.report(admin, text="after the upgrade", unit="411425100001001")
        assert new.number == "2026-000003"


# -- many writers at once on PostgreSQL ------------------------------------------------------


@pytest.fixture
def pg_town(pg_url: str) -> Iterator[Town]:
    clock = Clock()
    cg = commgov.open(pg_url, secret_key=SECRET, clock=clock, discover_plugins=False)
    try:
        yield build_town(cg, clock)
    finally:
        cg.close()


@pytest.mark.postgres
def test_writers_at_once_get_every_number_once(pg_town: Town) -> None:
    town = pg_town
    other = build_test_town(town.cg, code="411425200", name="河西镇")
    threads, rounds = 8, 6
    for device in ("smoke-0", "smoke-1"):  # open alarm cases the writers' alarms fold into
        town.report(town.admin, unit=town.grids[0], channel="sensor", device_id=device)
    start = threading.Barrier(threads, timeout=30)
    errors: list[BaseException] = []
    lost: list[int] = []

    def writer(n: int) -> None:
        actor = town.admin
        calls: list[Callable[[], Any]] = []
        for r in range(rounds):
            grid = town.grids[(n + r) % len(town.grids)]
            if r % 3 == 0:  # alarms from a few devices fold into open cases
                device = f"smoke-{n % 2}"
                calls.append(
                    lambda g=grid, d=device: town.cases.report(
                        actor, text="烟感", unit=g, channel="sensor", device_id=d
                    )
                )
            elif r % 3 == 1:
                calls.append(lambda g=grid: town.cases.report(actor, text="report", unit=g))
            else:  # a batch across both towns
                calls.append(
                    lambda g=grid: town.cases.report_many(
                        actor,
                        [
                            {"text": "a", "unit": g},
                            {"text": "b", "unit": other.grids[0]},
                            {"text": "c", "unit": g},
                        ],
                    )
                )
        try:
            start.wait()
            for call in calls:
                try:
                    call()
                except commgov.ConflictError:  # two alarms folding into one case at once
                    lost.append(n)  # the loser's transaction rolls back: no number taken
        except BaseException as exc:
            errors.append(exc)

    workers = [threading.Thread(target=writer, args=(n,)) for n in range(threads)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(120)
    assert not errors, errors
    with town.cg.context.uow(readonly=True) as uow:
        rows = uow.conn.execute(select(cases.c.town_id, cases.c.year, cases.c.seq)).all()
        alarms = list(
            uow.conn.execute(select(cases.c.alarm_count).where(cases.c.channel == "sensor"))
            .scalars()
            .all()
        )
        counters = {(r.town_id, r.year): r.last for r in uow.conn.execute(select(case_counters))}
    by_town: dict[tuple[int, int], list[int]] = {}
    for town_id, year, seq in rows:
        by_town.setdefault((town_id, year), []).append(seq)
    assert len(by_town) == 2
    for key, seqs in by_town.items():
        assert sorted(seqs) == list(range(1, len(seqs) + 1)), key
        assert counters[key] == len(seqs)
    sent = threads * len(range(0, rounds, 3))
    assert sum(alarms) == sent + 2 - len(lost)  # every alarm counted once, but the lost ones
    assert sum(alarms) > len(alarms)  # some folded
    reports = threads * (len(range(1, rounds, 3)) + 3 * len(range(2, rounds, 3)))
    assert len(rows) == reports + len(alarms)
