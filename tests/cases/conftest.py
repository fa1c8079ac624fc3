"""Fixtures for the case engine tests: a small town with staff, departments and residents,
a controllable clock, and the case service. PostgreSQL tests use the shared ``pg_url``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import attrs
import pytest

import commgov
from commgov.cases.service.cases import CaseService
from commgov.cases.views import CaseView

START = dt.datetime(2025, 6, 2, 8, 0, tzinfo=dt.UTC)


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


def build_town(cg: commgov.Commgov, clock: Clock, **service: Any) -> Town:
    admin = commgov.Actor.system("tests")
    make = cg.grids.create
    make(admin, code="411425", name="虞城县", kind="county")
    town = make(admin, code="411425100", parent="411425", name="城关镇", kind="town")
    departments = {}
    for kind in ("fire", "police", "justice", "housing"):
        code = f"T-{kind}"
        cg.staff.add_department(admin, code=code, name=f"{kind} office", kind=kind, unit=town.code)
        departments[kind] = code
    cg.staff.add_department(
        admin, code="C-housing", name="county housing", kind="housing", unit="411425"
    )
    dept = cg.staff.add(
        admin, name="消防员", role="department_staff", units=[town.code], department="T-fire"
    )
    communities, grids, workers, staff, residents = [], [], [], [], []
    for c in range(2):
        community = make(admin, parent=town.code, name=f"社区{c}", kind="community")
        communities.append(community.code)
        member = cg.staff.add(
            admin, name=f"社工{c}", role="community_staff", units=[community.code]
        )
        staff.append(cg.staff.actor(member.id))
        for g in range(2):
            grid = make(admin, parent=community.code, name=f"网格{c}{g}", kind="grid")
            grids.append(grid.code)
            worker = cg.staff.add(
                admin, name=f"网格员{c}{g}", role="grid_worker", units=[grid.code]
            )
            workers.append(cg.staff.actor(worker.id))
            home = cg.residents.add_household(admin, unit=grid.code, address=f"{c}{g}号楼")
            for n in range(2):
                cg.residents.add_resident(
                    admin, household_id=home.id, name=f"居民{n}", birth_date="1960-01-01", sex="F"
                )
            residents.append(commgov.Actor.resident(f"居民{c}{g}", home.id))
    return Town(
        cg=cg,
        cases=CaseService(cg.context, **service),
        clock=clock,
        admin=admin,
        town=town.code,
        communities=communities,
        grids=grids,
        workers=workers,
        community_staff=staff,
        department_staff=cg.staff.actor(dept.id),
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


@pytest.fixture
def make_town(clock: Clock) -> Iterator[Any]:
    """Build a town with some plugins: ``make_town(plugins=[...])``."""
    opened: list[commgov.Commgov] = []

    def make(plugins: list[object] | None = None, **service: Any) -> Town:
        cg = open_sqlite(clock, plugins)
        opened.append(cg)
        return build_town(cg, clock, **service)

    yield make
    for cg in opened:
        cg.close()
