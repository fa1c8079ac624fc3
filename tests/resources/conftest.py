"""Fixtures for the resource tests: a town of two communities with their staff and residents,
on a clock tests move by hand, starting Monday 30 November 2026 at 09:00 in Beijing.
``any_rtown`` builds it on a SQLite file and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import attrs
import pytest
from sqlalchemy import func, select
from tests.conftest import SECRET, row_counts
from tests.conftest import build_town as build_test_town

import commgov
from commgov.resources.repository import ResourceRepository
from commgov.resources.tables import (
    resource_bookings,
    resource_closures,
    resource_series,
    resource_slots,
    resources,
)
from commgov.resources.views import ResourceView

START = dt.datetime(2026, 11, 30, 1, 0, tzinfo=dt.UTC)  # Monday 09:00 in Beijing
ZONE = ZoneInfo("Asia/Shanghai")
HOURS = {"mon-fri": ["08:00-12:00", "14:00-21:00"], "sat-sun": ["09:00-17:00"]}
"""Eleven hours on weekdays, eight at weekends."""


class Clock:
    """A clock tests move by hand."""

    def __init__(self, now: dt.datetime = START) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> dt.datetime:
        self.now += dt.timedelta(**delta)
        return self.now


def local(day: dt.date, hhmm: str) -> dt.datetime:
    """``hhmm`` on ``day`` in Beijing."""
    hours, minutes = map(int, hhmm.split(":"))
    return dt.datetime.combine(day, dt.time(hours, minutes), tzinfo=ZONE)


@attrs.define
class RTown:
    cg: commgov.Commgov
    clock: Clock
    admin: commgov.Actor
    town: str
    community_a: str
    community_b: str
    grid_a1: str
    grid_b1: str
    clerk_a: commgov.Actor  # community staff of A
    clerk_b: commgov.Actor  # community staff of B
    worker_a: commgov.Actor  # grid worker of A's first grid
    worker_b: commgov.Actor  # grid worker of B's grid
    anna: commgov.Actor  # a resident of A
    anna_id: int
    ben: commgov.Actor  # a resident of B
    ben_id: int
    elder: commgov.Actor  # a resident of A living alone (a care group: her name is personal)
    elder_id: int

    def day(self, offset: int) -> dt.date:
        """The day ``offset`` days after the start (0: Monday 30 November 2026)."""
        return START.astimezone(ZONE).date() + dt.timedelta(days=offset)

    def at(self, offset: int, hhmm: str) -> dt.datetime:
        return local(self.day(offset), hhmm)

    def room(self, **rules: Any) -> ResourceView:
        """A room of community A (by its clerk): capacity 3 unless given, ``HOURS``."""
        values: dict[str, Any] = {"name": "活动室", "kind": "room", "capacity": 3, "hours": HOURS}
        values.update(rules)
        unit = values.pop("unit", self.community_a)
        by = values.pop("by", self.clerk_a)
        return self.cg.resources.publish(by, unit=unit, **values)

    def book(self, actor: commgov.Actor, resource_id: int, offset: int, start: str, end: str,
             **more: Any) -> commgov.BookingView:  # fmt: skip
        return self.cg.resources.book(
            actor, resource_id, starts_at=self.at(offset, start), ends_at=self.at(offset, end),
            **more,
        )  # fmt: skip

    def resident(self, grid: str, name: str) -> tuple[commgov.Actor, int]:
        """A new one-person household on ``grid``: the resident as an actor, and their id."""
        home = self.cg.residents.add_household(self.admin, unit=grid, address=f"{grid} 9号")
        person = self.cg.residents.add_resident(
            self.admin, household_id=home.id, name=name, birth_date="1960-03-01", sex="F"
        )
        return commgov.Actor.resident(name, home.id, person.id), person.id

    def used(self, resource_id: int) -> dict[dt.datetime, int]:
        """Places held per slot (slots with none left out)."""
        with self.cg.context.uow(readonly=True) as uow:
            found = uow.repo(ResourceRepository).slots(resource_id)
        return {at: used for at, (used, _) in sorted(found.items()) if used}


def resident(t: Any, grid: str, name: str, **more: Any) -> tuple[commgov.Actor, int]:
    home = t.household(grid, {"name": name, "birth_date": "1960-03-01", "sex": "F", **more})
    (person,) = home.member_ids
    return commgov.Actor.resident(name, home.id, person), person


def build(cg: commgov.Commgov, clock: Clock) -> RTown:
    t = build_test_town(cg)
    built = t.built
    anna, anna_id = resident(t, t.grid_a1, "王安娜")
    ben, ben_id = resident(t, t.grid_b1, "刘本")
    elder, elder_id = resident(t, t.grid_a2, "李秀英", care_groups=["living_alone"])
    return RTown(
        cg=cg, clock=clock, admin=t.admin, town=t.town, community_a=t.community_a,
        community_b=t.community_b, grid_a1=t.grid_a1, grid_b1=t.grid_b1,
        clerk_a=built.add_staff("community_staff", t.community_a, name="张社工"),
        clerk_b=built.add_staff("community_staff", t.community_b, name="刘社工"),
        worker_a=built.add_staff("grid_worker", t.grid_a1, name="王网格"),
        worker_b=built.add_staff("grid_worker", t.grid_b1, name="赵网格"),
        anna=anna, anna_id=anna_id, ben=ben, ben_id=ben_id, elder=elder, elder_id=elder_id,
    )  # fmt: skip


def counts(cg: commgov.Commgov) -> dict[str, int]:
    """Rows of the core tables and the resource tables, and the places held on all slots:
    equal before and after = nothing written."""
    found = row_counts(cg)
    with cg.context.uow(readonly=True) as uow:
        for table in (resources, resource_closures, resource_series, resource_bookings,
                      resource_slots):  # fmt: skip
            query = select(func.count()).select_from(table)
            found[table.name] = uow.conn.execute(query).scalar_one()
        held = select(func.coalesce(func.sum(resource_slots.c.used), 0))
        found["places held"] = uow.conn.execute(held).scalar_one()
    return found


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def rtown(clock: Clock) -> Iterator[RTown]:
    with commgov.open("sqlite:///:memory:", clock=clock, discover_plugins=False) as cg:
        yield build(cg, clock)


@pytest.fixture(params=["sqlite", "postgresql"])
def any_rtown(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[RTown]:
    """The town on a SQLite file and on PostgreSQL (a fresh schema)."""
    clock = Clock()
    url = f"sqlite:///{tmp_path / 'resources.db'}"
    if request.param == "postgresql":
        url = request.getfixturevalue("pg_url")
    cg = commgov.open(url, secret_key=SECRET, clock=clock, discover_plugins=False)
    try:
        yield build(cg, clock)
    finally:
        cg.close()
