"""Fixtures for the case engine tests: a small town with staff, departments and residents,
a controllable clock, and the case service. PostgreSQL tests use the shared ``pg_url``;
``store_town`` builds the town on a SQLite file and on PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

import commgov
from commgov.cases.service.cases import CaseService
from commgov.cases.views import CaseView
from commgov.testing import build_town as build_test_town

START = dt.datetime(2025, 6, 2, 8, 0, tzinfo=dt.UTC)
SECRET = commgov.new_secret_key()


class Clock:
    """A clock tests move by hand."""

    def __init__(self, now: dt.datetime = START) -> None:
        self.now = now

    def __call__(self) -> dt.datetime:
        return self.now

    def advance(self, **delta: float) -> dt.datetime:
        self.now += dt.timedelta(**delta)
        return self.now


@attrs.define
class Town:
    """A county, a town, two communities with two grids each, staff and departments."""

    cg: commgov.Commgov
    cases: CaseService
    clock: Clock
    admin: commgov.Actor
    town: str
    communities: list[str]
    grids: list[str]
    workers: list[commgov.Actor]  # one per grid, same order as ``grids``
    community_staff: list[commgov.Actor]
    department_staff: commgov.Actor
    residents: list[commgov.Actor]  # one per grid
    departments: dict[str, str]  # kind -> code

    def report(self, actor: commgov.Actor | None = None, **fields: Any) -> CaseView:
        fields.setdefault("text", "a report")
        if actor is None:
            fields.setdefault("unit", self.grids[0])
        return self.cases.report(actor or self.workers[0], **fields)


def build_town(cg: commgov.Commgov, clock: Clock) -> Town:
    """The shipped test town (two communities of two grids), staffed for the case loop: a
    worker per grid, staff per community, departments at the town and the county, and a
    household of two residents per grid."""
    built = build_test_town(cg, code="411425100")
    admin = built.admin
    departments = {}
    for kind in ("fire", "police", "justice", "housing"):
        code = f"T-{kind}"
        cg.staff.add_department(admin, code=code, name=f"{kind} office", kind=kind, unit=built.town)
        departments[kind] = code
    cg.staff.add_department(
        admin, code="C-housing", name="county housing", kind="housing", unit="411425"
    )
    dept = built.add_staff("department_staff", built.town, name="消防员", department="T-fire")
    staff = [built.add_staff("community_staff", c) for c in built.communities]
    workers = [built.add_staff("grid_worker", g) for g in built.grids]
    residents = []
    for grid in built.grids:
        member = {"birth_date": "1960-01-01", "sex": "F"}
        home = built.household(grid, {"name": "居民0", **member}, {"name": "居民1", **member})
        residents.append(commgov.Actor.resident(f"居民{grid[-4:]}", home.id))
    return Town(
        cg=cg,
        cases=CaseService(cg.context),
        clock=clock,
        admin=admin,
        town=built.town,
        communities=built.communities,
        grids=built.grids,
        workers=workers,
        community_staff=staff,
        department_staff=dept,
        residents=residents,
        departments=departments,
    )


def open_sqlite(clock: Clock, plugins: list[object] | None = None) -> commgov.Commgov:
    return commgov.open(
        "sqlite:///:memory:", clock=clock, plugins=plugins or [], discover_plugins=False
    )


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def town(clock: Clock) -> Iterator[Town]:
    with open_sqlite(clock) as cg:
        yield build_town(cg, clock)


@pytest.fixture(params=["sqlite", "postgresql"])
def store_town(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Town]:
    """The town on a SQLite file and on PostgreSQL (a fresh schema), with its own clock."""
    clock = Clock()
    url = f"sqlite:///{tmp_path / 'cases.db'}"
    if request.param == "postgresql":
        url = request.getfixturevalue("pg_url")
    cg = commgov.open(url, secret_key=SECRET, clock=clock, discover_plugins=False)
    try:
        yield build_town(cg, clock)
    finally:
        cg.close()


@pytest.fixture
def make_town(clock: Clock) -> Iterator[Any]:
    """Build a town with some plugins: ``make_town(plugins=[...])``."""
    opened: list[commgov.Commgov] = []

    def make(plugins: list[object] | None = None) -> Town:
        cg = open_sqlite(clock, plugins)
        opened.append(cg)
        return build_town(cg, clock)

    yield make
    for cg in opened:
        cg.close()
